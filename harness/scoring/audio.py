"""Decode provider audio to samples, and say what the container really is.

Providers declare a media type, sample rate and channel count (in a header, a response field or their
documents); what matters is what the bytes contain. soundfile (libsndfile) decodes WAV, FLAC, Ogg
Vorbis/Opus and MP3 in-process, so no ffmpeg is needed; headerless PCM is decoded only when declared as
such. A WAV whose ``data`` chunk promises more bytes than arrived is a truncated download, which libsndfile
silently accepts, so the RIFF chunk list is walked here to notice it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import soundfile

from harness.scoring.errors import AudioDecodeError

# Aliases seen in the wild for the same container.
_MEDIA_TYPE_ALIASES = {
    "audio/x-wav": "audio/wav",
    "audio/wave": "audio/wav",
    "audio/vnd.wave": "audio/wav",
    "audio/x-pn-wav": "audio/wav",
    "audio/x-flac": "audio/flac",
    "audio/mp3": "audio/mpeg",
    "audio/mpeg3": "audio/mpeg",
    "audio/x-mpeg-3": "audio/mpeg",
    "audio/x-mp3": "audio/mpeg",
    "application/ogg": "audio/ogg",
    "audio/x-ogg": "audio/ogg",
    "audio/x-aiff": "audio/aiff",
}
_FORMAT_MEDIA_TYPES = {
    "WAV": "audio/wav",
    "WAVEX": "audio/wav",
    "RF64": "audio/wav",
    "FLAC": "audio/flac",
    "OGG": "audio/ogg",
    "MP3": "audio/mpeg",
    "AIFF": "audio/aiff",
}
# Headerless PCM media types: little-endian by convention, except L16 (RFC 2586: network byte order).
_RAW_PCM = {"audio/pcm": "LITTLE", "audio/raw": "LITTLE", "audio/x-raw": "LITTLE", "audio/l16": "BIG"}
# WAV data-chunk sizes that streaming writers use for "unknown length".
_UNKNOWN_SIZES = frozenset({0, 0xFFFFFFFF, 0x7FFFFFFF, 0x7FFFF000})

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class DecodedAudio:
    """Samples (frames x channels, float32 in [-1, 1]) and what the container says about them."""

    samples: FloatArray
    sample_rate: int
    container: str
    subtype: str
    media_type: str
    missing_share: float | None

    @property
    def channels(self) -> int:
        return int(self.samples.shape[1])

    @property
    def frames(self) -> int:
        return int(self.samples.shape[0])

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate

    def mono(self) -> FloatArray:
        """Channels averaged, which is what ASR and speaker models expect."""
        if self.channels == 1:
            return np.ascontiguousarray(self.samples[:, 0])
        return np.ascontiguousarray(self.samples.mean(axis=1, dtype=np.float32))

    def mono_at(self, rate: int) -> FloatArray:
        """Mono samples resampled to ``rate`` (Whisper and resemblyzer want 16 kHz)."""
        mono = self.mono()
        if self.sample_rate == rate or mono.size == 0:
            return mono
        import soxr

        return np.asarray(soxr.resample(mono, self.sample_rate, rate), dtype=np.float32)


def canonical_media_type(media_type: str | None) -> str | None:
    """Lower-case media type without parameters, aliases folded ("audio/x-wav; codec=1" -> "audio/wav")."""
    if media_type is None or not media_type.strip():
        return None
    base = media_type.split(";", 1)[0].strip().lower()
    return _MEDIA_TYPE_ALIASES.get(base, base)


def media_type_matches(declared: str | None, audio: DecodedAudio) -> bool:
    """Whether a declared media type describes the decoded container (``None`` declares nothing)."""
    canonical = canonical_media_type(declared)
    # application/octet-stream says "bytes", not a format: it cannot contradict what the bytes are
    # (the documents that use it are reported as documentation drift by the contract layer instead).
    if canonical in (None, "application/octet-stream") or canonical == audio.media_type or canonical in _RAW_PCM:
        return True
    # RFC 7845 registers audio/opus for Ogg Opus; audio/webm and others are simply different containers.
    return canonical == "audio/opus" and audio.container == "OGG" and audio.subtype == "OPUS"


def decode_audio(
    data: bytes,
    declared_media_type: str | None = None,
    declared_sample_rate: int | None = None,
    declared_channels: int | None = None,
) -> DecodedAudio:
    """Decode audio bytes; headerless PCM needs its declared media type and sample rate."""
    if not data:
        raise AudioDecodeError("expected audio bytes, got an empty body")
    canonical = canonical_media_type(declared_media_type)
    raw_endian = _RAW_PCM.get(canonical or "")
    try:
        if raw_endian is not None:
            if not declared_sample_rate:
                raise AudioDecodeError(f"headerless {canonical} needs a declared sample rate, none was given")
            samples, rate = soundfile.read(
                io.BytesIO(data),
                dtype="float32",
                always_2d=True,
                format="RAW",
                subtype="PCM_16",
                endian=raw_endian,
                samplerate=declared_sample_rate,
                channels=declared_channels or 1,
            )
            container, subtype, media_type = "RAW", "PCM_16", canonical or "audio/pcm"
        else:
            with soundfile.SoundFile(io.BytesIO(data)) as sound:
                container, subtype = sound.format, sound.subtype
                rate = sound.samplerate
                samples = sound.read(dtype="float32", always_2d=True)
            media_type = _FORMAT_MEDIA_TYPES.get(container, f"audio/x-{container.lower()}")
    except soundfile.LibsndfileError as exc:
        raise AudioDecodeError(
            f"expected audio soundfile can decode (WAV, FLAC, Ogg, MP3), got {len(data)} bytes "
            f"starting {data[:12]!r}: {exc}"
        ) from exc
    except (RuntimeError, TypeError, ValueError) as exc:
        raise AudioDecodeError(f"could not decode {len(data)} bytes of audio: {exc}") from exc
    missing = _wav_missing_share(data) if container in {"WAV", "WAVEX"} else None
    return DecodedAudio(
        samples=np.asarray(samples, dtype=np.float32),
        sample_rate=int(rate),
        container=container,
        subtype=subtype,
        media_type=media_type,
        missing_share=missing,
    )


def _wav_missing_share(data: bytes) -> float | None:
    """Share of the WAV ``data`` chunk's promised bytes that did not arrive (None when not knowable)."""
    if data[8:12] != b"WAVE" or data[:4] not in (b"RIFF", b"RIFX"):
        return None
    order: Literal["little", "big"] = "little" if data[:4] == b"RIFF" else "big"
    offset = 12
    while offset + 8 <= len(data):
        chunk_id = data[offset : offset + 4]
        size = int.from_bytes(data[offset + 4 : offset + 8], order)
        if chunk_id == b"data":
            if size in _UNKNOWN_SIZES:
                return None
            available = len(data) - offset - 8
            return max(0.0, (size - available) / size)
        offset += 8 + size + (size & 1)
    return None
