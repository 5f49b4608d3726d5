"""Upload rules of TTS.ai's multipart endpoints: size limits, accepted formats, audio durations.

The document gives a size limit per endpoint ("Max 100MB", "Max 20MB", "Max 50MB"), a list of
accepted formats on some, and a 5–30 s duration for saved voices. They become pydantic validators on
the `Upload` fields, so an oversized or wrongly typed file is refused before it is sent. "MB" is not
defined by the document; the larger reading (MiB) is enforced, so nothing the provider may accept is
refused. Durations are only known without a decoder for WAV (the stdlib `wave` module reads PCM
headers); other formats are not duration-checked, and the prices fall back to a stated worst case.
"""

from __future__ import annotations

import io
import math
import wave
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from typing import Any

from harness.core.spec import Upload

MIB = 1024 * 1024

# Per-endpoint limits, in bytes, as written in the document (exported for the sandbox).
UPLOAD_LIMITS: Mapping[str, int] = {
    "stt": 100 * MIB,  # "Max 100MB"
    "clone": 20 * MIB,  # "Max 20MB"
    "voice-convert": 50 * MIB,  # "Max 50MB"
    "translate": 100 * MIB,  # "Max 100MB"
    "speech-to-speech": 50 * MIB,  # "Max 50MB"
}

STT_FORMATS = ("mp3", "wav", "flac", "ogg", "m4a", "mp4", "webm")
VOICE_CHANGER_FORMATS = ("mp3", "wav", "flac")
EMBED_FORMATS = ("wav", "mp3", "flac")

SAVED_VOICE_MIN_SECONDS = 5.0  # "file (required, 5-30s audio)"
SAVED_VOICE_MAX_SECONDS = 30.0
CLONE_REFERENCE_RECOMMENDED_SECONDS = (10.0, 30.0)  # "10-30 seconds recommended": advice, not enforced

# Upper bound on the duration of a file that cannot be measured without decoding it: no speech
# codec the document lists runs below 8 kbit/s (1,000 bytes a second), so size / 1,000 seconds is
# never less than the true duration. Prices computed from it are worst cases, never underestimates.
WORST_CASE_BYTES_PER_SECOND = 1_000


def extension(filename: str) -> str:
    """The lower-case extension of a file name, without the dot ("" when there is none)."""
    return PurePosixPath(filename).suffix.lower().lstrip(".")


def wav_seconds(content: bytes) -> float | None:
    """The duration of a PCM WAV file, or None when the bytes are not one `wave` can read."""
    try:
        with wave.open(io.BytesIO(content), "rb") as reader:
            rate = reader.getframerate()
            frames = reader.getnframes()
    except (wave.Error, EOFError):
        return None
    return frames / rate if rate else None


def upload_bytes(value: Any) -> bytes | None:
    """The content of an upload however it reached a price function (model, dict or raw bytes)."""
    if isinstance(value, Upload):
        return value.content
    if isinstance(value, Mapping) and isinstance(value.get("content"), bytes):
        return bytes(value["content"])
    if isinstance(value, bytes):
        return value
    return None


def billable_minutes(value: Any) -> int | None:
    """Started minutes of audio in an upload: exact for WAV, a worst-case bound otherwise.

    None when there is no upload to measure. Billing per started minute follows the translation
    example, whose one-sentence clip is charged a full minute (credits_used 5 at 5,000 a minute).
    """
    content = upload_bytes(value)
    if content is None:
        return None
    seconds = wav_seconds(content)
    if seconds is None:
        seconds = len(content) / WORST_CASE_BYTES_PER_SECOND
    return math.ceil(seconds / 60)


def upload_rule(
    max_bytes: int | None = None,
    formats: tuple[str, ...] = (),
    seconds: tuple[float, float] | None = None,
) -> Callable[[Upload | None], Upload | None]:
    """A validator for an `Upload` field: non-empty, within `max_bytes`, of a listed format.

    A file name without an extension passes the format check (browsers send "blob"); a WAV file
    outside `seconds` is refused (other formats cannot be measured here).
    """

    def check(upload: Upload | None) -> Upload | None:
        if upload is None:
            return None
        size = len(upload.content)
        if size == 0:
            raise ValueError(f"file {upload.filename!r} is empty")
        if max_bytes is not None and size > max_bytes:
            raise ValueError(
                f"file {upload.filename!r} is {size:,} bytes; the documented limit is {max_bytes // MIB} MB"
            )
        ext = extension(upload.filename)
        if formats and ext and ext not in formats:
            raise ValueError(f"file {upload.filename!r} is .{ext}; the documented formats are {', '.join(formats)}")
        if seconds is not None:
            duration = wav_seconds(upload.content)
            low, high = seconds
            if duration is not None and not low <= duration <= high:
                raise ValueError(
                    f"file {upload.filename!r} lasts {duration:.2f} s; the documented range is {low:g}–{high:g} s"
                )
        return upload

    return check


def silent_wav(seconds: float, rate: int = 8_000) -> bytes:
    """A mono 16-bit PCM WAV of silence: the stand-in for the document's example files."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(b"\0\0" * round(seconds * rate))
    return buffer.getvalue()


def sample_upload(filename: str, seconds: float = 1.0) -> Upload:
    """An example upload named as in the document (content: silence, since the document's file is not given)."""
    return Upload(filename=filename, content=silent_wav(seconds), content_type="audio/wav")
