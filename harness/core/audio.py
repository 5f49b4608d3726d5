"""The one reader of audio bytes: what a body is, whether it is whole, how long it lasts, and the same
audio without the metadata a person or a server wrote into it.

Pure Python on purpose (no numpy, no libsndfile): the core's validators, the providers, the runner in a
base install and the contract suite all need to know what bytes are; turning them into samples is the
one decoder's job (`harness.speech.decode_audio`). Formats are told by their bytes, never by a name:

    wav      RIFF (little-endian), RIFX (big-endian) or RF64 with form type WAVE. The chunk list is walked
             (fmt, data, LIST, ...); a size of 0 or 0xFFFFFFFF (or 0x7FFFFFFF, 0x7FFFF000) that disagrees
             with the bytes held is a streaming writer's "unknown", not a promise.
    mp3      an ID3v2 tag followed by an MPEG audio frame, or a frame header alone: the 11-bit sync 0xFFE,
             layer bits 01 (layer III), a valid bit rate and sample rate, and the next frame where it
             should be. Frames are walked; a Xing/Info frame and LAME's encoder delay and padding are
             honoured, as gapless decoders do.
    aac      ADTS frames: the 12-bit sync 0xFFF with layer bits 00 (0xFFF1 is AAC where 0xFFFB is MPEG-1
             layer III); walked like MP3 frames (1,024 samples per raw block).
    flac     `fLaC` (after an ID3v2 tag, if any); STREAMINFO gives rate, channels and length, and the last
             frame header says whether frames are missing (a cut inside the last frame needs a decoder).
    opus, vorbis, ogg   Ogg pages whose first packet is OpusHead, `\\x01vorbis`, or another codec; pages
             walked, the last granule position gives the length, a missing end-of-stream page a cut.
    mp4, aiff           identified only (an `ftyp` box; FORM/AIFF or FORM/AIFC).
    pcm      headerless samples, never sniffed: taken only when declared (`audio/pcm`, `audio/L16` —
             big-endian, RFC 2586 —, `audio/pcm_s16le`, ...), 16-bit, rate and channels from the
             media type's parameters where it has them.

`strip_metadata` removes RIFF LIST/INFO (and id3, bext, iXML: every chunk but fmt, fact, data and ds64),
ID3v2, ID3v1 and APE tags, FLAC's VORBIS_COMMENT, PICTURE, APPLICATION and CUESHEET blocks, and blanks Ogg
Opus/Vorbis comment packets in place (same length, page checksums recomputed). MP4 and AIFF are returned
as they came.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    AudioKind.PCM: ("audio/pcm", "audio/l16"),
}
EXTENSIONS: dict[AudioKind, str] = {AudioKind.OPUS: "opus", AudioKind.VORBIS: "ogg", AudioKind.MP4: "m4a"}
# Names seen in the wild for the same thing, folded to the canonical one.
_ALIASES = {
    "audio/x-wav": "audio/wav", "audio/wave": "audio/wav", "audio/vnd.wave": "audio/wav",
    "audio/x-pn-wav": "audio/wav",
    "audio/mp3": "audio/mpeg", "audio/mpeg3": "audio/mpeg", "audio/x-mpeg-3": "audio/mpeg", "audio/x-mp3": "audio/mpeg",
    "audio/x-aac": "audio/aac", "audio/aacp": "audio/aac", "audio/m4a": "audio/mp4", "audio/x-m4a": "audio/mp4",
    "audio/x-flac": "audio/flac", "application/ogg": "audio/ogg", "audio/x-ogg": "audio/ogg",
    "audio/x-aiff": "audio/aiff",
    "audio/raw": "audio/pcm", "audio/x-raw": "audio/pcm", "audio/pcm_s16le": "audio/pcm", "audio/s16le": "audio/pcm",
    "audio/x-pcm": "audio/pcm",
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
    """How headerless 16-bit samples are laid out, from their declared media type."""

    byte_order: ByteOrder
    sample_rate: int | None
    channels: int

    @property
    def frame_bytes(self) -> int:
        return 2 * self.channels


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
    return PcmLayout("big" if canonical == "audio/l16" else "little",
                     int(rate) if rate.isdigit() and int(rate) > 0 else None,
                     int(channels) if channels.isdigit() and int(channels) > 0 else 1)


# --- tags -----------------------------------------------------------------------------------------


def _id3v2_length(data: bytes, at: int = 0) -> int:
    """Bytes of the ID3v2 tag at `at` (header, body, footer), 0 when there is none; "ID3" followed by
    anything but a version 2-4 header with syncsafe sizes (text that starts "ID3") is no tag."""
    head = data[at:at + 10]
    if len(head) < 10 or head[:3] != b"ID3" or head[3] not in (2, 3, 4) or head[4] == 0xFF:
        return 0
    if any(byte & 0x80 for byte in head[6:10]):
        return 0
    size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]
    return 10 + size + (10 if head[5] & 0x10 else 0)


def _leading_tags_end(data: bytes) -> int:
    """Where the bytes after every leading ID3v2 tag begin (may lie past the end of a cut body)."""
    position = 0
    while (length := _id3v2_length(data, position)) > 0:
        position += length
    return position


def _trailing_tags_start(data: bytes) -> int:
    """Where trailing tags (ID3v1, APEv2, an appended ID3v2 with footer) begin; len(data) when none."""
    end = len(data)
    while True:
        if end >= 128 and data[end - 128:end - 125] == b"TAG":
            end -= 128
        elif end >= 32 and data[end - 32:end - 24] == b"APETAGEX":
            size = max(int.from_bytes(data[end - 20:end - 16], "little"), 32)  # counts its own 32-byte footer
            has_header = data[end - 9] & 0x80
            end -= size + (32 if has_header else 0)
        elif end >= 10 and data[end - 10:end - 7] == b"3DI":
            foot = data[end - 10:end]
            end -= 20 + ((foot[6] << 21) | (foot[7] << 14) | (foot[8] << 7) | foot[9])
        else:
            return max(end, 0)
        if end <= 0:
            return 0


# --- MPEG audio and ADTS frames ---------------------------------------------------------------------

_MPEG1_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0)
_MPEG2_KBPS = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0)
_MPEG_RATES = (44100, 48000, 32000)
_MPEG_RATE_SHIFT = {3: 0, 2: 1, 0: 2}  # version bits -> MPEG-1, MPEG-2 (half rates), MPEG-2.5 (quarter)
_ADTS_RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350)


@dataclass(frozen=True, slots=True)
class _Frame:
    kind: AudioKind  # MP3 or AAC
    length: int
    samples: int
    sample_rate: int
    channels: int
    version: int


def _mpeg_frame(data: bytes, at: int) -> _Frame | None:
    """An MPEG audio layer III frame header at `at` (free-format bit rates are not accepted)."""
    second, third, fourth = data[at + 1], data[at + 2], data[at + 3]
    version, layer = (second >> 3) & 3, (second >> 1) & 3
    bitrate_index, rate_index = third >> 4, (third >> 2) & 3
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3 or fourth & 3 == 2:
        return None
    mpeg1 = version == 3
    rate = _MPEG_RATES[rate_index] >> _MPEG_RATE_SHIFT[version]
    samples = 1152 if mpeg1 else 576
    kbps = (_MPEG1_KBPS if mpeg1 else _MPEG2_KBPS)[bitrate_index]
    length = samples // 8 * kbps * 1000 // rate + ((third >> 1) & 1)
    return _Frame(AudioKind.MP3, length, samples, rate, 1 if fourth >> 6 == 3 else 2, version)


def _adts_frame(data: bytes, at: int) -> _Frame | None:
    if at + 7 > len(data):
        return None
    third, fourth, fifth, sixth, seventh = data[at + 2:at + 7]
    rate_index = (third >> 2) & 0xF
    length = ((fourth & 3) << 11) | (fifth << 3) | (sixth >> 5)
    header = 7 if data[at + 1] & 1 else 9  # protection_absent = 0: a 16-bit CRC follows
    if rate_index >= len(_ADTS_RATES) or length < header:
        return None
    channels = ((third & 1) << 2) | (fourth >> 6)
    return _Frame(AudioKind.AAC, length, 1024 * ((seventh & 3) + 1), _ADTS_RATES[rate_index], channels,
                  (data[at + 1] >> 3) & 1)


def _frame_at(data: bytes, at: int) -> _Frame | None:
    if at + 4 > len(data) or data[at] != 0xFF:
        return None
    if data[at + 1] & 0xF6 == 0xF0:  # 12-bit sync, layer 00: ADTS
        return _adts_frame(data, at)
    if data[at + 1] & 0xE0 == 0xE0:
        return _mpeg_frame(data, at)
    return None


def _frame_stream(data: bytes, start: int) -> AudioKind | None:
    """MP3 or AAC when a valid frame header sits at `start` and the next one where it should be."""
    frame = _frame_at(data, start)
    if frame is None:
        # The first bytes of an ADTS stream, too few to hold the frame length yet.
        if len(data) - start in (3, 4, 5, 6) and data[start] == 0xFF and data[start + 1] & 0xF6 == 0xF0:
            return AudioKind.AAC if (data[start + 2] >> 2) & 0xF < len(_ADTS_RATES) else None
        return None
    following = start + frame.length
    if following + 4 <= _trailing_tags_start(data):
        after = _frame_at(data, following)
        if after is None or after.kind is not frame.kind or after.version != frame.version:
            return None
    return frame.kind


# --- sniffing -------------------------------------------------------------------------------------

_RIFF_ORDERS: dict[bytes, ByteOrder] = {b"RIFF": "little", b"RIFX": "big", b"RF64": "little"}


def _audio_start(data: bytes) -> int:
    """Past any leading ID3v2 tags and the zero padding some writers put after them."""
    start = _leading_tags_end(data)
    while start < len(data) and data[start] == 0:
        start += 1
    return start


def _ogg_codec(data: bytes) -> AudioKind:
    first_packet = data[27 + data[26]:] if len(data) > 27 else b""
    if first_packet.startswith(b"OpusHead"):
        return AudioKind.OPUS
    if first_packet.startswith(b"\x01vorbis"):
        return AudioKind.VORBIS
    return AudioKind.OGG


def sniff(data: bytes, declared: str | None = None) -> AudioKind | None:
    """What audio the bytes are, from their first bytes; headerless PCM only when `declared` says so."""
    magic = data[:4]
    if magic in _RIFF_ORDERS:
        return AudioKind.WAV if data[8:12] == b"WAVE" else None
    if magic == b"FORM":
        return AudioKind.AIFF if data[8:12] in (b"AIFF", b"AIFC") else None
    if magic == b"OggS":
        return _ogg_codec(data)
    if data[4:8] == b"ftyp":
        return AudioKind.MP4
    start = _audio_start(data)
    if data[start:start + 4] == b"fLaC":
        return AudioKind.FLAC
    kind = _frame_stream(data, start)
    if kind is not None:
        return kind
    if _leading_tags_end(data) > 0 and len(data) <= start + 3:
        return AudioKind.MP3  # an ID3 tag with the audio not here yet: a tag only MP3 streams begin with
    if data and pcm_layout(declared) is not None:
        return AudioKind.PCM
    return None


def sniff_media_type(data: bytes, declared: str | None = None) -> str | None:
    """The canonical media type of what the bytes are, or None (for PCM: as declared)."""
    kind = sniff(data, declared)
    if kind is AudioKind.PCM:
        return canonical_media_type(declared)
    return None if kind is None else media_type(kind)


# --- what the headers tell --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
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


def inspect(data: bytes, declared: str | None = None) -> AudioInfo:
    """What the bytes are and whether they are whole, from headers alone (see the module docstring)."""
    if not data:
        return AudioInfo(None, problem="an empty body")
    kind = sniff(data, declared)
    if kind is None:
        if data[:4] in _RIFF_ORDERS:
            return AudioInfo(None, problem="a RIFF file that is not WAVE")
        return AudioInfo(None, problem=f"bytes that are not a known audio format (starting {data[:12]!r})")
    if kind is AudioKind.WAV:
        found = _inspect_wav(data)
    elif kind in (AudioKind.MP3, AudioKind.AAC):
        found = _inspect_frames(data, kind)
    elif kind is AudioKind.FLAC:
        found = _inspect_flac(data)
    elif kind in (AudioKind.OPUS, AudioKind.VORBIS, AudioKind.OGG):
        found = _inspect_ogg(data, kind)
    elif kind is AudioKind.PCM:
        found = _inspect_pcm(data, declared)
    else:
        found = AudioInfo(kind)
    media = canonical_media_type(declared) if kind is AudioKind.PCM else media_type(kind)
    return AudioInfo(kind, media, found.sample_rate, found.channels, found.duration_s, found.declared_bytes,
                     found.held_bytes, found.truncated, found.problem)


def _inspect_pcm(data: bytes, declared: str | None) -> AudioInfo:
    layout = pcm_layout(declared)
    assert layout is not None
    rate = layout.sample_rate
    duration = len(data) / (layout.frame_bytes * rate) if rate else None
    if len(data) % layout.frame_bytes:
        return AudioInfo(AudioKind.PCM, None, rate, layout.channels, duration, truncated=True,
                         problem=f"truncated PCM: {len(data)} bytes is not a whole number of "
                                 f"{layout.frame_bytes}-byte frames")
    return AudioInfo(AudioKind.PCM, None, rate, layout.channels, duration)


# --- RIFF ---------------------------------------------------------------------------------------------

_UNKNOWN_SIZES = frozenset({0, 0xFFFFFFFF, 0x7FFFFFFF, 0x7FFFF000})  # what streaming writers put


@dataclass(frozen=True, slots=True)
class RiffChunk:
    ident: bytes
    offset: int  # of its 8-byte header
    size: int | None  # as declared; None: unknown (a streaming writer's placeholder)
    held: int  # body bytes present

    @property
    def body(self) -> slice:
        return slice(self.offset + 8, self.offset + 8 + self.held)

    @property
    def whole(self) -> bool:
        return self.size is None or self.held >= self.size


@dataclass(frozen=True, slots=True)
class Riff:
    order: ByteOrder
    size: int | None  # the RIFF size (RF64: from ds64); None when unknown
    chunks: tuple[RiffChunk, ...]

    def first(self, ident: bytes) -> RiffChunk | None:
        return next((chunk for chunk in self.chunks if chunk.ident == ident), None)


def _known(size: int, held: int) -> int | None:
    """A declared size, or None when it is a placeholder the bytes contradict."""
    if size in _UNKNOWN_SIZES and (held < size if size else held > 0):
        return None
    return size


def walk_riff(data: bytes) -> Riff | None:
    """The chunk list of a RIFF, RIFX or RF64 file (any form type), or None when the bytes are not one.
    The walk stops at the first chunk the bytes do not hold whole."""
    order = _RIFF_ORDERS.get(data[:4])
    if order is None or len(data) < 12:
        return None
    sizes64: dict[bytes, int] = {}
    chunks: list[RiffChunk] = []
    offset = 12
    while offset + 8 <= len(data):
        ident = data[offset:offset + 4]
        declared = int.from_bytes(data[offset + 4:offset + 8], order)
        if ident == b"ds64" and offset + 8 + 16 <= len(data):  # RF64: the 64-bit sizes
            sizes64[b"RF64"] = int.from_bytes(data[offset + 8:offset + 16], "little")
            sizes64[b"data"] = int.from_bytes(data[offset + 16:offset + 24], "little")
        if declared == 0xFFFFFFFF and ident in sizes64:
            declared = sizes64[ident]
        available = len(data) - offset - 8
        size = _known(declared, available)
        held = available if size is None else min(size, available)
        chunks.append(RiffChunk(ident, offset, size, held))
        if size is None or held < size:
            break
        offset += 8 + size + (size & 1)
    riff_size = int.from_bytes(data[4:8], order)
    if riff_size == 0xFFFFFFFF and b"RF64" in sizes64:
        riff_size = sizes64[b"RF64"]
    return Riff(order, _known(riff_size, len(data) - 8), tuple(chunks))


@dataclass(frozen=True, slots=True)
class WaveFormat:
    """The fmt chunk: format tag (1 PCM, 3 float, 0xFFFE extensible, ...), channels, rates and widths."""

    tag: int
    channels: int
    sample_rate: int
    byte_rate: int
    block_align: int
    bits: int


def wave_format(data: bytes, riff: Riff) -> WaveFormat | None:
    chunk = riff.first(b"fmt ")
    if chunk is None or chunk.held < 16:
        return None
    body = data[chunk.body]
    tag, channels, rate, byte_rate, block_align, bits = (
        int.from_bytes(body[start:start + width], riff.order)
        for start, width in ((0, 2), (2, 2), (4, 4), (8, 4), (12, 2), (14, 2))
    )
    return WaveFormat(tag, channels, rate, byte_rate, block_align, bits)


def _inspect_wav(data: bytes) -> AudioInfo:
    riff = walk_riff(data)
    assert riff is not None
    fmt, samples = wave_format(data, riff), riff.first(b"data")
    rate = fmt.sample_rate if fmt else None
    channels = fmt.channels if fmt else None
    duration = samples.held / fmt.byte_rate if fmt and fmt.byte_rate and samples else None
    found = AudioInfo(AudioKind.WAV, None, rate, channels, duration, samples.size if samples else None,
                      samples.held if samples else None)
    problem, truncated = None, False
    if riff.size is not None and riff.size + 8 > len(data):
        problem, truncated = f"truncated WAV: header promises {riff.size + 8} bytes, got {len(data)}", True
    elif samples is not None and not samples.whole:
        problem, truncated = f"truncated WAV: data chunk promises {samples.size} bytes, got {samples.held}", True
    elif fmt is None:
        problem = "a WAV file without a fmt chunk"
    elif samples is None:
        problem = "a WAV file without a data chunk"
    elif samples.held == 0:
        problem = "a WAV file with no samples"
    return _with(found, problem, truncated)


def _with(found: AudioInfo, problem: str | None, truncated: bool) -> AudioInfo:
    return AudioInfo(found.kind, found.media_type, found.sample_rate, found.channels, found.duration_s,
                     found.declared_bytes, found.held_bytes, truncated, problem)


# --- MP3 and ADTS streams ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Gapless:
    """What a Xing/Info frame says: frames after it, and LAME's encoder delay and padding in samples."""

    frames: int | None
    delay: int
    padding: int


def _xing(data: bytes, at: int, frame: _Frame) -> _Gapless | None:
    stereo = frame.channels == 2
    side_info = (32 if stereo else 17) if frame.version == 3 else (17 if stereo else 9)
    tag = at + 4 + side_info
    if data[tag:tag + 4] not in (b"Xing", b"Info"):
        return None
    flags = int.from_bytes(data[tag + 4:tag + 8], "big")
    frames = int.from_bytes(data[tag + 8:tag + 12], "big") if flags & 1 else None
    encoder = tag + 8 + 4 * (flags & 1) + 4 * ((flags >> 1) & 1) + 100 * ((flags >> 2) & 1) + 4 * ((flags >> 3) & 1)
    delay = padding = 0
    if data[encoder:encoder + 4] in (b"LAME", b"Lavc", b"Lavf") and encoder + 24 <= len(data):
        packed = data[encoder + 21:encoder + 24]
        delay, padding = (packed[0] << 4) | (packed[1] >> 4), ((packed[1] & 0xF) << 8) | packed[2]
    return _Gapless(frames, delay, padding)


def _inspect_frames(data: bytes, kind: AudioKind) -> AudioInfo:
    start, end = _audio_start(data), _trailing_tags_start(data)
    label = "MP3" if kind is AudioKind.MP3 else "AAC"
    first = _frame_at(data, start)
    if first is None:
        return AudioInfo(kind, truncated=True, problem=f"truncated {label}: no whole frame after the tag")
    gapless = _xing(data, start, first) if kind is AudioKind.MP3 else None
    position = start + first.length if gapless else start
    frames = samples = 0
    problem = None
    while position < end:
        frame = _frame_at(data, position)
        if frame is None:
            if end - position < 4:
                problem = f"truncated {label}: a frame header cut after {end - position} bytes"
            break  # bytes after the frames that are not one (a tag this reader does not know): ignored
        if position + frame.length > end:
            problem = f"truncated {label}: the last frame promises {frame.length} bytes, got {end - position}"
            break
        frames, samples, position = frames + 1, samples + frame.samples, position + frame.length
    if problem is None and gapless and gapless.frames and frames < gapless.frames:
        problem = f"truncated {label}: the Xing header counts {gapless.frames} frames, got {frames}"
    if problem is None and frames == 0:
        problem = f"truncated {label}: no whole audio frame"
    if gapless and problem is None:
        samples = max(samples - gapless.delay - gapless.padding, 0)
    return AudioInfo(kind, None, first.sample_rate, first.channels, samples / first.sample_rate,
                     truncated=problem is not None, problem=problem)


# --- FLAC ---------------------------------------------------------------------------------------------

_FLAC_KEPT_BLOCKS = frozenset({0, 3})  # STREAMINFO and SEEKTABLE: all a decoder needs


def _flac_blocks(data: bytes, start: int) -> tuple[list[tuple[int, int, int]], int, bool]:
    """The metadata blocks after `fLaC` at `start` as (type, offset, length), where frames begin, and
    whether the metadata is whole."""
    blocks: list[tuple[int, int, int]] = []
    position, last = start + 4, False
    while not last:
        if position + 4 > len(data):
            return blocks, position, False
        header = data[position]
        last, block_type = bool(header & 0x80), header & 0x7F
        length = int.from_bytes(data[position + 1:position + 4], "big")
        if position + 4 + length > len(data):
            return blocks, position, False
        blocks.append((block_type, position, length))
        position += 4 + length
    return blocks, position, True


def _crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def _flac_frame(data: bytes, at: int, fixed_block: int) -> tuple[int, int] | None:
    """The first sample and sample count of the FLAC frame whose header is at `at`, or None when the
    bytes there are not a frame header (its CRC-8 must match)."""
    head = data[at:at + 16]
    if len(head) < 6 or head[0] != 0xFF or head[1] not in (0xF8, 0xF9) or head[2] >> 4 == 0 or head[2] & 0xF == 15:
        return None
    if head[3] >> 4 > 10 or head[3] & 1:
        return None
    lead = head[4]
    extra = next((n for n, mask in enumerate((0x80, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02, 0x01)) if not lead & mask), 8)
    if extra in (1, 8):
        return None  # a continuation byte (or 0xFF) cannot start the coded number
    count = max(extra - 1, 0)
    number = lead & (0x7F >> extra) if extra else lead
    position = 5
    for byte in head[position:position + count]:
        if byte & 0xC0 != 0x80:
            return None
        number = (number << 6) | (byte & 0x3F)
    position += count
    code = head[2] >> 4
    size_bytes = {6: 1, 7: 2}.get(code, 0)
    rate_bytes = {12: 1, 13: 2, 14: 2}.get(head[2] & 0xF, 0)
    crc_at = position + size_bytes + rate_bytes
    if crc_at >= len(head) or _crc8(head[:crc_at]) != head[crc_at]:
        return None
    if code == 1:
        block = 192
    elif code <= 5:
        block = 576 << (code - 2)
    elif code <= 7:
        block = int.from_bytes(head[position:position + size_bytes], "big") + 1
    else:
        block = 256 << (code - 8)
    first = number if head[1] == 0xF9 else number * fixed_block
    return first, block


def _last_flac_frame(data: bytes, frames_start: int, fixed_block: int) -> tuple[int, int] | None:
    end = len(data)
    while end > frames_start:
        at = max(data.rfind(b"\xff\xf8", frames_start, end), data.rfind(b"\xff\xf9", frames_start, end))
        if at < 0:
            return None
        found = _flac_frame(data, at, fixed_block)
        if found is not None:
            return found
        end = at + 1
    return None


def _inspect_flac(data: bytes) -> AudioInfo:
    start = _audio_start(data)
    blocks, frames_start, whole = _flac_blocks(data, start)
    info = next((data[offset + 4:offset + 4 + length] for kind, offset, length in blocks if kind == 0), b"")
    if len(info) < 18:
        return AudioInfo(AudioKind.FLAC, truncated=not whole,
                         problem="truncated FLAC: its metadata is cut short" if not whole
                         else "a FLAC file without STREAMINFO")
    block = int.from_bytes(info[2:4], "big")
    rate = (info[10] << 12) | (info[11] << 4) | (info[12] >> 4)
    channels = ((info[12] >> 1) & 7) + 1
    total = ((info[13] & 0xF) << 32) | int.from_bytes(info[14:18], "big")
    found = AudioInfo(AudioKind.FLAC, None, rate, channels, total / rate if total and rate else None)
    if not whole:
        return _with(found, "truncated FLAC: its metadata is cut short", True)
    last = _last_flac_frame(data, frames_start, block)
    if last is None:
        return _with(found, "truncated FLAC: no audio frame", True)
    held = last[0] + last[1]
    if total and held < total and rate:
        cut = AudioInfo(AudioKind.FLAC, None, rate, channels, held / rate)
        return _with(cut, f"truncated FLAC: frames end at sample {held} of {total}", True)
    return found


# --- Ogg ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OggPage:
    offset: int
    flags: int  # 1 continued packet, 2 beginning of stream, 4 end of stream
    granule: int  # -1: no packet ends on this page
    serial: int
    lacing: bytes  # the segment table
    body: int  # offset of the body

    @property
    def end(self) -> int:
        return self.body + sum(self.lacing)


def ogg_pages(data: bytes) -> tuple[list[OggPage], str | None]:
    """Every whole page, and why the walk stopped early (a page cut short, bytes that are not a page)."""
    pages: list[OggPage] = []
    offset = 0
    while offset < len(data):
        if data[offset:offset + 4] != b"OggS" or (len(data) - offset >= 5 and data[offset + 4] != 0):
            return pages, f"bytes after Ogg page {len(pages)} that are not a page"
        if offset + 27 > len(data) or offset + 27 + data[offset + 26] > len(data):
            return pages, f"truncated Ogg: page {len(pages)} is cut inside its header"
        count = data[offset + 26]
        page = OggPage(offset, data[offset + 5], int.from_bytes(data[offset + 6:offset + 14], "little", signed=True),
                       int.from_bytes(data[offset + 14:offset + 18], "little"),
                       data[offset + 27:offset + 27 + count], offset + 27 + count)
        if page.end > len(data):
            return pages, f"truncated Ogg: page {len(pages)} promises {page.end - page.body} bytes, " \
                          f"got {len(data) - page.body}"
        pages.append(page)
        offset = page.end
    return pages, None


def _inspect_ogg(data: bytes, kind: AudioKind) -> AudioInfo:
    pages, problem = ogg_pages(data)
    if not pages:
        return AudioInfo(kind, truncated=True, problem=problem or "truncated Ogg: no whole page")
    head, serial = data[pages[0].body:pages[0].end], pages[0].serial
    rate = channels = None
    skip = 0
    if kind is AudioKind.OPUS and len(head) >= 19:
        rate, channels, skip = 48000, head[9], int.from_bytes(head[10:12], "little")  # Opus decodes at 48 kHz
    elif kind is AudioKind.VORBIS and len(head) >= 16:
        rate, channels = int.from_bytes(head[12:16], "little"), head[11]
    own = [page for page in pages if page.serial == serial]
    granule = max((page.granule for page in own), default=-1)
    duration = (granule - skip) / rate if rate and granule > 0 else None
    found = AudioInfo(kind, None, rate, channels, max(duration, 0.0) if duration is not None else None)
    if problem is None and not own[-1].flags & 4:
        problem = "truncated Ogg: no end-of-stream page"
    if problem is None and granule <= 0:
        problem = "an Ogg stream with no audio page"
    return _with(found, problem, problem is not None and problem.startswith("truncated"))


# --- the first decodable audio in a stream ----------------------------------------------------------


def holds_a_frame(data: bytes) -> bool:
    """Whether a stream's first bytes already hold decodable audio: a whole header and one audio frame
    (a WAV block, an MP3 or ADTS frame past any Xing frame, a FLAC frame, an Ogg audio page); not merely
    the first buffer of bytes. MP4 is never said to (its index may come last)."""
    kind = sniff(data)
    if kind is AudioKind.WAV:
        riff = walk_riff(data)
        fmt = wave_format(data, riff) if riff else None
        samples = riff.first(b"data") if riff else None
        return fmt is not None and samples is not None and samples.held >= max(fmt.block_align, 1)
    if kind in (AudioKind.MP3, AudioKind.AAC):
        start = _audio_start(data)
        frame = _frame_at(data, start)
        if frame is not None and kind is AudioKind.MP3 and _xing(data, start, frame):
            start += frame.length
            frame = _frame_at(data, start)
        return frame is not None and start + frame.length <= len(data)
    if kind is AudioKind.FLAC:
        _, frames_start, whole = _flac_blocks(data, _audio_start(data))
        return whole and _flac_frame(data, frames_start, 4096) is not None and _last_flac_frame(
            data, frames_start + 2, 4096) is not None
    if kind in (AudioKind.OPUS, AudioKind.VORBIS, AudioKind.OGG):
        return any(page.granule > 0 for page in ogg_pages(data)[0])  # header pages have granule 0
    return False


# --- writing ------------------------------------------------------------------------------------------

_JOINABLE_TAGS = frozenset({1, 3, 6, 7, 0xFFFE})  # PCM, float, A-law, mu-law, extensible: frames concatenate
_WAV_KEPT = frozenset({b"fmt ", b"fact", b"data", b"ds64"})


def join_wav(pieces: Sequence[bytes]) -> bytes | None:
    """One WAV holding the samples of several whole WAV files of one format, in order (a stream that sends
    each chunk as a file); None when they are not all WAV files of one joinable format."""
    formats: set[tuple[bytes, bytes]] = set()
    payloads: list[bytes] = []
    order: ByteOrder = "little"
    for piece in pieces:
        riff = walk_riff(piece)
        if riff is None or piece[8:12] != b"WAVE":
            return None
        fmt, fmt_chunk, samples = wave_format(piece, riff), riff.first(b"fmt "), riff.first(b"data")
        if fmt is None or fmt_chunk is None or samples is None or fmt.tag not in _JOINABLE_TAGS:
            return None
        formats.add((piece[:4], piece[fmt_chunk.body]))
        payloads.append(piece[samples.body])
        order = riff.order
    if len(formats) != 1:
        return None
    (magic, fmt_body), = formats
    joined = b"".join(payloads)
    body = _chunk(b"fmt ", fmt_body, order) + _chunk(b"data", joined, order)
    return (b"RIFX" if magic == b"RIFX" else b"RIFF") + (4 + len(body)).to_bytes(4, order) + b"WAVE" + body


def seal_wav(data: bytes) -> bytes:
    """A streamed WAV (placeholder RIFF and data sizes) with the sizes of the bytes it holds written in, so a
    decoder that believes a data size of 0 reads the samples; any other bytes come back unchanged."""
    riff = walk_riff(data) if data[:4] == b"RIFF" else None
    samples = riff.first(b"data") if riff is not None else None
    if riff is None or samples is None or samples.size is not None or len(data) > 0xFFFFFFFF:
        return data
    size_at = samples.offset + 4
    return (data[:4] + (len(data) - 8).to_bytes(4, "little") + data[8:size_at]
            + samples.held.to_bytes(4, "little") + data[size_at + 4:])


def _chunk(ident: bytes, body: bytes, order: ByteOrder) -> bytes:
    return ident + len(body).to_bytes(4, order) + body + b"\x00" * (len(body) & 1)


def strip_metadata(data: bytes) -> bytes:
    """The same audio without what a person or a server wrote into it (see the module docstring for what
    is removed per format); bytes of no known kind, MP4 and AIFF come back unchanged."""
    kind = sniff(data)
    if kind is AudioKind.WAV:
        return _strip_riff(data)
    if kind in (AudioKind.MP3, AudioKind.AAC):
        return data[_leading_tags_end(data):_trailing_tags_start(data)]
    if kind is AudioKind.FLAC:
        return _strip_flac(data)
    if kind in (AudioKind.OPUS, AudioKind.VORBIS):
        return _blank_ogg_comments(data)
    return data


def _strip_riff(data: bytes) -> bytes:
    riff = walk_riff(data)
    assert riff is not None
    kept = [chunk for chunk in riff.chunks if chunk.ident in _WAV_KEPT]
    parts = []
    for chunk in kept:
        pad = b"\x00" if chunk.size is not None and chunk.size & 1 and chunk.whole else b""
        parts.append(data[chunk.offset:chunk.offset + 8] + data[chunk.body] + pad)
    sizes_known = riff.size is not None and all(chunk.size is not None for chunk in kept)
    new_size = 4 + sum(8 + chunk.size + (chunk.size & 1) for chunk in kept if chunk.size is not None)
    size_field = data[4:8]
    if sizes_known and data[:4] != b"RF64":
        size_field = new_size.to_bytes(4, riff.order)
    if sizes_known and data[:4] == b"RF64" and parts and kept[0].ident == b"ds64" and kept[0].held >= 8:
        parts[0] = parts[0][:8] + new_size.to_bytes(8, "little") + parts[0][16:]
    return data[:4] + size_field + data[8:12] + b"".join(parts)


def _strip_flac(data: bytes) -> bytes:
    start = _leading_tags_end(data)
    blocks, frames_start, whole = _flac_blocks(data, start)
    kept = [(kind, offset, length) for kind, offset, length in blocks if kind in _FLAC_KEPT_BLOCKS]
    out = bytearray(b"fLaC")
    for index, (kind, offset, length) in enumerate(kept):
        last = 0x80 if index == len(kept) - 1 else 0
        out += bytes([last | kind]) + data[offset + 1:offset + 4 + length]
    return bytes(out) + (data[frames_start:] if whole else b"")


def _comment_pieces(pages: list[OggPage]) -> dict[int, list[tuple[int, int, int]]]:
    """Per logical stream (serial), (page index, offset, length) of every piece of its second packet: the
    comment header of Opus and Vorbis. Chained and multiplexed streams each have their own."""
    pieces: dict[int, list[tuple[int, int, int]]] = {}
    packet_of: dict[int, int] = {}  # serial -> index of the packet being read
    for index, page in enumerate(pages):
        if page.flags & 2:
            packet_of[page.serial] = 0
        number = packet_of.get(page.serial)
        if number is None or number > 1:
            continue
        offset = page.body
        for lacing in page.lacing:
            if number == 1 and lacing:
                pieces.setdefault(page.serial, []).append((index, offset, lacing))
            offset += lacing
            if lacing < 255:
                number += 1
        packet_of[page.serial] = number
    return pieces


def _blank_ogg_comments(data: bytes) -> bytes:
    """Opus and Vorbis comment packets overwritten in place with an empty comment list and zero padding
    (both formats ignore bytes after it), so no page changes size; touched pages get a new checksum."""
    pages, _ = ogg_pages(data)
    out = bytearray(data)
    touched: set[int] = set()
    for pieces in _comment_pieces(pages).values():
        packet = b"".join(data[offset:offset + length] for _, offset, length in pieces)
        if packet.startswith(b"OpusTags"):
            empty = b"OpusTags" + bytes(8)  # vendor length 0, comment count 0
        elif packet.startswith(b"\x03vorbis"):
            empty = b"\x03vorbis" + bytes(8) + b"\x01"  # and the framing bit
        else:
            continue
        replacement = empty + bytes(max(len(packet) - len(empty), 0))
        written = 0
        for index, offset, length in pieces:
            out[offset:offset + length] = replacement[written:written + length]
            written += length
            touched.add(index)
    for index in touched:
        page = pages[index]
        out[page.offset + 22:page.offset + 26] = bytes(4)
        out[page.offset + 22:page.offset + 26] = _ogg_crc(bytes(out[page.offset:page.end])).to_bytes(4, "little")
    return bytes(out)


def _crc_table() -> tuple[int, ...]:
    table = []
    for index in range(256):
        crc = index << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) & 0xFFFFFFFF if crc & 0x80000000 else (crc << 1) & 0xFFFFFFFF
        table.append(crc)
    return tuple(table)


_OGG_CRC = _crc_table()


def _ogg_crc(page: bytes) -> int:
    crc = 0
    for byte in page:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _OGG_CRC[((crc >> 24) ^ byte) & 0xFF]
    return crc
