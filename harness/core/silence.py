"""Where audio is silent: one definition for the sandbox that writes a markup pause (it trims a rendered piece's own
edges so the pause is the asked length) and the judge that measures it (`harness.measurement.markup`), so both read
the same frames the same way.

A frame is `FRAME_S` (10 ms) of samples; it is silent when its RMS is more than `SILENT_DB` below the loudest
frame's of the same audio. Relative, not absolute: a quiet voice and a loud one, a lossy codec's noise floor and a
clean render all keep their pauses (40 dB under the speech is far below any syllable and far above an MP3's or a
G.711 stream's floor). numpy is imported when called (the sandbox and score extras have it).
"""

from __future__ import annotations

from typing import Any

FRAME_S = 0.010
SILENT_DB = -40.0


def silent_frames(samples: Any, sample_rate: int) -> Any:
    """A boolean per `FRAME_S` frame of mono `samples`: whether it is silent (all silent when the audio is)."""
    import numpy as np

    data = np.asarray(samples, dtype=np.float64)
    frame = max(1, round(FRAME_S * sample_rate))
    count = len(data) // frame
    if count == 0:
        return np.ones(0, dtype=bool)
    rms = np.sqrt(np.mean(data[: count * frame].reshape(count, frame) ** 2, axis=1))
    loudest = float(rms.max())
    if loudest <= 0.0:
        return np.ones(count, dtype=bool)
    return rms < loudest * 10 ** (SILENT_DB / 20)


def silent_runs(samples: Any, sample_rate: int) -> list[tuple[float, float]]:
    """Each run of silent frames as (start, end) seconds, in order."""
    runs: list[tuple[float, float]] = []
    start: int | None = None
    flags = list(silent_frames(samples, sample_rate))
    for index, silent in enumerate([*flags, False]):
        if silent and start is None:
            start = index
        elif not silent and start is not None:
            runs.append((start * FRAME_S, index * FRAME_S))
            start = None
    return runs


def sounding_bounds(samples: Any, sample_rate: int) -> tuple[int, int]:
    """The sample range [first, end) from the first sounding frame to the last one's end; (0, 0) when all silent."""
    import numpy as np

    flags = silent_frames(samples, sample_rate)
    sounding = np.nonzero(~flags)[0]
    if sounding.size == 0:
        return 0, 0
    frame = max(1, round(FRAME_S * sample_rate))
    return int(sounding[0]) * frame, min(len(samples), (int(sounding[-1]) + 1) * frame)
