"""Where speech begins in audio: one definition for the runner that measures perceived time to first
audio and the sandbox that keeps its truth. Coval's rule: the first 10 ms frame whose RMS reaches 0.01
(full scale 1.0). numpy is imported when called (the sandbox and score extras have it).
"""

from __future__ import annotations

from typing import Any

FRAME_S = 0.010
ONSET_RMS = 0.01


def speech_onset_s(samples: Any, sample_rate: int) -> float | None:
    """Seconds into mono `samples` where speech begins; None when no frame is loud enough."""
    import numpy as np

    frame = max(1, round(FRAME_S * sample_rate))
    count = len(samples) // frame
    if count == 0:
        return None
    frames = np.asarray(samples[: count * frame], dtype=np.float64).reshape(count, frame)
    loud = np.nonzero(np.sqrt(np.mean(frames**2, axis=1)) >= ONSET_RMS)[0]
    return None if loud.size == 0 else float(loud[0] * frame / sample_rate)
