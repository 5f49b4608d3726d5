"""A URL target that is no provider's base URL is read as a server laid out like the sandbox (URL/<provider>/<host>).
A server of one provider's API given there instead (an OpenAI-compatible server at its /v1) was sent every provider's
requests under its own path, failed them all (404, 401) and the run never said why: `bench run` and the contract suite
now ask the URL for the sandbox's reference voice first (`answers_as_sandbox`), and where it does not answer say so in
one note that names `tts-harness conform` and the providers file. A sandbox served elsewhere is no note."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.core.target import answers_as_sandbox
from tests.helpers.child_pytest import pytest_command
from tests.helpers.cli_runs import in_process
from tests.helpers.loopback import LoopbackServer, QuietHandler

REPO = Path(__file__).resolve().parents[2]
NOTE = "does not answer as the sandbox does"
REFUSAL = b'{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error"}}'


class _OneProvidersApi(QuietHandler):
    """An OpenAI-compatible server that wants its own key: every request refused, 401."""

    def do_GET(self) -> None:
        self.answer(401, REFUSAL, {"Content-Type": "application/json"})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.answer(401, REFUSAL, {"Content-Type": "application/json"})

    def do_HEAD(self) -> None:
        self.answer(401, b"", {"Content-Type": "application/json"})


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    running = LoopbackServer(_OneProvidersApi)
    try:
        yield running.url
    finally:
        running.close()


def _bench_run(url: str) -> tuple[str, ...]:
    return ("bench", "run", "--target", url, "--providers", "openai", "--models", "tts-1", "--no-score")


def test_a_sandbox_answers_as_one_and_a_server_of_one_providers_api_does_not(sandbox: Any, server: str) -> None:
    assert answers_as_sandbox(sandbox.url)
    assert not answers_as_sandbox(sandbox.url + "/pixazo/gateway")  # a provider's place in the sandbox is no root
    assert not answers_as_sandbox(server + "/v1")
    assert not answers_as_sandbox("http://127.0.0.1:9")  # nothing listens there


def test_bench_run_at_such_a_url_says_so_in_one_note(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server + "/v1"
    run = in_process(*_bench_run(url), "--yes", cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    notes = [line for line in (run.stdout + run.stderr).splitlines() if NOTE in line]
    assert len(notes) == 1, run.stdout + run.stderr
    assert notes[0].startswith(f"note: {url} is no provider's base URL") and f"tts-harness conform {url}" in notes[0]


def test_bench_run_refused_for_its_budget_at_such_a_url_says_both_in_one_line(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --budget or --yes the run is refused before its plan is shown: the refusal carries the note, so a
    user whose URL was a server of one provider's API learns it before answering a question about money."""
    url = server + "/v1"
    run = in_process(*_bench_run(url), cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert run.returncode == 2, run.stdout + run.stderr
    said = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(said) == 1, run.stderr
    assert "give --budget USD (enforced) or --yes to proceed" in said[0]
    assert NOTE in said[0] and f"tts-harness conform {url}" in said[0]


def test_the_contract_suite_at_such_a_url_says_so_in_its_summary(server: str) -> None:
    url = server + "/v1"
    done = subprocess.run(
        pytest_command("-q", "contracts/", "--tts-target", url, "-k", "openai and format-mp3"),
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "400"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stdout[-3000:]
    summary = done.stdout[done.stdout.index("tts-harness contracts") :]
    assert f"note: {url} is no provider's base URL and {NOTE}" in summary, summary[:3000]
    assert f"tts-harness conform {url}" in summary
