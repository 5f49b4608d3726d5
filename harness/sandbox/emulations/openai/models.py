"""What the sandbox keeps to play an OpenAI-speech provider: how fast it answers and how each declared
voice sounds (the embedded voice at its own pitch, so two voices sound apart)."""

from __future__ import annotations

from harness.sandbox.emulation import Voice
from harness.sandbox.profiles import Timing
from harness.speech import Rendition

TIMING = Timing(queue_s=0.0, processing_s=0.25, per_char_s=0.002)  # a fast hosted model, answered inline
SAMPLE_RATE = 24_000  # the protocol's rate (its pcm is 24 kHz)
OPUS_SAMPLE_RATE = 48_000  # Opus runs at 48 kHz; libsndfile refuses 22.05/24 kHz input for it


def length_scale(speed: float) -> float:
    return min(2.0, max(0.4, 1.0 / speed))


def voice_of(declared: tuple[str, ...], name: str, speed: float) -> Voice:
    """The voice `name` (one of the provider's `declared` voices) speaking at `speed`."""
    index = declared.index(name) if name in declared else 0
    pitch = ((index % 5) - 2) * 1.5  # alloy, nova, ...: the same speaker at distinct pitches
    return Voice(Rendition(length_scale=length_scale(speed), sample_rate=SAMPLE_RATE, pitch_shift=pitch))
