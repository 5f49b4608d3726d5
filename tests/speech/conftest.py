"""Shared fixtures: one loaded Piper voice per test session (loading costs ~1.6 s)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from harness.speech import Clip, SpeechEngine
from harness.speech._piper import PiperBackend

SENTENCE = "The quick brown fox jumps over the lazy dog near the quiet river."
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def piper_backend() -> PiperBackend:
    backend = PiperBackend()
    backend.load("joe")
    return backend


@pytest.fixture
def engine(piper_backend: PiperBackend) -> SpeechEngine:
    """A fresh engine (empty cache, zero counters) sharing the session's loaded voice."""
    return SpeechEngine(piper=piper_backend)


def _spectral_centroid(clip: Clip, max_hz: float = 8000.0) -> float:
    size = 1 << (len(clip.samples) - 1).bit_length()  # a power of two: FFTs of prime-ish lengths crawl
    magnitude = np.abs(np.fft.rfft(clip.samples, n=size))
    frequencies = np.fft.rfftfreq(size, 1 / clip.sample_rate)
    band = frequencies <= max_hz
    return float((magnitude[band] * frequencies[band]).sum() / magnitude[band].sum())


@pytest.fixture
def sentence() -> str:
    """About 3.7 s of speech with no words a normaliser could split or join."""
    return SENTENCE


@pytest.fixture
def spectral_centroid() -> Callable[..., float]:
    """Magnitude-weighted mean frequency of a clip up to max_hz (default 8 kHz).

    A resampling pitch shift by r maps the band [0, F / r] onto [0, F], so centroids over those bands
    differ by exactly r; comparing whole spectra would not, since shifting up pushes espeak-ng's strong
    top octave past Nyquist.
    """
    return _spectral_centroid


@pytest.fixture
def voices_dir() -> Path:
    return REPO_ROOT / "fixtures" / "voices"
