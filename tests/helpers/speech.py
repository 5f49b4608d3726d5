"""Deterministic speech from the harness's own offline voices (Piper "joe", espeak-ng), as samples or WAV bytes.

No recording is checked in besides the reference voices: tests render what they transcribe.
"""

from __future__ import annotations

import io

import numpy as np
import numpy.typing as npt
import soundfile

Samples = npt.NDArray[np.float32]


def render(text: str, engine: str = "piper", sample_rate: int = 22050, length_scale: float = 1.0) -> Samples:
    """Deterministic speech from the harness's offline voices."""
    from harness.speech import Engine, Rendition, default_engine

    clip = default_engine().render(
        text, Rendition(engine=Engine(engine), length_scale=length_scale, sample_rate=sample_rate)
    )
    return np.array(clip.samples, dtype=np.float32)


def wav_bytes(samples: Samples, rate: int, subtype: str = "PCM_16", fmt: str = "WAV") -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format=fmt, subtype=subtype)
    return buffer.getvalue()


def speak(text: str, engine: str = "piper", sample_rate: int = 22050, length_scale: float = 1.0) -> bytes:
    """WAV bytes of rendered speech."""
    return wav_bytes(render(text, engine, sample_rate, length_scale), sample_rate)
