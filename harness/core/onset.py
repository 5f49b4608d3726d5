"""Where speech begins in audio: one definition for the runner that measures perceived time to first
audio and the sandbox that keeps its truth, so both read the same sample of the same audio.

Coval's rule (the first 10 ms frame whose RMS reaches 0.01, full scale 1.0) answers in frames: a figure
measured with it is late by up to a frame. Here the level must be sustained for a short window (every
1 ms block of the next `SUSTAIN_S` has an RMS ≥ `ONSET_RMS`, so a click or dither does not count), and the
onset is the first sample at the window's start whose magnitude reaches the level: sample resolution. numpy is
imported when called (the sandbox and score extras have it).
"""

from __future__ import annotations

from typing import Any

SUSTAIN_S = 0.005  # the level must hold this long ...
BLOCK_S = 0.001  # ... in every block of this length (a click fills one block, speech all of them)
ONSET_RMS = 0.01


def speech_onset_s(samples: Any, sample_rate: int) -> float | None:
    """Seconds into mono `samples` where speech begins; None when the level is never sustained."""
    import numpy as np

    magnitude = np.abs(np.asarray(samples, dtype=np.float64))
    block = max(1, round(BLOCK_S * sample_rate))
    blocks = max(1, round(SUSTAIN_S / BLOCK_S))
    if len(magnitude) < block * blocks:
        return None
    energy = np.concatenate(([0.0], np.cumsum(magnitude**2)))
    level = np.sqrt(np.maximum(energy[block:] - energy[:-block], 0.0) / block)  # RMS of [i, i + block)
    starts = len(level) - (blocks - 1) * block
    sustained = np.ones(starts, dtype=bool)
    for k in range(blocks):
        sustained &= level[k * block : k * block + starts] >= ONSET_RMS
    found = np.nonzero(sustained)[0]
    if found.size == 0:
        return None
    first = int(found[0])
    inside = np.nonzero(magnitude[first : first + block] >= ONSET_RMS)[0]  # one is: the block's RMS reaches it
    return (first + int(inside[0])) / sample_rate
