"""The vocabulary of the audio rule: the kinds of audio, the media types they go by (aliases folded),
headerless PCM layouts, and what the headers of one body say (`AudioInfo`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from harness.core.errors import HarnessError

ByteOrder = Literal["little", "big"]


class AudioDecodeError(HarnessError):
    """Audio bytes the one decoder (`harness.speech.decode_audio`) cannot turn into samples."""


class AudioKind(StrEnum):
    WAV = "wav"
    MP3 = "mp3"
    AAC = "aac"
    MP4 = "mp4"
    FLAC = "flac"
    OPUS = "opus"
    VORBIS = "vorbis"
    OGG = "ogg"  # Ogg carrying another codec (FLAC, Speex, ...)
    AIFF = "aiff"
    PCM = "pcm"


# Canonical media types each kind may be declared as; the first is the one the harness writes.
MEDIA_TYPES: dict[AudioKind, tuple[str, ...]] = {
    AudioKind.WAV: ("audio/wav",),
    AudioKind.MP3: ("audio/mpeg",),
    AudioKind.AAC: ("audio/aac",),
    AudioKind.MP4: ("audio/mp4",),
    AudioKind.FLAC: ("audio/flac",),
    AudioKind.OPUS: ("audio/ogg", "audio/opus"),  # RFC 7845 registers audio/opus for Ogg Opus
    AudioKind.VORBIS: ("audio/ogg", "audio/vorbis"),
    AudioKind.OGG: ("audio/ogg",),
    AudioKind.AIFF: ("audio/aiff",),
    # Headerless samples: 16-bit (audio/pcm little-endian, audio/L16 big-endian) or G.711 bytes (audio/basic is
    # 8-bit mu-law at 8 kHz by RFC 2046; audio/PCMU and audio/PCMA are RFC 3551's names).
    AudioKind.PCM: ("audio/pcm", "audio/l16", "audio/basic", "audio/pcmu", "audio/pcma"),
}
_G711 = {"audio/basic": "ulaw", "audio/pcmu": "ulaw", "audio/pcma": "alaw"}
EXTENSIONS: dict[AudioKind, str] = {AudioKind.OPUS: "opus", AudioKind.VORBIS: "ogg", AudioKind.MP4: "m4a"}
#: What the harness's own writer (`harness.speech.encode_as`) writes, by container: the codecs each carries
#: (libsndfile's encoders and lame's; AAC-LC in ADTS frames by FFmpeg's native encoder, through PyAV). The sandbox
#: speaks only these; a provider's format outside them (AMR, G.722, WebM, AAC in MP4) is an imitation gap the
#: contract plans name, checked against the provider itself only.
WRITABLE: dict[str, tuple[str, ...]] = {
    "raw": ("pcm_s16le", "pcm_f32le", "pcm_mulaw", "pcm_alaw"),
    "wav": ("pcm_s16le", "pcm_f32le", "pcm_mulaw", "pcm_alaw"),
    "mp3": ("mp3",),
    "ogg": ("opus", "vorbis"),
    "flac": ("flac", "pcm_s16le"),
    "aac": ("aac",),
}


def writable(codec: str, container: str) -> bool:
    """Whether the harness's writer produces `codec` in `container`."""
    return codec in WRITABLE.get(container, ())


# Names seen in the wild for the same thing, folded to the canonical one.
_ALIASES = {
    "audio/x-wav": "audio/wav",
    "audio/wave": "audio/wav",
    "audio/vnd.wave": "audio/wav",
    "audio/x-pn-wav": "audio/wav",
    "audio/mp3": "audio/mpeg",
    "audio/mpeg3": "audio/mpeg",
    "audio/x-mpeg-3": "audio/mpeg",
    "audio/x-mp3": "audio/mpeg",
    "audio/x-aac": "audio/aac",
    "audio/aacp": "audio/aac",
    "audio/m4a": "audio/mp4",
    "audio/x-m4a": "audio/mp4",
    "audio/x-flac": "audio/flac",
    "application/ogg": "audio/ogg",
    "audio/x-ogg": "audio/ogg",
    "audio/x-aiff": "audio/aiff",
    "audio/raw": "audio/pcm",
    "audio/x-raw": "audio/pcm",
    "audio/pcm_s16le": "audio/pcm",
    "audio/s16le": "audio/pcm",
    "audio/x-pcm": "audio/pcm",
    "audio/x-mulaw": "audio/basic",
    "audio/mulaw": "audio/basic",
    "audio/x-alaw-basic": "audio/pcma",
    "audio/alaw": "audio/pcma",
}
_GENERIC = frozenset({"application/octet-stream", "binary/octet-stream"})  # "bytes": names no format


def canonical_media_type(media_type: str | None) -> str | None:
    """Lower-case media type without parameters, aliases folded ("audio/x-wav; codec=1" -> "audio/wav")."""
    if media_type is None or not media_type.strip():
        return None
    base = media_type.split(";", 1)[0].strip().lower()
    return _ALIASES.get(base, base)


def media_type(kind: AudioKind) -> str:
    return MEDIA_TYPES[kind][0]


def extension(kind: AudioKind | None) -> str:
    """The file extension audio of this kind is stored under ("bin" when unknown)."""
    return "bin" if kind is None else EXTENSIONS.get(kind, kind.value)


def declares(declared: str | None, kind: AudioKind) -> bool:
    """Whether a declared media type names this kind (a generic or missing declaration names none)."""
    return canonical_media_type(declared) in MEDIA_TYPES[kind]


def names_a_format(declared: str | None) -> bool:
    """Whether a declared media type says anything about the format (a missing or generic one does not)."""
    canonical = canonical_media_type(declared)
    return canonical is not None and canonical not in _GENERIC


def contradicts(declared: str | None, kind: AudioKind) -> bool:
    """Whether a declared media type names another format than the bytes are (generic bytes never do)."""
    return names_a_format(declared) and canonical_media_type(declared) not in MEDIA_TYPES[kind]


@dataclass(frozen=True, slots=True)
class PcmLayout:
    """How headerless samples are laid out, from their declared media type: 16-bit, or G.711 bytes."""

    byte_order: ByteOrder
    sample_rate: int | None
    channels: int
    encoding: str = "s16"  # s16 | ulaw | alaw

    @property
    def frame_bytes(self) -> int:
        return (2 if self.encoding == "s16" else 1) * self.channels


def pcm_layout(declared: str | None) -> PcmLayout | None:
    """The layout a declared headerless PCM media type gives, or None when it declares no PCM.

    `audio/L16` is network byte order (RFC 2586) and carries `rate` and `channels` parameters; the other
    names (`audio/pcm`, `audio/pcm_s16le`, ...) mean little-endian, as every provider here sends.
    """
    canonical = canonical_media_type(declared)
    if canonical not in MEDIA_TYPES[AudioKind.PCM]:
        return None
    assert declared is not None
    params = {}
    for part in declared.split(";")[1:]:
        name, _, value = part.partition("=")
        params[name.strip().lower()] = value.strip().strip('"')
    rate = params.get("rate", "")
    channels = params.get("channels", "")
    encoding = _G711.get(canonical, "s16")
    default_rate = 8000 if encoding != "s16" else None  # G.711 is 8 kHz unless a rate says otherwise
    return PcmLayout(
        "big" if canonical == "audio/l16" else "little",
        int(rate) if rate.isdigit() and int(rate) > 0 else default_rate,
        int(channels) if channels.isdigit() and int(channels) > 0 else 1,
        encoding,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioInfo:
    """What the headers of one body say; `problem` is why it is not one whole audio file (None: it is)."""

    kind: AudioKind | None
    media_type: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    duration_s: float | None = None  # of the audio the bytes hold, where the headers allow
    declared_bytes: int | None = None  # of payload the header promises (WAV data), None when not said
    held_bytes: int | None = None  # of that payload present
    truncated: bool = False
    problem: str | None = None

    @property
    def missing_share(self) -> float | None:
        """Share of the promised payload that did not arrive (None when no size was promised)."""
        if not self.declared_bytes or self.held_bytes is None:
            return None
        return max(0.0, (self.declared_bytes - self.held_bytes) / self.declared_bytes)


def with_problem(found: AudioInfo, problem: str | None, truncated: bool) -> AudioInfo:
    return AudioInfo(
        kind=found.kind,
        media_type=found.media_type,
        sample_rate=found.sample_rate,
        channels=found.channels,
        duration_s=found.duration_s,
        declared_bytes=found.declared_bytes,
        held_bytes=found.held_bytes,
        truncated=truncated,
        problem=problem,
    )
