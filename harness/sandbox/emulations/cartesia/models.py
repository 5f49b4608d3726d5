"""What the sandbox's Cartesia imitation holds beyond the protocol's declarations."""

from __future__ import annotations

from harness.sandbox.profiles import Timing

TIMING = Timing(queue_s=0.0, processing_s=0.15, per_char_s=0.0015)  # a /tts/bytes answer, held this long
CHUNK_S = 0.2  # seconds of audio per chunk message (the sandbox's choice; the documents give none)
SENTENCE_ENDS = (".", "!", "?", ";", ":")  # a continued transcript is spoken once a sentence is complete
STATUS_STREAMING = 206  # "status_code": 206 on chunk, timestamps and done


def pitch_of(voices: tuple[str, ...], voice: str) -> float:
    index = voices.index(voice) if voice in voices else 0
    return ((index % 5) - 2) * 1.5
