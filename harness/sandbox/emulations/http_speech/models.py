"""What the sandbox keeps to play an HTTP speech provider: how long an answer takes, how a streamed answer
is cut, and how each declared voice sounds (the embedded voice at its own pitch, so voices sound apart)."""

from __future__ import annotations

from harness.sandbox.profiles import Timing

TIMING = Timing(queue_s=0.0, processing_s=0.25, per_char_s=0.002)  # a hosted model answering inline
OPUS_RATE = 48_000  # what an Opus stream is coded at, whatever rate the request names
CHUNK_BYTES = 16_384  # bytes per write of an answer sent as it is made
TOKEN_PREFIX = "sandbox-token-"  # tokens the sandbox issues for a key (the key itself never travels back)


def pitch_of(voices: tuple[str, ...], voice: str) -> float:
    """Each declared voice is the embedded voice at one of five pitches, by its place in the declaration."""
    index = voices.index(voice) if voice in voices else 0
    return ((index % 5) - 2) * 1.5


def length_scale(speed: object) -> float:
    """Piper's length scale for a requested speed (1/speed), held within what Piper renders (0.4-2.0, i.e. speeds
    0.5-2.5); no speed, or one that is not a positive number, is the normal pace."""
    if isinstance(speed, bool) or not isinstance(speed, int | float) or speed <= 0:
        return 1.0
    return min(2.0, max(0.4, 1.0 / speed))
