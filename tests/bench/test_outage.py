"""Charged means kept: an outage of the status endpoint or of the media host never loses a paid result.

A loopback front written here forwards every request to the session's sandbox, except while an outage is
switched on: status polls, or audio downloads, then get a gateway's 502 page or a connection reset. An
outage shorter than the job's deadline is waited out (more failed polls than any fixed retry count); one
longer leaves the job `unfetched` — charged once, its job id kept — and `--resume`, once the outage is
over, polls it again for a fresh link and fetches its audio. The retry policy is scaled down (5 ms
doubling to 0.2 s) so the deadlines can be seconds.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.core.retry import RetryPolicy
from harness.providers.pixazo import PROVIDER as PIXAZO
from harness.results import Store
from harness.runner.plan.config import BenchConfig
from harness.runner.session import run_bench_session
from harness.runner.summary.figures import summarize
from tests.helpers.loopback import LoopbackServer, QuietHandler

pytestmark = pytest.mark.clock  # an outage outlasts a deadline on the real clock

FAST_RETRY = dataclasses.replace(PIXAZO, retry=RetryPolicy(first_s=0.005, cap_s=0.2, source="test"))
ITEMS = 3


class Front(LoopbackServer):
    """Forwards to the sandbox; `status_failures` polls per job fail first, and all of them (or every
    download) fail while `status_down` (`media_down`) is set."""

    def __init__(self, sandbox_url: str) -> None:
        self.status_down, self.media_down = threading.Event(), threading.Event()
        self.status_failures = 0
        self.failed: dict[str, int] = {}  # path -> answers refused
        self.lock = threading.Lock()
        client = httpx.Client(trust_env=False, timeout=30)
        front = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                status, media = "/requests/status/" in self.path, "/cdn/" in self.path
                with front.lock:
                    refused = front.failed.get(self.path, 0)
                    down = (status and (front.status_down.is_set() or refused < front.status_failures)) or (
                        media and front.media_down.is_set()
                    )
                    if down:
                        front.failed[self.path] = refused + 1
                if down and refused % 2:
                    self.close_connection = True  # a reset: no answer at all
                    return
                if down:
                    return self.answer(502, b"<html><body>502 Bad Gateway</body></html>", {"Content-Type": "text/html"})
                self.forward(client, sandbox_url)

            def do_POST(self) -> None:
                self.forward(client, sandbox_url)

        super().__init__(Handler)


@pytest.fixture()
def front(sandbox: Any) -> Iterator[Front]:
    server = Front(sandbox.url)
    yield server
    server.close()


def _config(out: Path, front: Front, job_timeout: float) -> BenchConfig:
    items = [{"id": f"t{i}", "text": f"Sentence number {i} waits out an outage."} for i in range(ITEMS)]
    corpus = out / "outage.json"
    corpus.parent.mkdir(parents=True, exist_ok=True)
    corpus.write_text(json.dumps({"name": "outage", "version": "1", "language": "en", "items": items}))
    return BenchConfig(
        out=out,
        score=False,
        report=False,
        models=("chatterbox",),
        providers=("pixazo",),
        corpus=(str(corpus),),
        target=front.url,
        yes=True,
        job_timeout=job_timeout,
        request_timeout=2.0,
        polling="fixed",
        poll_interval=0.05,
        ramp_up=0,
    )


def _jobs(db: Path) -> list[dict[str, Any]]:
    store = Store(db)
    try:
        return [dict(row) for row in store.query("SELECT * FROM jobs ORDER BY seq")]
    finally:
        store.close()


def _charged_rows(db: Path) -> dict[str, int]:
    store = Store(db)
    try:
        return {
            row["item_id"]: row["n"]
            for row in store.query("SELECT item_id, COUNT(*) AS n FROM costs WHERE charged = 1 GROUP BY item_id")
        }
    finally:
        store.close()


def test_a_status_outage_longer_than_any_retry_count_is_waited_out(tmp_path: Path, front: Front) -> None:
    front.status_failures = 12  # more failed polls in a row than any retry count: only the deadline ends the wait
    result = run_bench_session(_config(tmp_path, front, 30.0), providers={"pixazo": FAST_RETRY})
    jobs = _jobs(result.db_path)
    assert result.status == "finished" and [job["state"] for job in jobs] == ["done"] * ITEMS
    assert all(job["poll_errors"] >= 12 for job in jobs)


@pytest.mark.parametrize("where", ["status", "media"])
def test_an_outage_past_the_deadline_keeps_the_job_unfetched_and_resume_fetches_it(
    tmp_path: Path, front: Front, where: str
) -> None:
    (front.status_down if where == "status" else front.media_down).set()
    config = _config(tmp_path, front, 5.0)  # the resume keeps it: time enough for a loaded machine
    first = run_bench_session(config, providers={"pixazo": FAST_RETRY})
    jobs = _jobs(first.db_path)
    assert first.status == "pending"
    assert [job["state"] for job in jobs] == ["unfetched"] * ITEMS and all(job["provider_job_id"] for job in jobs)
    assert {job["outcome"] for job in jobs} == {"unfetched"} and {job["error_class"] for job in jobs} == {None}
    store = Store(first.db_path)
    try:
        summary = summarize(store, first.run_id)
    finally:
        store.close()
    assert summary.pending == ITEMS and summary.results_lost == 0
    assert _charged_rows(first.db_path) == {f"t{i}": 1 for i in range(ITEMS)}  # accepted: charged

    front.status_down.clear()
    front.media_down.clear()
    resumed = run_bench_session(config.updated(resume=first.run_id), providers={"pixazo": FAST_RETRY})
    jobs = _jobs(resumed.db_path)
    assert resumed.status == "finished" and [job["state"] for job in jobs] == ["done"] * ITEMS
    assert all(job["audio_sha256"] and job["resumed"] for job in jobs)
    assert _charged_rows(first.db_path) == {f"t{i}": 1 for i in range(ITEMS)}  # and charged once, not twice
