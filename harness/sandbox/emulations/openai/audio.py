"""The OpenAI formats the speech engine does not write itself: Opus in Ogg (48 kHz) and headerless PCM.

The engine encodes WAV, MP3 and FLAC; `opus` and `pcm` are made from its WAV here. AAC has no encoder
in the sandbox's stack (libsndfile has none), so `aac` is refused with the protocol's 400.
"""

from __future__ import annotations

import io

import numpy as np
import soundfile
import soxr

from harness.core.protocols.openai_speech import PCM_SAMPLE_RATE
from harness.speech import decode

OPUS_SAMPLE_RATE = 48_000  # Opus runs at 48 kHz; libsndfile refuses 22.05/24 kHz input for it


def to_opus(wav: bytes) -> bytes:
    clip = decode(wav)
    samples = soxr.resample(clip.samples, clip.sample_rate, OPUS_SAMPLE_RATE)
    buffer = io.BytesIO()
    soundfile.write(buffer, np.clip(samples, -1.0, 1.0), OPUS_SAMPLE_RATE, format="OGG", subtype="OPUS")
    return buffer.getvalue()


def to_pcm(wav: bytes) -> bytes:
    """16-bit signed little-endian mono samples at 24 kHz, no header (the protocol's `pcm`)."""
    clip = decode(wav)
    samples = clip.samples if clip.sample_rate == PCM_SAMPLE_RATE else soxr.resample(
        clip.samples, clip.sample_rate, PCM_SAMPLE_RATE)
    return (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
