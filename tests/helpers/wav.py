"""Small valid WAV files made with the standard library, for tests that need bytes a decoder accepts."""

from __future__ import annotations

import io
import wave


def pcm_wav(frames: int = 800, rate: int = 16000, sample: bytes = b"\x01\x00") -> bytes:
    """Mono 16-bit PCM: `frames` copies of one little-endian `sample` (default 1, near silence)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(sample * frames)
    return buffer.getvalue()
