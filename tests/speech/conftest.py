"""Fixtures of the speech tests: one loaded Piper voice per test session (loading costs ~1.6 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.speech import SpeechEngine
from harness.speech._piper import PiperBackend
from tests.helpers.repo import VOICES

SENTENCE = "The quick brown fox jumps over the lazy dog near the quiet river."


@pytest.fixture(scope="session")
def piper_backend() -> PiperBackend:
    """Renders for real: the session's shared folder of renders (the root conftest's) is not read here."""
    backend = PiperBackend(store=None)
    backend.load("joe")
    return backend


@pytest.fixture
def engine(piper_backend: PiperBackend) -> SpeechEngine:
    """A fresh engine (empty cache, zero counters) sharing the session's loaded voice."""
    return SpeechEngine(piper=piper_backend)


@pytest.fixture
def sentence() -> str:
    """About 3.7 s of speech with no words a normaliser could split or join."""
    return SENTENCE


@pytest.fixture
def voices_dir() -> Path:
    return VOICES
