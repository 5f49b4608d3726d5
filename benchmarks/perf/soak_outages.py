"""The fault soak's outage and range phases: paid results survive any outage, and audio is never spliced.

Outages. One in-process run against the built-in sandbox (fast profile), one text per case: the status
endpoint down for 5, 10, 20, 30, 45 and 60 s from a job's first poll; the media host down for 60, 120 and
300 s from its first download; and one of each down for 1,200 s, longer than the job's 900 s deadline, so
the run ends with them `unfetched` — the outages are then over and `--resume` fetches them. "Down" is the
sandbox's own fault injection on every request of that phase (502 pages, 500s and connection resets in
turn: `X-Sandbox-Fault`), switched by a header hook on the harness's monotonic clock.

Long outages must not take long, so every duration of the phase is multiplied by one `scale` (default
0.05: a 300 s outage lasts 15 s): the outages, the job deadline (`--job-timeout 900` becomes 45 s) and the
provider's retry policy (0.5 s doubling to 30 s becomes 25 ms doubling to 1.5 s). The runner's deadline
logic then sees each outage at its true proportion of the job's time and of its backoff — what changes is
only the unit of time. What does not scale: the time the sandbox takes to speak (real Piper synthesis, a
few seconds for eleven jobs at once on a loaded two-core machine: at scale 0.01 the 9 s deadline was
shorter than that, and jobs timed out still PROCESSING) and the request timeout (no request hangs here).

Ranges. A bench run against a URL target whose front forwards to a sandbox, except for audio downloads:
each clip's first answer is cut at half (with `Accept-Ranges: bytes`), and the ranged request that follows
is answered, in turn, with a 200 of the whole file, a 206 from the wrong offset (honestly labelled), a 206
of another total, or a 206 cut short again. A clip stored as ok whose bytes are not the sandbox's own
(metadata stripped, as the store keeps audio) is a corrupted clip.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import logging
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx

from tests.helpers.loopback import QuietHandler

STATUS_OUTAGES_S = (5, 10, 20, 30, 45, 60)
MEDIA_OUTAGES_S = (60, 120, 300)
PAST_DEADLINE_S = 1200
JOB_TIMEOUT_S = 900.0
FAULTS = ("http-502", "connection-reset", "http-500")


@dataclass(frozen=True, slots=True)
class OutageFigures:
    jobs: int
    charged: int  # jobs with a charged cost row: paid results
    unfetched_first: int  # kept unfetched by the first pass (the past-deadline cases)
    done: int  # after the resume
    lost: int  # paid results not done after the resume
    pending_said: int  # what the first pass's summary said was pending
    real_s: float


class Outages:
    """The header hook: the sandbox's faults on a case's phase, for that case's (scaled) outage."""

    def __init__(self, cases: Mapping[str, tuple[str, float]], scale: float) -> None:
        self.cases = {item: (phase, seconds * scale) for item, (phase, seconds) in cases.items()}
        self.began: dict[str, float] = {}
        self.over = False  # set before the resume: every outage has ended
        self.faults = itertools.cycle(FAULTS)
        self.lock = threading.Lock()

    def __call__(self, label: str, item: str, phase: str, attempt: int) -> Mapping[str, str]:
        case = self.cases.get(item)
        if self.over or case is None or case[0] != phase:
            return {}
        with self.lock:
            began = self.began.setdefault(item, time.monotonic())
            if time.monotonic() - began >= case[1]:
                return {}
            return {"X-Sandbox-Fault": next(self.faults)}


def _not_an_injected_reset(record: logging.LogRecord) -> bool:
    return "returned without starting response" not in record.getMessage()


def _cases() -> dict[str, tuple[str, float]]:
    cases: dict[str, tuple[str, float]] = {f"status-{s}s": ("poll", s) for s in STATUS_OUTAGES_S}
    cases |= {f"media-{s}s": ("download", s) for s in MEDIA_OUTAGES_S}
    cases |= {"status-past-deadline": ("poll", PAST_DEADLINE_S), "media-past-deadline": ("download", PAST_DEADLINE_S)}
    return cases


def _corpus(path: Path, items: list[str]) -> Path:
    rows = [{"id": item, "text": f"This sentence waits out the {item.replace('-', ' ')} outage."} for item in items]
    path.write_text(json.dumps({"name": "outages", "version": "1", "language": "en", "items": rows}))
    return path


def outages(work: Path, scale: float, only: tuple[str, ...] = ()) -> OutageFigures:
    """Every outage case (those named in `only` where given: a smoke run), the run resumed after them."""
    from harness.core.retry import RetryPolicy
    from harness.providers.pixazo import PROVIDER as PIXAZO
    from harness.results import Store
    from harness.runner.plan.config import BenchConfig
    from harness.runner.session import run_bench_session
    from harness.runner.summary.figures import summarize

    out = work / "outages"
    out.mkdir(parents=True, exist_ok=True)
    # Each injected reset is logged there; a filter, since the sandbox's uvicorn resets the logger's level.
    logging.getLogger("uvicorn.error").addFilter(_not_an_injected_reset)
    cases = {item: case for item, case in _cases().items() if not only or item in only}
    hook = Outages(cases, scale)
    provider = dataclasses.replace(
        PIXAZO, retry=RetryPolicy(first_s=0.5 * scale, cap_s=30.0 * scale, source=f"harness default x {scale:g} (soak)")
    )
    config = BenchConfig(
        out=out,
        score=False,
        report=False,
        models=("chatterbox",),
        providers=("pixazo",),
        corpus=(str(_corpus(out / "outages.json", list(cases))),),
        yes=True,
        sandbox_profile="fast",
        job_timeout=JOB_TIMEOUT_S * scale,
        concurrency=len(cases),
        ramp_up=0,
    )
    started = time.monotonic()
    first = run_bench_session(config, headers=hook, providers={"pixazo": provider})
    store = Store(first.db_path)
    try:
        pending = summarize(store, first.run_id).pending
        unfetched_first = sum(1 for row in store.jobs(first.run_id) if row.state == "unfetched")
    finally:
        store.close()
    hook.over = True
    run_bench_session(config.updated(resume=first.run_id), headers=hook, providers={"pixazo": provider})
    conn = sqlite3.connect(first.db_path)
    try:
        states = dict(conn.execute("SELECT item_id, state FROM jobs").fetchall())
        charged = {row[0] for row in conn.execute("SELECT DISTINCT item_id FROM costs WHERE charged = 1")}
    finally:
        conn.close()
    lost = sum(1 for item in charged if states.get(item) != "done")
    return OutageFigures(
        len(states),
        len(charged),
        unfetched_first,
        sum(1 for s in states.values() if s == "done"),
        lost,
        pending,
        time.monotonic() - started,
    )


# --- ranges ---------------------------------------------------------------------------------------------


class RangeFront(QuietHandler):
    """Forwards to the sandbox; audio downloads cut, then answered wrongly to the range request."""

    protocol_version = "HTTP/1.1"
    sandbox = ""
    client: httpx.Client
    lock = threading.Lock()
    seen: ClassVar[Counter[str]] = Counter()
    behaviour: ClassVar[dict[str, str]] = {}
    truth: ClassVar[dict[str, bytes]] = {}  # path -> the sandbox's own bytes
    order = itertools.cycle(("whole", "wrong-offset", "other-total", "cut-again"))

    def do_GET(self) -> None:
        if "/cdn/" not in self.path:
            return self.forward(self.client, self.sandbox)
        with self.lock:
            self.seen[self.path] += 1
            attempt = self.seen[self.path]
            if self.path not in self.truth:
                self.truth[self.path] = self.client.get(self.sandbox + self.path).content
                self.behaviour[self.path] = next(self.order)
        audio, behaviour = self.truth[self.path], self.behaviour[self.path]
        ranged = self.headers.get("Range")
        if attempt == 1 or (behaviour == "cut-again" and attempt == 2 and ranged):
            start = int(ranged.removeprefix("bytes=").rstrip("-")) if ranged else 0
            return self._send(206 if ranged else 200, audio, start, len(audio), cut=True)
        if ranged and attempt == 2:
            start = int(ranged.removeprefix("bytes=").rstrip("-"))
            if behaviour == "whole":
                return self._send(200, audio, 0, len(audio))
            if behaviour == "wrong-offset":
                return self._send(206, audio, max(start - 1000, 0), len(audio))
            return self._send(206, audio + b"\0\0", start, len(audio) + 2)  # other-total
        if ranged:
            start = int(ranged.removeprefix("bytes=").rstrip("-"))
            return self._send(206, audio, start, len(audio))
        return self._send(200, audio, 0, len(audio))

    def do_POST(self) -> None:
        self.forward(self.client, self.sandbox)

    def _send(self, status: int, audio: bytes, start: int, total: int, cut: bool = False) -> None:
        body = audio[start:]
        self.send_response(status)
        self.send_header("Content-Type", "audio/wav")
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{start + len(body) - 1}/{total}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if cut else body)
        if cut:
            self.wfile.flush()
            self.close_connection = True


def _stored_forms(audio: bytes) -> set[str]:
    """The sha256 a clip of these bytes may be stored under: as served, or with its metadata stripped."""
    forms = {hashlib.sha256(audio).hexdigest()}
    try:
        from harness.core.audio import strip_metadata
    except ImportError:
        return forms
    forms.add(hashlib.sha256(strip_metadata(audio)).hexdigest())
    return forms


def ranges(work: Path, clips: int, bench: Any, environment: Any) -> tuple[int, int, int, Counter[str]]:
    """(clips stored as ok, of them corrupted, clips planned, behaviours played)."""
    from harness.sandbox.server import running

    out = work / "ranges"
    with running("fast", 5, providers=("pixazo",)) as sandbox, httpx.Client(trust_env=False, timeout=30) as client:
        RangeFront.client, RangeFront.sandbox = client, sandbox.url
        front = ThreadingHTTPServer(("127.0.0.1", 0), RangeFront)
        threading.Thread(target=front.serve_forever, daemon=True).start()
        try:
            url = f"http://127.0.0.1:{front.server_address[1]}"
            subprocess.run(
                bench(
                    "--target",
                    url,
                    "--out",
                    str(out),
                    "--providers",
                    "pixazo",
                    "--models",
                    "chatterbox",
                    "--corpus",
                    f"en_read:{clips}",
                    "--concurrency",
                    "4",
                    "--polling",
                    "fixed",
                    "--poll-interval",
                    "0.05",
                ),
                env=environment(PIXAZO_API_KEY=sandbox.default_key("pixazo")),
                capture_output=True,
                timeout=600,
            )
        finally:
            front.shutdown()
    true = set().union(*(_stored_forms(audio) for audio in RangeFront.truth.values())) if RangeFront.truth else set()
    conn = sqlite3.connect(out / "runs.db")
    try:
        stored = [row[0] for row in conn.execute("SELECT audio_sha256 FROM jobs WHERE outcome = 'ok'")]
    finally:
        conn.close()
    return len(stored), sum(1 for sha in stored if sha not in true), clips, Counter(RangeFront.behaviour.values())
