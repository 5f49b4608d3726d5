"""Spectral measures of rendered speech, for tests that tell voices and pitch shifts apart."""

from __future__ import annotations

import numpy as np

from harness.speech import Clip


def spectral_centroid(clip: Clip, max_hz: float = 8000.0) -> float:
    """Magnitude-weighted mean frequency of a clip up to max_hz (default 8 kHz).

    A resampling pitch shift by r maps the band [0, F / r] onto [0, F], so centroids over those bands
    differ by exactly r; comparing whole spectra would not, since shifting up pushes espeak-ng's strong
    top octave past Nyquist.
    """
    size = 1 << (len(clip.samples) - 1).bit_length()  # a power of two: FFTs of prime-ish lengths crawl
    magnitude = np.abs(np.fft.rfft(clip.samples, n=size))
    frequencies = np.fft.rfftfreq(size, 1 / clip.sample_rate)
    band = frequencies <= max_hz
    return float((magnitude[band] * frequencies[band]).sum() / magnitude[band].sum())
