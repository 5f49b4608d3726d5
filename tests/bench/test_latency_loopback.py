"""Every stored latency figure holds the truth against job servers this project did not write.

Each server here is a small loopback HTTP server, written in this test and not the sandbox, that speaks
Pixazo's job API with its own timeline (a queue, then processing, drawn per job) and its own way of
stamping time: a clock seconds off ours, `completed_at` truncated or rounded to whole seconds (as a
`DATETIME(0)` column rounds), zone-less in local time beside a zoned `created_at`, or whole seconds in
both. The server runs in this process, so its true instants are on our clock; the runner runs as a
user's run does, and each job's stored intervals must hold them.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.measurement import Convention, recompute
from harness.providers.pixazo import PROVIDER as PIXAZO
from harness.results import Store
from harness.runner.deliver.polling import CLOCK_PROBES
from harness.runner.plan.config import BenchConfig, TargetKind
from harness.runner.plan.target import Target
from harness.runner.record.timing import wall_of
from harness.runner.run import Runner, prepare
from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.wav import pcm_wav

pytestmark = pytest.mark.clock  # the servers' timelines run on the real clock


@dataclass(frozen=True)
class Stamping:
    """How one server prints its clock."""

    skew_s: float
    rounds: bool  # whole seconds rounded (DATETIME(0)) rather than truncated
    created_ms: bool  # `created_at` to the millisecond (zoned); else whole seconds like `completed_at`
    completed_zone_h: int | None  # `completed_at` zone-less local time this many hours from UTC; None: zoned

    def at(self, mono: float, fine: bool, zone_h: int | None = None) -> str:
        exact = wall_of(mono) + self.skew_s
        if fine:
            moment = datetime.fromtimestamp(math.floor(exact * 1000) / 1000, UTC)
            return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{round(moment.microsecond / 1000) % 1000:03d}Z"
        whole = datetime.fromtimestamp(round(exact) if self.rounds else math.floor(exact), UTC)
        if zone_h is None:
            return whole.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return (whole + timedelta(hours=zone_h)).strftime("%Y-%m-%d %H:%M:%S")


@dataclass
class TrueJob:
    created: float
    started: float
    finished: float


@dataclass
class JobServer:
    stamping: Stamping
    jobs: dict[str, TrueJob] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    rng: random.Random = field(default_factory=lambda: random.Random(22))
    ids: Iterator[int] = field(default_factory=itertools.count)
    url: str = ""

    def submit(self) -> dict[str, Any]:
        now = time.perf_counter()
        with self.lock:
            job_id = f"loop-{next(self.ids)}"
            started = now + self.rng.uniform(0.1, 0.9)
            self.jobs[job_id] = TrueJob(now, started, started + self.rng.uniform(0.6, 2.4))
        return {"request_id": job_id, "status": "QUEUED", "polling_url": f"{self.url}/v2/requests/status/{job_id}"}

    def status(self, job_id: str) -> dict[str, Any] | None:
        now = time.perf_counter()
        job = self.jobs.get(job_id)
        if job is None:
            return None
        stamps = self.stamping
        body: dict[str, Any] = {"request_id": job_id, "created_at": stamps.at(job.created, stamps.created_ms)}
        if now < job.started:
            return body | {"status": "QUEUED"}
        if now < job.finished:
            return body | {"status": "PROCESSING"}
        return body | {
            "status": "COMPLETED",
            "completed_at": stamps.at(job.finished, False, stamps.completed_zone_h),
            "output": {"media_url": [f"{self.url}/media/{job_id}.wav"], "media_type": "audio/wav"},
        }


def _handler(server: JobServer) -> type[QuietHandler]:
    audio = pcm_wav()

    class Handler(QuietHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.answer(202, json.dumps(server.submit()).encode(), {"Content-Type": "application/json"})

        def do_GET(self) -> None:
            if self.path.startswith("/media/"):
                self.answer(200, audio, {"Content-Type": "audio/wav"})
                return
            body = server.status(self.path.rsplit("/", 1)[-1])
            if body is None:
                self.answer(
                    404, b'{"error": "not_found", "message": "no such request"}', {"Content-Type": "application/json"}
                )
                return
            self.answer(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    return Handler


STAMPINGS = {
    # The case: zoned ms `created_at`, zone-less whole-second `completed_at` in UTC+1.
    "mixed-zones": Stamping(skew_s=2.3, rounds=False, created_ms=True, completed_zone_h=1),
    "rounding": Stamping(skew_s=-4.6, rounds=True, created_ms=True, completed_zone_h=None),
    "truncation": Stamping(skew_s=4.9, rounds=False, created_ms=True, completed_zone_h=None),
    "whole-seconds": Stamping(skew_s=-1.7, rounds=True, created_ms=False, completed_zone_h=-7),
}


def _run(tmp_path: Path, server: JobServer) -> tuple[Store, Runner]:
    config = BenchConfig(
        out=tmp_path / "out",
        score=False,
        report=False,
        corpus=("en_read:12",),
        models=("chatterbox",),
        concurrency=4,
        provider_concurrency=4,
    )
    store = Store(config.output.db_path)
    prepared = prepare(config, {"pixazo": PIXAZO}, store, f"{server.url}/media/ref.wav")
    target = Target(
        kind=TargetKind.URL,
        bases={("pixazo", "gateway"): server.url},
        keys={"pixazo": "k-123456"},
        url=server.url,
        reference_url=f"{server.url}/media/ref.wav",
    )
    runner = Runner(prepared, store, target)
    runner.record_plan()

    async def go() -> None:
        async with httpx.AsyncClient(timeout=30.0) as client:
            await runner.execute(client)

    asyncio.run(go())
    return store, runner


@pytest.mark.parametrize("name", list(STAMPINGS))
def test_every_figure_holds_the_truth_against_a_server_of_its_own(name: str, tmp_path: Path) -> None:
    server = JobServer(STAMPINGS[name])
    loopback = LoopbackServer(_handler(server))
    server.url = loopback.url
    try:
        store, runner = _run(tmp_path, server)
    finally:
        loopback.close()
    rows = store.query(
        "SELECT * FROM jobs WHERE run_id = ? AND outcome = 'ok' ORDER BY finished_at", (runner.prepared.run_id,)
    )
    assert len(rows) == 12
    for row in rows:
        sent_ms = store.query("SELECT t_ms FROM marks WHERE job_key = ? AND name = 'request_sent'", (row["job_key"],))[
            0
        ]["t_ms"]
        sent = runner.run_start + (row["start_offset_ms"] + sent_ms) / 1000.0
        job = server.jobs[row["provider_job_id"]]
        truth = {
            "e2e": job.finished - sent,
            "e2e_server": job.finished - job.created,
            "queue": job.started - job.created,
            "processing": job.finished - job.started,
        }
        for figure, seconds in truth.items():
            low, high, estimate = row[f"{figure}_lo_ms"], row[f"{figure}_hi_ms"], row[f"{figure}_ms"]
            assert low is not None, (name, figure, row)
            assert low - 1e-6 <= seconds * 1000.0 <= high + 1e-6, (name, figure, seconds, low, high)
            assert low <= estimate <= high
        # A whole-second stamp is worth a second of doubt, a second and a half while truncation and rounding
        # are both possible: on the server's own view never more, never an hour.
        assert row["e2e_server_hi_ms"] - row["e2e_server_lo_ms"] <= 1500.0 + 2.0
    # A convention the run settles on is the server's, and beside a millisecond `created_at` twelve jobs
    # settle it (test_latency_interval pins where the polls go to tell the two apart, without a machine's
    # scheduling in the way).
    if not STAMPINGS[name].created_ms:
        # Whole seconds on `created_at` too: submits are held (one at a time, a few per run) to pin the clock,
        # and each held job's first poll reads its created_at at once.
        held = store.query("SELECT seq FROM polls WHERE run_id = ? AND reason = 'clock'", (runner.prepared.run_id,))
        assert 1 <= len(held) <= CLOCK_PROBES and {p["seq"] for p in held} == {0}, len(held)
    else:
        assert not store.query("SELECT 1 FROM polls WHERE run_id = ? AND reason = 'clock'", (runner.prepared.run_id,))
    learned = {row["stamp_convention"] for row in rows} - {None}
    expected = Convention.ROUND if STAMPINGS[name].rounds else Convention.TRUNCATE
    assert learned <= {str(expected)}, (name, learned)
    if STAMPINGS[name].created_ms:
        assert rows[-1]["stamp_convention"] == str(expected), (name, [row["stamp_convention"] for row in rows])
    # What the run stored is exactly what its evidence gives: derived again from the rows alone, nothing moves.
    assert recompute(store.conn, runner.prepared.run_id, write=False).differences == []
