"""A container's header or tag inside a stream, past its start: a WAV file's RIFF header, an ID3v2 tag, an Ogg
stream's first page, a FLAC stream's `fLaC` — what a player takes for samples (a click, a burst of noise) when a
server starts a new file mid-stream (issue 66 cites a text-to-speech server's stream that did: a WAV header in the
middle of it, played as audio).

Each place is confirmed by the one sniffer (`sniff`), so a stretch of samples that happens to spell a magic word
is not a header: RIFF needs its WAVE form type, ID3 its version and size bytes, an Ogg page its capture pattern's
version 0 and beginning-of-stream flag (later pages of one Ogg stream are its own, never a finding).
"""

from __future__ import annotations

from ._read import sniff
from ._types import AudioKind

_MAGIC = (b"RIFF", b"RIFX", b"RF64", b"ID3", b"OggS", b"fLaC")
_OGG_FIRST_PAGE = 0x02  # header type flag: beginning of stream


def _confirmed(data: bytes, at: int) -> AudioKind | None:
    piece = data[at : at + 4096]
    if piece.startswith(b"ID3"):
        version, revision, size = piece[3:4], piece[4:5], piece[6:10]
        whole = len(piece) >= 10 and version in (b"\x02", b"\x03", b"\x04") and revision == b"\x00"
        return AudioKind.MP3 if whole and all(byte < 0x80 for byte in size) else None
    if piece.startswith(b"OggS"):
        return sniff(piece) if piece[4:5] == b"\x00" and len(piece) > 5 and piece[5] & _OGG_FIRST_PAGE else None
    if piece.startswith(b"fLaC"):
        return AudioKind.FLAC if piece[4:5] in (b"\x00", b"\x80") else None  # STREAMINFO comes first
    return sniff(piece)


def headers_inside(data: bytes, start: int = 1) -> tuple[tuple[int, AudioKind], ...]:
    """Every container header or tag that begins at `start` or later in `data` (its offset and the audio it
    opens), in order."""
    found: list[tuple[int, AudioKind]] = []
    for magic in _MAGIC:
        at = data.find(magic, start)
        while at >= 0:
            kind = _confirmed(data, at)
            if kind is not None:
                found.append((at, kind))
            at = data.find(magic, at + 1)
    return tuple(sorted(found))
