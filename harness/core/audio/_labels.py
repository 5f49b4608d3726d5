"""The one rule for an answer's Content-Type against the media type documented for it, asked by every check that
judges one: the wire family's format checks (`contracts.speech_checks`) and the generic contract suite
(`core.validate.check_response`), so the two never disagree on a label.

The bytes decide. A label that names the documented type (aliases folded: `audio/x-wav` is `audio/wav`) is right; so
is a generic one (`application/octet-stream`) where the documents name no format or the samples are headerless. A
label that is another name of the same bytes (Ogg Opus as `audio/ogg` where `audio/opus` is documented, PCM as
`audio/pcm_s16le` where `audio/pcm` is) is a finding once the bytes are right, unless the provider documents the exact
value. `audio/L16` for little-endian samples names big-endian ones (RFC 2586): other bytes. Anything else is wrong.
"""

from __future__ import annotations

from enum import StrEnum

from ._types import AudioKind, canonical_media_type, declares

GENERIC_TYPES = frozenset({"application/octet-stream", "binary/octet-stream"})  # bytes: names no format
BIG_ENDIAN_PCM = "audio/l16"  # RFC 2586: network byte order


class LabelVerdict(StrEnum):
    RIGHT = "right"
    ANOTHER_NAME = "another-name"  # a finding: the same bytes under another name
    BIG_ENDIAN = "big-endian"  # audio/L16 where little-endian samples are documented
    WRONG = "wrong"


def judge_label(documented: str | None, got: str | None, *, bytes_right: bool, exact: bool = False) -> LabelVerdict:
    """What the answer's Content-Type `got` is against the `documented` media type; `bytes_right`: the bytes are of
    the documented format (judged by whoever holds them); `exact`: the provider documents that very value."""
    declared = canonical_media_type(documented)
    named = canonical_media_type(got)
    headerless = declares(declared, AudioKind.PCM)
    if headerless and named == BIG_ENDIAN_PCM and declared != BIG_ENDIAN_PCM:
        return LabelVerdict.BIG_ENDIAN
    if declared is None or declared in GENERIC_TYPES or named == declared or (headerless and named in GENERIC_TYPES):
        return LabelVerdict.RIGHT
    if bytes_right and not exact and same_bytes(declared, named):
        return LabelVerdict.ANOTHER_NAME
    return LabelVerdict.WRONG


def same_bytes(declared: str | None, got: str | None) -> bool:
    """Whether two media types both name one kind of bytes (`audio/opus` and `audio/ogg`: Ogg Opus)."""
    return any(declares(declared, kind) and declares(got, kind) for kind in AudioKind)
