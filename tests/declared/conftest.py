"""Two OpenAI-compatible servers for the providers-file tests: the sandbox's host, and a small loopback
server written here, independently of the sandbox, that differs from the protocol in one documented way:
it ignores `speed` (declared in the providers file as a known deviation).

The loopback server takes no key (`auth = "none"`), accepts 8,000 characters (more than OpenAI's 4096)
and refuses 8,001, speaks real Piper speech (so the benchmark can transcribe it) as wav, mp3 or
little-endian pcm at 22,050 Hz, streams every answer with chunked transfer encoding, and answers errors
in the protocol's shape.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.providers_file import providers_file_in_effect

REPO = Path(__file__).resolve().parents[2]
LOOPBACK_VOICES = ("ember", "slate")
LOOPBACK_MODELS = ("loop-tts",)
LOOPBACK_MAX_INPUT = 8000
LOOPBACK_PCM_RATE = 22_050
CONTENT_TYPES = {"wav": "audio/wav", "mp3": "audio/mpeg", "pcm": "audio/pcm"}


class _SpeechHandler(QuietHandler):
    protocol_version = "HTTP/1.1"

    def _error(self, status: int, message: str, code: str | None, param: str | None) -> None:
        body = json.dumps(
            {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}}
        ).encode()
        self.answer(status, body, {"Content-Type": "application/json"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path.rstrip("/") != "/v1/audio/speech":
            return self._error(404, f"Invalid URL (POST {self.path})", "unknown_url", None)
        try:
            body = json.loads(raw)
        except ValueError:
            return self._error(400, "We could not parse the JSON body of your request.", None, None)
        if not body.get("model"):
            return self._error(400, "you must provide a model parameter", "missing_required_parameter", "model")
        if body.get("model") not in LOOPBACK_MODELS:
            return self._error(404, f"The model '{body.get('model')}' does not exist.", "model_not_found", "model")
        if body.get("voice") not in LOOPBACK_VOICES:
            return self._error(400, f"Invalid voice '{body.get('voice')}'.", "invalid_value", "voice")
        text = body.get("input") or ""
        if not text or len(text) > LOOPBACK_MAX_INPUT:
            return self._error(
                400, f"input must be 1 to {LOOPBACK_MAX_INPUT} characters.", "string_above_max_length", "input"
            )
        fmt = body.get("response_format", "mp3")
        if fmt not in CONTENT_TYPES:
            return self._error(400, f"response_format '{fmt}' is not supported.", "invalid_value", "response_format")
        # The one deviation: `speed` is read and ignored (every answer at the voice's own rate).
        from harness.speech import Rendition, default_engine, encode

        clip = default_engine().render(text, Rendition())
        audio = _pcm(clip) if fmt == "pcm" else encode(clip, fmt)
        self.answer_chunked(200, audio, {"Content-Type": CONTENT_TYPES[fmt]})  # streamed as it is made
        return None


def _pcm(clip: Any) -> bytes:
    import numpy as np
    import soxr

    samples = soxr.resample(clip.samples, clip.sample_rate, LOOPBACK_PCM_RATE)
    return (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()


@pytest.fixture(scope="session")
def loopback_url() -> Iterator[str]:
    """Base URL (ending in /v1) of the loopback speech server, for the whole session."""
    server = LoopbackServer(_SpeechHandler)
    try:
        yield f"{server.url}/v1"
    finally:
        server.close()


def providers_toml(hosted_url: str, loopback_url: str) -> str:
    """A providers file declaring the sandbox-served `hosted` and the loopback `loopy`."""
    return f"""
[providers.hosted]
protocol = "openai-speech"
base_url = "{hosted_url}"
key_env = "HOSTED_TTS_KEY"
models = ["gpt-4o-mini-tts", {{ name = "tts-1", stream = false }}]  # tts-1 takes no stream_format "sse"
voices = ["alloy", "nova"]
price_per_million_chars = 15
formats = ["mp3", "wav", "flac", "opus", "pcm"]
stream = true

[providers.loopy]
protocol = "openai-speech"
base_url = "{loopback_url}"
auth = "none"
models = ["loop-tts"]
voices = ["ember", "slate"]
price_per_million_chars = 0
max_input_chars = 8000
formats = ["wav", "mp3", "pcm"]
sample_rate = 22050
deviations = {{ speed = "reads speed and ignores it: every answer at the voice's own rate" }}
"""


@pytest.fixture
def write_providers_file(tmp_path: Path) -> Any:
    def write(text: str, name: str = "tts-harness.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@dataclass(frozen=True)
class DeclaredServers:
    """Both servers up, and the environment that points the harness at them through a providers file."""

    sandbox: Any
    loopback_url: str
    hosted_url: str
    env: dict[str, str]


@pytest.fixture(scope="session")
def declared_servers(loopback_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeclaredServers]:
    """A sandbox that serves the declared `hosted` (its host is the sandbox's generic OpenAI emulation),
    and a providers file whose `hosted` base URL is that sandbox and whose `loopy` is the loopback server."""
    from harness.core import declared
    from harness.sandbox import running

    folder = tmp_path_factory.mktemp("declared")
    # The sandbox serves what the registry declares when it starts; the real URL is known only after.
    # The file is in effect only while the sandbox starts, so no other test of the session sees it.
    first = folder / "start.toml"
    first.write_text(providers_toml("https://hosted.example/v1", loopback_url), encoding="utf-8")
    with contextlib.ExitStack() as stack:
        with providers_file_in_effect(first):
            sandbox = stack.enter_context(running(profile="fast"))
        hosted_url = f"{sandbox.base_url('hosted', 'v1')}"
        final = folder / "tts-harness.toml"
        final.write_text(providers_toml(hosted_url, loopback_url), encoding="utf-8")
        env = {
            **os.environ,
            declared.FILE_ENV: str(final),
            "HOSTED_TTS_KEY": sandbox.default_key("hosted"),
            "PYTHONPATH": str(REPO),
            "COLUMNS": "160",
        }
        yield DeclaredServers(sandbox, loopback_url, hosted_url, env)
