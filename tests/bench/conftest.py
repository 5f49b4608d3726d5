"""Shared pieces of the runner's tests: a small valid WAV, settings pointing at a temporary folder."""

from __future__ import annotations

import io
import wave
from pathlib import Path

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
