"""Where speech begins in audio: one definition for the runner that measures perceived time to first
audio and the sandbox that keeps its truth, so both read the same sample of the same audio.

Coval's rule (the first 10 ms frame whose RMS reaches 0.01, full scale 1.0) answers in frames: a figure
measured with it is late by up to a frame. Here the level must be sustained over a short window (RMS of
`SUSTAIN_S` of samples ≥ `ONSET_RMS`, so a click or dither does not count), and the onset is the first
sample inside the first such window whose magnitude reaches the level: sample resolution. numpy is
imported when called (the sandbox and score extras have it).
"""

from __future__ import annotations

from typing import Any

SUSTAIN_S = 0.005
ONSET_RMS = 0.01


def speech_onset_s(samples: Any, sample_rate: int) -> float | None:
    """Seconds into mono `samples` where speech begins; None when no window is loud enough."""
    import numpy as np

    magnitude = np.abs(np.asarray(samples, dtype=np.float64))
    width = max(1, round(SUSTAIN_S * sample_rate))
    if len(magnitude) < width:
        return None
    energy = np.concatenate(([0.0], np.cumsum(magnitude**2)))
    rms = np.sqrt(np.maximum(energy[width:] - energy[:-width], 0.0) / width)  # window [i, i + width)
    loud = np.nonzero(rms >= ONSET_RMS)[0]
    if loud.size == 0:
        return None
    first = int(loud[0])
    inside = np.nonzero(magnitude[first:first + width] >= ONSET_RMS)[0]
    return (first + int(inside[0])) / sample_rate
