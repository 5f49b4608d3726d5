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

`read_as_claimed` reads bytes by their own header where they have one and holds what was asked, and what the
answer says in words (a Content-Type, a JSON field), against it: each disagreement a `Mismatch`; headerless samples
are read at the rate the answer's words say, else the rate asked.

`read_declared` reads bytes as a protocol declared them (a codec, a rate, a container: a realtime grammar's
`AudioSpec`): headerless samples by their codec's width (`RAW_SAMPLE_BYTES`), a container by its header and of
the kind it names (`container_kinds`); `float_peak` is the loudest of 32-bit float samples.

`headers_inside` finds a container header or tag past a stream's start (a WAV header, an ID3 tag, a new Ogg stream),
each confirmed by `sniff`: what a player would take for samples.

`strip_metadata` removes RIFF LIST/INFO (and id3, bext, iXML: every chunk but fmt, fact, data and ds64),
ID3v2, ID3v1 and APE tags, FLAC's VORBIS_COMMENT, PICTURE, APPLICATION and CUESHEET blocks, and blanks Ogg
Opus/Vorbis comment packets in place (same length, page checksums recomputed). MP4 and AIFF are returned
as they came.
"""

from __future__ import annotations

from ._claims import REQUEST, Claim, Mismatch, Reading, read_as_claimed
from ._declared import RAW_SAMPLE_BYTES, container_kinds, float_peak, raw_sample_width, read_declared
from ._inside import headers_inside
from ._labels import BIG_ENDIAN_PCM, GENERIC_TYPES, LabelVerdict, judge_label, same_bytes
from ._mpeg import stream_frames
from ._ogg import OggPage, ogg_pages
from ._read import holds_a_frame, inspect, sniff, sniff_media_type, strip_metadata
from ._riff import Riff, RiffChunk, WaveFormat, join_wav, seal_wav, walk_riff, wave_format
from ._types import (
    EXTENSIONS,
    MEDIA_TYPES,
    WRITABLE,
    AudioDecodeError,
    AudioInfo,
    AudioKind,
    ByteOrder,
    PcmLayout,
    canonical_media_type,
    contradicts,
    declares,
    extension,
    media_type,
    names_a_format,
    pcm_layout,
    writable,
)

__all__ = [
    "BIG_ENDIAN_PCM",
    "EXTENSIONS",
    "GENERIC_TYPES",
    "MEDIA_TYPES",
    "RAW_SAMPLE_BYTES",
    "REQUEST",
    "WRITABLE",
    "AudioDecodeError",
    "AudioInfo",
    "AudioKind",
    "ByteOrder",
    "Claim",
    "LabelVerdict",
    "Mismatch",
    "OggPage",
    "PcmLayout",
    "Reading",
    "Riff",
    "RiffChunk",
    "WaveFormat",
    "canonical_media_type",
    "container_kinds",
    "contradicts",
    "declares",
    "extension",
    "float_peak",
    "headers_inside",
    "holds_a_frame",
    "inspect",
    "join_wav",
    "judge_label",
    "media_type",
    "names_a_format",
    "ogg_pages",
    "pcm_layout",
    "raw_sample_width",
    "read_as_claimed",
    "read_declared",
    "same_bytes",
    "seal_wav",
    "sniff",
    "sniff_media_type",
    "stream_frames",
    "strip_metadata",
    "walk_riff",
    "wave_format",
    "writable",
]
