"""One URL, one meaning: `pytest contracts/ --tts-target URL` and `pytest contracts/test_speech_family.py
--tts-target URL` both read a URL that is a declared provider's `base_url` as that provider at its own
server, and send to its documented path beneath that URL, never to a sandbox-style `URL/<name>/v1/...`.

The server is written here, independently of the sandbox: a small OpenAI-compatible speech server (a tone
whose length follows the input and `speed`, errors in the protocol's shape) that logs every request line
it is sent. A URL two declared providers share stops pytest with one line before anything is sent.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import struct
import subprocess
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.child_pytest import pytest_command
from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.providers_file import speech_table

REPO = Path(__file__).resolve().parents[2]
KEY = "boxed-test-key-5d1c"
SPEECH_PATH = "/v1/audio/speech"
pytestmark = pytest.mark.slow


def _tone_wav(seconds: float, rate: int = 24_000) -> bytes:
    frames = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 220 * n / rate))) for n in range(int(seconds * rate))
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return buffer.getvalue()


class _BoxSpeech(QuietHandler):
    """POST /v1/audio/speech only; every request line is appended to the file named by `log`."""

    protocol_version = "HTTP/1.1"
    log: Path

    def _record(self, status: int) -> None:
        with self.log.open("a", encoding="utf-8") as out:
            out.write(json.dumps([self.command, self.path, status]) + "\n")

    def _error(self, status: int, message: str, param: str | None) -> None:
        self._record(status)
        body = {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": None}}
        self.answer(status, json.dumps(body).encode(), {"Content-Type": "application/json"})

    def do_GET(self) -> None:
        self._error(405, "Method not allowed.", None)

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path != SPEECH_PATH:
            return self._error(405 if self.path.endswith("/audio/speech") else 404, f"no route {self.path}", None)
        if self.headers.get("Authorization") != f"Bearer {KEY}":
            return self._error(401, "Incorrect API key provided.", None)
        body = json.loads(raw or b"{}")
        text = body.get("input") or ""
        if not body.get("model"):
            return self._error(400, "you must provide a model parameter", "model")
        if body.get("model") != "box-tts":
            return self._error(404, "The model does not exist.", "model")
        if body.get("voice") != "ember":
            return self._error(400, "Invalid voice.", "voice")
        if not text or len(text) > 4096 or body.get("response_format", "wav") != "wav":
            return self._error(400, "input must be 1 to 4096 characters; wav only.", "input")
        self._record(200)
        seconds = min(6.0, 0.05 * len(text) / float(body.get("speed", 1.0)))
        self.answer_chunked(200, _tone_wav(seconds), {"Content-Type": "audio/wav"})  # streamed, as the protocol
        return None


@pytest.fixture
def box(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The server's base URL (ending in /v1, as declared) and the file its request log goes to."""
    log = tmp_path / "requests.jsonl"
    log.touch()
    server = LoopbackServer(type("BoxSpeech", (_BoxSpeech,), {"log": log}))
    try:
        yield f"{server.url}/v1", log
    finally:
        server.close()


def _declare(folder: Path, *tables: tuple[str, str]) -> Path:
    path = folder / "tts-harness.toml"
    path.write_text(
        "".join(speech_table(name, url, f"{name.upper()}_TTS_KEY", ("box-tts",), ("ember",)) for name, url in tables),
        encoding="utf-8",
    )
    return path


def _pytest(providers_file: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TTS_HARNESS_PROVIDERS_FILE": str(providers_file),
        "BOXED_TTS_KEY": KEY,
        "PYTHONPATH": str(REPO),
        "COLUMNS": "200",
    }
    return subprocess.run(
        pytest_command("-v", "-rs", *args), cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def _requests(log: Path) -> list[tuple[str, str, int]]:
    return [tuple(json.loads(line)) for line in log.read_text(encoding="utf-8").splitlines()]  # type: ignore[misc]


def test_the_whole_suite_and_the_protocol_checks_read_one_url_alike(box: tuple[str, Path], tmp_path: Path) -> None:
    url, log = box
    providers_file = _declare(tmp_path, ("boxed", url))

    suite = _pytest(
        providers_file,
        "contracts/",
        "--tts-target",
        url,
        "-k",
        "boxed/audio.speech or pixazo/xtts-v2.generate/202-success",
    )
    by_suite = _requests(log)
    log.write_text("", encoding="utf-8")
    checks = _pytest(providers_file, "contracts/test_speech_family.py", "--tts-target", url)
    by_checks = _requests(log)

    for run, seen in ((suite, by_suite), (checks, by_checks)):
        assert seen, run.stdout[-3000:]
        assert {(method, path) for method, path, _ in seen} == {("POST", SPEECH_PATH)}, seen
        assert not re.search(r"got: +405\b", run.stdout)  # no finding is a refused method
    out = suite.stdout
    # The generic plans reached the server itself: success and the documented key refusal.
    for plan in ("200-success", "401-invalid-key", "400-invalid-parameter"):
        assert f"test_contract[boxed/audio.speech/{plan}] PASSED" in out, out[-3000:]
    assert {200, 400, 401} <= {status for *_, status in by_suite}
    # A provider the URL does not name is left out with the reason, not sent to URL/<provider>/...
    assert f"{url} is boxed's base URL: only boxed is there" in out, out[-3000:]
    assert checks.returncode == 0, checks.stdout[-3000:]


def test_a_url_two_declared_providers_share_is_one_line_before_anything_is_sent(
    box: tuple[str, Path], tmp_path: Path
) -> None:
    url, log = box
    providers_file = _declare(tmp_path, ("boxed", url), ("twin", url + "/"))
    done = _pytest(providers_file, "contracts/test_speech_family.py", "--tts-target", url)
    assert done.returncode == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    assert errors == [
        f"ERROR: target {url} is the base URL of boxed and twin: it cannot name one provider; "
        "give each provider its own base_url (or select one)"
    ], done.stderr
    assert _requests(log) == []
