"""Shared pieces of the runner's tests: a small valid WAV, settings pointing at a temporary folder."""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.bench.config import BenchConfig


def make_wav(frames: int = 800, rate: int = 16000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x01\x00" * frames)
    return buffer.getvalue()


@pytest.fixture
def wav() -> bytes:
    return make_wav()


@pytest.fixture
def config(tmp_path: Path) -> BenchConfig:
    return BenchConfig(out=tmp_path / "reports", score=False, report=False, corpus=("en_read:2",))


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Any]:
    """One sandbox (fast profile, real clock) for the session, its voice already loaded."""
    import httpx

    from harness.sandbox.server import running

    with running("fast", 1, providers=("pixazo",), allow_http_webhooks=True) as sb:
        base, key = sb.base_url("pixazo", "gateway"), sb.default_key("pixazo")
        answer = httpx.post(base + "/chatterbox-text-to-speech/v1/chatterbox-text-to-speech-request",
                            json={"text": "Warming up."}, headers={"Ocp-Apim-Subscription-Key": key})
        sb.wait_produced(answer.json()["request_id"], 60.0)
        yield sb
