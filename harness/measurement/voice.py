"""Two facts of a voice in a clip that a wrong sample rate moves together: how long its sound lasts and how high it
sounds (`harness.core.heard_rate`). numpy on decoded mono samples, a few milliseconds a clip.

* `sounding_s` (owned by `harness.core.heard_rate`, which the contract suite's rate check shares): from the first to
  the last 10 ms frame at speech level: the leading and trailing silence a stream adds are not the voice's length.
* `lower_by`: how many times lower a clip sounds than another, from their long-term average spectra on a
  log-frequency axis (the shift that lines them up, up to an octave either way): samples read at the wrong rate move
  the voice's pitch and its formants together by the rate's ratio, while two voices' registers differ by less
  (a pitch tracker's octave errors on real speech made the median fundamental useless for this: measured).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from harness.core.heard_rate import FRAME_S, SPEECH_RMS, sounding_s

__all__ = ["FRAME_S", "SPEECH_RMS", "lower_by", "sounding_s", "spectrum"]

FFT_S = 0.04
LOW_HZ, HIGH_HZ = 80.0, 6000.0  # a voice's pitch and formants; 6 kHz: under the Nyquist of 16 kHz audio read at 24
BINS_PER_OCTAVE = 48  # a quarter semitone
BAND_SHARE = 0.9  # of the Nyquist: the anti-aliasing filter's roll-off above it
MIN_OVERLAP_OCTAVES = 2.0  # of bins both spectra hold, for a shift to be judged at all


def spectrum(samples: Any, rate: int) -> Any:
    """The clip's long-term average spectrum on a log-frequency axis (`LOW_HZ`-`HIGH_HZ`, `BINS_PER_OCTAVE`), in dB
    about its own mean, over the frames at speech level; None when it has too few. Bins above `BAND_SHARE` of the
    clip's Nyquist are NaN: 8 kHz audio has nothing above 4 kHz, and the edge's value held flat to 6 kHz made a third
    of its spectrum a plateau that lined up with the wrong shift (a 1.5× mislabel read 1.30× on one run, 1.46× on
    the next: the voices beside it decide which peak wins)."""
    x = np.asarray(samples, dtype=np.float64)
    size = 1 << int(np.ceil(np.log2(FFT_S * rate)))
    if len(x) < size:
        return None
    starts = np.arange(0, len(x) - size + 1, size // 2)
    frames = x[starts[:, None] + np.arange(size)]
    frames = frames[np.sqrt(np.mean(frames**2, axis=1)) >= SPEECH_RMS]
    if len(frames) < 10:
        return None
    power = np.mean(np.abs(np.fft.rfft(frames * np.hanning(size), axis=1)) ** 2, axis=0)
    grid = LOW_HZ * 2.0 ** (np.arange(int(np.log2(HIGH_HZ / LOW_HZ) * BINS_PER_OCTAVE)) / BINS_PER_OCTAVE)
    level = 10 * np.log10(np.interp(grid, np.fft.rfftfreq(size, 1 / rate), power) + 1e-20)
    level[grid > BAND_SHARE * rate / 2] = np.nan
    return level - np.nanmean(level)


def lower_by(own: Any, reference: Any) -> float | None:
    """How many times lower the spectrum `own` sounds than `reference` (each `spectrum`'s): the shift, up to an
    octave either way, that best lines them up (a voice's pitch and formants move together when its samples are
    read at another rate); None when either has too little speech."""
    if own is None or reference is None:
        return None
    reach = BINS_PER_OCTAVE
    scores = [
        _agreement(own[max(0, -k) : len(own) - max(0, k)], reference[max(0, k) : len(reference) - max(0, -k)])
        for k in range(-reach, reach + 1)
    ]
    if all(np.isnan(scores)):
        return None
    return float(2.0 ** ((int(np.nanargmax(scores)) - reach) / BINS_PER_OCTAVE))


def _agreement(one: Any, other: Any) -> float:
    """The correlation of two spectra over the bins both hold (NaN: under `MIN_OVERLAP_OCTAVES` of them)."""
    both = ~(np.isnan(one) | np.isnan(other))
    if both.sum() < MIN_OVERLAP_OCTAVES * BINS_PER_OCTAVE:
        return float("nan")
    return float(np.corrcoef(one[both], other[both])[0, 1])
