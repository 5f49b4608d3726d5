"""The ground rules every family of TTS.ai wire models shares, so each family's module stays about one job.

Request models refuse parameters the document does not list (`extra="forbid"`: an unknown parameter
is almost always a typo, and refusing it before sending saves a paid call); response models keep
what the provider adds (`extra="allow"`), which the core reports as drift. The enums here are the
ones several endpoints share, and `Acknowledgement` the answer the document never shows.
"""

from __future__ import annotations

from typing import Any, Literal

from harness.core.spec import ResponseModel

DOC = "003_5a1e9ed5e19f8c2b.txt"

# "max 100,000 chars per request" on POST /v1/tts/ (plan limits are lower; see pricing.PLAN_LIMITS).
MAX_TEXT_CHARS = 100_000
SPEED_MIN = 0.5  # "Range: 0.5 to 2.0", on /v1/tts/ and on speech to speech
SPEED_MAX = 2.0

TtsFormat = Literal["mp3", "wav", "flac", "ogg"]  # /v1/tts/: "mp3 (default), wav, flac, ogg"
CloneFormat = Literal["mp3", "wav", "flac"]  # clone: "mp3 (default), wav, flac"; voice changer: wav default
Gender = Literal["male", "female", "neutral"]
JobStatus = Literal["queued", "processing", "completed", "failed"]


class Acknowledgement(ResponseModel):
    """An answer the document does not show (delete, archive, reactivate, webhook receipt)."""


def form_int(value: Any) -> Any:
    """A whole number sent as a form field arrives as text ("128"); compare it as the number it names.

    Used only on multipart endpoints, where text is the only wire form, so accepting "128" for 128
    loses nothing; JSON endpoints never use it.
    """
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value
