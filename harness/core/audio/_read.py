"""The audio rule's questions, asked of any bytes: what they are (`sniff`), what their headers say
(`inspect`), whether a stream already holds a frame, and the same audio without its metadata."""

from __future__ import annotations

from ._flac import flac_holds_a_frame, inspect_flac, strip_flac
from ._mpeg import frame_stream, frames_hold_a_frame, inspect_frames
from ._ogg import blank_ogg_comments, inspect_ogg, ogg_codec, ogg_holds_a_frame
from ._riff import RIFF_ORDERS, inspect_wav, strip_riff, wav_holds_a_frame
from ._tags import audio_start, leading_tags_end, trailing_tags_start
from ._types import AudioInfo, AudioKind, canonical_media_type, media_type, pcm_layout


def sniff(data: bytes, declared: str | None = None) -> AudioKind | None:
    """What audio the bytes are, from their first bytes; headerless PCM only when `declared` says so."""
    magic = data[:4]
    if magic in RIFF_ORDERS:
        return AudioKind.WAV if data[8:12] == b"WAVE" else None
    if magic == b"FORM":
        return AudioKind.AIFF if data[8:12] in (b"AIFF", b"AIFC") else None
    if magic == b"OggS":
        return ogg_codec(data)
    if data[4:8] == b"ftyp":
        return AudioKind.MP4
    start = audio_start(data)
    if data[start : start + 4] == b"fLaC":
        return AudioKind.FLAC
    kind = frame_stream(data, start)
    if kind is not None:
        return kind
    if leading_tags_end(data) > 0 and len(data) <= start + 3:
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


def inspect(data: bytes, declared: str | None = None) -> AudioInfo:
    """What the bytes are and whether they are whole, from headers alone (see the module docstring)."""
    if not data:
        return AudioInfo(kind=None, problem="an empty body")
    kind = sniff(data, declared)
    if kind is None:
        if data[:4] in RIFF_ORDERS:
            return AudioInfo(kind=None, problem="a RIFF file that is not WAVE")
        return AudioInfo(kind=None, problem=f"bytes that are not a known audio format (starting {data[:12]!r})")
    if kind is AudioKind.WAV:
        found = inspect_wav(data)
    elif kind in (AudioKind.MP3, AudioKind.AAC):
        found = inspect_frames(data, kind)
    elif kind is AudioKind.FLAC:
        found = inspect_flac(data)
    elif kind in (AudioKind.OPUS, AudioKind.VORBIS, AudioKind.OGG):
        found = inspect_ogg(data, kind)
    elif kind is AudioKind.PCM:
        found = _inspect_pcm(data, declared)
    else:
        found = AudioInfo(kind=kind)
    media = canonical_media_type(declared) if kind is AudioKind.PCM else media_type(kind)
    return AudioInfo(
        kind=kind,
        media_type=media,
        sample_rate=found.sample_rate,
        channels=found.channels,
        duration_s=found.duration_s,
        declared_bytes=found.declared_bytes,
        held_bytes=found.held_bytes,
        truncated=found.truncated,
        problem=found.problem,
    )


_TEXT_BYTES = frozenset(b"\t\n\r" + bytes(range(0x20, 0x7F)))


def _inspect_pcm(data: bytes, declared: str | None) -> AudioInfo:
    layout = pcm_layout(declared)
    assert layout is not None
    rate = layout.sample_rate
    duration = len(data) / (layout.frame_bytes * rate) if rate else None
    head = data[:4096]
    if len(head) >= 8 and _TEXT_BYTES.issuperset(head):
        # Headerless samples have no magic bytes, so any even length would pass; but samples of speech (or of
        # silence, all zeros) are never a run of printable characters: this is an answer's text (JSON, an
        # event stream, an HTML page) that was taken for audio.
        return AudioInfo(
            kind=AudioKind.PCM,
            media_type=None,
            sample_rate=rate,
            channels=layout.channels,
            duration_s=duration,
            problem=f"text, not samples: starting {head[:40]!r}",
        )
    if len(data) % layout.frame_bytes:
        return AudioInfo(
            kind=AudioKind.PCM,
            media_type=None,
            sample_rate=rate,
            channels=layout.channels,
            duration_s=duration,
            truncated=True,
            problem=f"truncated PCM: {len(data)} bytes is not a whole number of {layout.frame_bytes}-byte frames",
        )
    return AudioInfo(
        kind=AudioKind.PCM, media_type=None, sample_rate=rate, channels=layout.channels, duration_s=duration
    )


def holds_a_frame(data: bytes, declared: str | None = None) -> bool:
    """Whether a stream's first bytes already hold decodable audio: a whole header and one audio frame
    (a WAV block, an MP3 or ADTS frame past any Xing frame, a FLAC frame, an Ogg audio page); not merely
    the first buffer of bytes. MP4 is never said to (its index may come last). Headerless samples, only as
    `declared`: one whole frame of them."""
    kind = sniff(data, declared)
    if kind is AudioKind.PCM:
        layout = pcm_layout(declared)
        return layout is not None and len(data) >= layout.frame_bytes
    if kind is AudioKind.WAV:
        return wav_holds_a_frame(data)
    if kind in (AudioKind.MP3, AudioKind.AAC):
        return frames_hold_a_frame(data, kind)
    if kind is AudioKind.FLAC:
        return flac_holds_a_frame(data)
    if kind in (AudioKind.OPUS, AudioKind.VORBIS, AudioKind.OGG):
        return ogg_holds_a_frame(data)
    return False


def strip_metadata(data: bytes) -> bytes:
    """The same audio without what a person or a server wrote into it (see the module docstring for what
    is removed per format); bytes of no known kind, MP4 and AIFF come back unchanged."""
    kind = sniff(data)
    if kind is AudioKind.WAV:
        return strip_riff(data)
    if kind in (AudioKind.MP3, AudioKind.AAC):
        return data[leading_tags_end(data) : trailing_tags_start(data)]
    if kind is AudioKind.FLAC:
        return strip_flac(data)
    if kind in (AudioKind.OPUS, AudioKind.VORBIS):
        return blank_ogg_comments(data)
    return data
