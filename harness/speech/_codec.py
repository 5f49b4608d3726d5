"""Encoding clips to the file formats providers return, and decoding whatever bytes come back.

All four formats go through libsndfile (bundled by soundfile >= 0.12, which writes MP3 too), so one
library both produces the sandbox's responses and reads real providers' audio (`_decode`, the one
decoder, which reads AAC in ADTS frames too; `encode_as` writes it). What bytes are is `harness.core.audio`'s
to say.
"""

from __future__ import annotations

import io
from enum import StrEnum

import numpy as np
import soundfile as sf

from harness.core import audio as audio_rule
from harness.core.audio import AudioKind

from ._decode import decode_audio
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
    AudioFormat.WAV: audio_rule.media_type(AudioKind.WAV),
    AudioFormat.MP3: audio_rule.media_type(AudioKind.MP3),
    AudioFormat.FLAC: audio_rule.media_type(AudioKind.FLAC),
    AudioFormat.OGG: audio_rule.media_type(AudioKind.VORBIS),
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
    """Any WAV, FLAC, OGG (Vorbis/Opus), MP3 or AAC (ADTS) file as a mono clip (channels averaged); `decode_audio`
    is the one decoder underneath."""
    audio = decode_audio(data)
    if not audio.frames:
        raise AudioCodecError(f"cannot decode {len(data)} bytes into a clip: the audio file has no samples")
    return Clip(audio.mono(), audio.sample_rate)


_FORMATS = {
    AudioKind.WAV: AudioFormat.WAV,
    AudioKind.MP3: AudioFormat.MP3,
    AudioKind.FLAC: AudioFormat.FLAC,
    AudioKind.OPUS: AudioFormat.OGG,
    AudioKind.VORBIS: AudioFormat.OGG,
    AudioKind.OGG: AudioFormat.OGG,
}


def sniff(data: bytes) -> AudioFormat | None:
    """Which of the formats this engine writes the bytes are (`harness.core.audio.sniff` reads them), or
    None: lets a check compare it with the claimed type."""
    kind = audio_rule.sniff(data)
    return None if kind is None else _FORMATS.get(kind)
