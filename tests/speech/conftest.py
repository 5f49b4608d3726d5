"""Fixtures of the speech tests: one loaded Piper voice per test session (loading costs ~1.6 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.speech import SpeechEngine
from harness.speech._piper import PiperBackend
from harness.speech._render_store import RenderStore
from tests.helpers.repo import VOICES

SENTENCE = "The quick brown fox jumps over the lazy dog near the quiet river."


@pytest.fixture(scope="session")
def piper_backend() -> PiperBackend:
    """Renders for real: the session's shared folder of renders (the root conftest's) is not read here, and no
    render is kept in memory (`recent=0`)."""
    backend = PiperBackend(store=None, recent=0)
    backend.load("joe")
    return backend


@pytest.fixture(scope="session")
def remembering_backend(tmp_path_factory: pytest.TempPathFactory) -> PiperBackend:
    """Synthesises each text, voice and rate once in this process and keeps the render
    (harness.speech._render_store): for tests of what the engine does with speech (rates, pitch, the
    degraded voice, codecs, scripts), which render the same sentence again and again. The session's folder
    of renders when there is one (the root conftest's, shared by the xdist workers), else one of its own."""
    return PiperBackend(store=RenderStore.from_environment() or RenderStore(tmp_path_factory.mktemp("renders")))


@pytest.fixture
def engine(remembering_backend: PiperBackend) -> SpeechEngine:
    """A fresh engine (empty cache, zero counters); Piper's renders are kept across the session's tests."""
    return SpeechEngine(piper=remembering_backend)


@pytest.fixture
def rendering_engine(piper_backend: PiperBackend) -> SpeechEngine:
    """A fresh engine whose every cache miss is synthesised by Piper: for tests of rendering itself."""
    return SpeechEngine(piper=piper_backend)


@pytest.fixture
def sentence() -> str:
    """About 3.7 s of speech with no words a normaliser could split or join."""
    return SENTENCE


@pytest.fixture
def voices_dir() -> Path:
    return VOICES
