"""The HTTP speech family against a server written here, not the sandbox: Google's synthesize answered by a
loopback server laid out like the sandbox (`URL/google/api/...`). A well-formed answer is benchmarked like the
sandbox's; an answer whose `audioContent` is not base64, or that carries no audio there, is the job's one
protocol error naming the pointer, never a traceback or a stored clip."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest

from harness.providers.google import PROVIDER as GOOGLE
from harness.results.store import Store
from harness.runner.plan.config import BenchConfig
from harness.runner.session import run_bench_session
from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.wav import pcm_wav

ANSWERS = {
    "good": {"audioContent": base64.b64encode(pcm_wav(16000, 16000, sample=b"\x10\x20")).decode()},
    "not-base64": {"audioContent": "this is not base64 ***"},
    "no-audio": {"voices": []},
}


def _server(answer: dict[str, object]) -> type[QuietHandler]:
    class Google(QuietHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            sent = json.loads(self.rfile.read(length))
            ok = self.path.endswith("/google/api/v1/text:synthesize") and sent["input"]["text"]
            self.answer(
                200 if ok else 404, json.dumps(answer if ok else {}).encode(), {"Content-Type": "application/json"}
            )

    return Google


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Iterator[LoopbackServer]:
    server = LoopbackServer(_server(ANSWERS[request.param]))
    yield server
    server.close()


def _jobs(tmp_path: Path, url: str) -> list[dict[str, object]]:
    config = BenchConfig(
        out=tmp_path,
        score=False,
        report=False,
        providers=("google",),
        models=("wavenet",),
        corpus=("en_read:2",),
        target=url,
        concurrency=1,
        budget=1.0,
    )
    result = run_bench_session(config, providers={"google": GOOGLE})
    store = Store(result.db_path)
    try:
        return [asdict(row) for row in store.jobs(result.run_id)]
    finally:
        store.close()


@pytest.mark.parametrize("served", ["good"], indirect=True)
def test_a_server_written_apart_is_benchmarked_like_the_sandbox(tmp_path: Path, served: LoopbackServer) -> None:
    jobs = _jobs(tmp_path, served.url)
    assert [(job["outcome"], job["error_class"]) for job in jobs] == [("ok", None), ("ok", None)]


@pytest.mark.parametrize("served", ["not-base64", "no-audio"], indirect=True)
def test_audio_missing_from_its_pointer_is_one_protocol_error(
    tmp_path: Path, served: LoopbackServer, capfd: pytest.CaptureFixture[str]
) -> None:
    jobs = _jobs(tmp_path, served.url)
    assert {job["error_class"] for job in jobs} == {"protocol"}
    assert all("/audioContent" in str(job["error_message"]) for job in jobs)
    assert "Traceback" not in capfd.readouterr().err
