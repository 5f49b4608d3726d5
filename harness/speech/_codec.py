"""Encoding clips to the file formats providers return, and decoding whatever bytes come back.

All four formats go through libsndfile (bundled by soundfile >= 0.12, which writes MP3 too), so one
library both produces the sandbox's responses and reads real providers' audio.
"""

from __future__ import annotations

import io
from enum import StrEnum

import numpy as np
import soundfile as sf

from ._errors import AudioCodecError
from ._types import Clip


class AudioFormat(StrEnum):
    WAV = "wav"
    MP3 = "mp3"
    FLAC = "flac"
    OGG = "ogg"

    @classmethod
    def parse(cls, value: str) -> AudioFormat:
        try:
            return cls(value.lower())
        except ValueError:
            valid = ", ".join(f.value for f in cls)
            raise ValueError(f"unknown audio format {value!r}; valid formats: {valid}") from None


MEDIA_TYPES: dict[AudioFormat, str] = {
    AudioFormat.WAV: "audio/wav",
    AudioFormat.MP3: "audio/mpeg",
    AudioFormat.FLAC: "audio/flac",
    AudioFormat.OGG: "audio/ogg",
}

# libsndfile (format, subtype) per format. 16-bit PCM is what providers' WAV and FLAC carry.
_SOUNDFILE_FORMATS: dict[AudioFormat, tuple[str, str]] = {
    AudioFormat.WAV: ("WAV", "PCM_16"),
    AudioFormat.MP3: ("MP3", "MPEG_LAYER_III"),
    AudioFormat.FLAC: ("FLAC", "PCM_16"),
    AudioFormat.OGG: ("OGG", "VORBIS"),
}

#: Sample rates MPEG-1/2/2.5 layer III can carry.
MP3_SAMPLE_RATES = frozenset({8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000})


def encode(clip: Clip, fmt: AudioFormat | str) -> bytes:
    """The clip as a complete file in `fmt` (mono)."""
    fmt = AudioFormat.parse(fmt)
    if fmt is AudioFormat.MP3 and clip.sample_rate not in MP3_SAMPLE_RATES:
        raise AudioCodecError(f"MP3 cannot carry {clip.sample_rate} Hz; valid rates: {sorted(MP3_SAMPLE_RATES)}")
    container, subtype = _SOUNDFILE_FORMATS[fmt]
    # libsndfile wraps around rather than clipping when float input exceeds full scale.
    samples = np.clip(clip.samples, -1.0, 1.0)
    buffer = io.BytesIO()
    try:
        sf.write(buffer, samples, clip.sample_rate, format=container, subtype=subtype)
    except (sf.LibsndfileError, TypeError, ValueError) as exc:
        raise AudioCodecError(
            f"cannot encode {clip.duration_s:.2f} s at {clip.sample_rate} Hz as {fmt}: {exc}"
        ) from exc
    return buffer.getvalue()


def decode(data: bytes) -> Clip:
    """Any WAV, FLAC, OGG (Vorbis/Opus) or MP3 file as a mono clip (channels averaged)."""
    if not data:
        raise AudioCodecError("cannot decode audio: got 0 bytes")
    try:
        samples, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, TypeError, RuntimeError) as exc:
        raise AudioCodecError(f"cannot decode {len(data)} bytes as audio (starts with {data[:16]!r}): {exc}") from exc
    if not len(samples):
        raise AudioCodecError(f"{len(data)} bytes decode to an audio file with no samples")
    return Clip(samples.mean(axis=1), int(rate))


def sniff(data: bytes) -> AudioFormat | None:
    """The format the bytes' magic numbers show, or None: lets a check compare it with the claimed type."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return AudioFormat.WAV
    if data[:4] == b"fLaC":
        return AudioFormat.FLAC
    if data[:4] == b"OggS":
        return AudioFormat.OGG
    # An ID3 tag, or an MPEG audio frame sync (11 set bits) with layer III.
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and (data[1] & 0xE6) == 0xE2):
        return AudioFormat.MP3
    return None
