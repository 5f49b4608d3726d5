"""The degraded Piper backend: the deliberately worse "model", made from the pip-installed voice alone.

A benchmark must show it can tell a good model from a bad one, so the sandbox offers a voice that is
measurably less intelligible than its main one (pooled WER at least twice as high on the read corpus:
see benchmarks/perf/sandbox_voice_wer.py) without needing any system package. Piper renders the text
faster than asked, then the audio goes through what a cheap model behind a phone line sounds like:
down-sampled to an 8 kHz telephone band and mixed with hiss at a fixed signal-to-noise ratio.

Piper's own noise scales would degrade it too, but they draw from onnxruntime's unseeded generator, so
two renders would differ; here the hiss comes from a generator seeded by the text, which keeps the
rendition deterministic (identical samples for identical text and settings, as the harness requires).
"""

from __future__ import annotations

import zlib

import numpy as np
import numpy.typing as npt
import soxr

from ._piper import PiperBackend, Rendered

#: Speaking-rate factor applied on top of the rendition's (< 1 is faster): hurried speech.
SPEEDUP = 0.8
#: The telephone band: everything above 4 kHz is lost.
BAND_RATE = 8000
#: Hiss level below the speech's RMS, in dB.
SNR_DB = 12.0


class DegradedPiperBackend:
    """Piper rendered hurried, band-limited and noisy; deterministic. Callers serialise calls (see Piper)."""

    def __init__(self, piper: PiperBackend) -> None:
        self._piper = piper

    def synthesize(self, text: str, voice: str, length_scale: float) -> tuple[npt.NDArray[np.float32], int]:
        samples, rate, _ = self.synthesize_timed(text, voice, length_scale)
        return samples, rate

    def synthesize_timed(self, text: str, voice: str, length_scale: float) -> Rendered:
        """The hurried render's words keep their times: band-limiting and hiss move no sample in time."""
        clean, native_rate, words = self._piper.synthesize_timed(text, voice, length_scale * SPEEDUP)
        narrow = soxr.resample(clean, native_rate, BAND_RATE).astype(np.float64)
        rms = float(np.sqrt(np.mean(narrow**2))) if len(narrow) else 0.0
        # Seeded by text and voice only: the same request always gets the same hiss.
        seed = zlib.crc32(f"{voice}\n{text}".encode())
        hiss = np.random.default_rng(seed).normal(0.0, rms / 10 ** (SNR_DB / 20), len(narrow))
        return (narrow + hiss).astype(np.float32), BAND_RATE, words
