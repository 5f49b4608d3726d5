"""What the sandbox's ElevenLabs imitation holds beyond the protocol's declarations: how long answers
take, how large a streamed chunk is, how the generation buffer fills, and each voice's pitch."""

from __future__ import annotations

from harness.sandbox.profiles import Timing

TIMING = Timing(queue_s=0.0, processing_s=0.2, per_char_s=0.002)  # an HTTP answer, held this long
CHUNK_S = 0.5  # seconds of audio per AudioOutput message (the sandbox's choice; the documents give none)
DEFAULT_SCHEDULE = (120, 160, 250, 290)  # "The default value for chunk_length_schedule is: [120, 160, 250, 290]."
HTTP_CHUNK_BYTES = 16_384  # bytes per write of a streamed HTTP answer
UNSTREAMABLE = ("opus",)  # streamed Opus would be chained Ogg files: the sandbox refuses it over the socket


def pitch_of(voices: tuple[str, ...], voice: str) -> float:
    """Each declared voice is the embedded voice at its own pitch, so two voices sound apart."""
    index = voices.index(voice) if voice in voices else 0
    return ((index % 5) - 2) * 1.5


def schedule_threshold(schedule: tuple[float, ...], generations: int) -> float:
    """Characters the buffer needs before the next generation starts (the schedule's last value repeats)."""
    return schedule[min(generations, len(schedule) - 1)]
