"""The contract suite at a URL laid out like the sandbox (`tts-harness serve` elsewhere) tells that server what it
tells its own sandbox: the negative checks' voice id is one the account lacks (`POST /_sandbox/catalogue`). An open
voice library (MiniMax's) speaks any id of its documented form, as the provider speaks the account's voices; before,
`pytest contracts/ --tts-target URL` at a `serve` failed MiniMax's `error-bad-voice` and `error-unknown-voice` (200
and audio where the provider refuses), while `--tts-target sandbox` passed them. A server in the sandbox's layout
without that control route is left as it is."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx
import pytest

from harness.contracts.speech_checks import UNKNOWN_VOICE
from harness.pytest_plugin import _mark_missing
from tests.helpers.child_pytest import pytest_command
from tests.helpers.loopback import LoopbackServer, QuietHandler

REPO = Path(__file__).resolve().parents[2]
NEGATIVE = ("test_speech_family[minimax/error-bad-voice]", "test_realtime[minimax/error-unknown-voice]")


@pytest.mark.slow
def test_the_negative_voice_checks_pass_at_a_served_sandbox_url() -> None:
    from harness.sandbox import running

    with running("fast", 0, providers=("minimax",)) as served:
        done = subprocess.run(
            pytest_command(
                "-v",
                "contracts/",
                "--tts-target",
                served.url,
                "-k",
                "minimax and (error-bad-voice or error-unknown-voice)",
            ),
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        told = httpx.get(served.url + "/_sandbox/catalogue").json()
    assert done.returncode == 0, done.stdout[-3000:]
    for test in NEGATIVE:
        assert f"{test} PASSED" in done.stdout, done.stdout[-3000:]
    assert UNKNOWN_VOICE in told["minimax"]["missing"], told


class _NoControl(QuietHandler):
    """A server in the sandbox's layout that has no control route: every path is not found."""

    def do_POST(self) -> None:
        self.answer(404, b"not found", {"Content-Type": "text/plain"})


def test_a_server_without_the_control_route_is_left_as_it_is() -> None:
    server = LoopbackServer(_NoControl)
    try:
        _mark_missing(server.url, told_if_it_listens=True)  # a URL target: nothing to tell, no error
        with pytest.raises(httpx.HTTPStatusError):
            _mark_missing(server.url)  # the suite's own sandbox must take it
    finally:
        server.close()
