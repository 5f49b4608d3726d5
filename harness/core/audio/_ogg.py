"""Ogg: pages, the codec of a stream's first packet (Opus, Vorbis, other), length from granule positions,
and comment packets blanked in place with the page checksums recomputed."""

from __future__ import annotations

from dataclasses import dataclass

from ._types import AudioInfo, AudioKind, with_problem


def ogg_codec(data: bytes) -> AudioKind:
    first_packet = data[27 + data[26] :] if len(data) > 27 else b""
    if first_packet.startswith(b"OpusHead"):
        return AudioKind.OPUS
    if first_packet.startswith(b"\x01vorbis"):
        return AudioKind.VORBIS
    return AudioKind.OGG


@dataclass(frozen=True, slots=True, kw_only=True)
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
        if data[offset : offset + 4] != b"OggS" or (len(data) - offset >= 5 and data[offset + 4] != 0):
            return pages, f"bytes after Ogg page {len(pages)} that are not a page"
        if offset + 27 > len(data) or offset + 27 + data[offset + 26] > len(data):
            return pages, f"truncated Ogg: page {len(pages)} is cut inside its header"
        count = data[offset + 26]
        page = OggPage(
            offset=offset,
            flags=data[offset + 5],
            granule=int.from_bytes(data[offset + 6 : offset + 14], "little", signed=True),
            serial=int.from_bytes(data[offset + 14 : offset + 18], "little"),
            lacing=data[offset + 27 : offset + 27 + count],
            body=offset + 27 + count,
        )
        if page.end > len(data):
            return (
                pages,
                f"truncated Ogg: page {len(pages)} promises {page.end - page.body} bytes, got {len(data) - page.body}",
            )
        pages.append(page)
        offset = page.end
    return pages, None


def inspect_ogg(data: bytes, kind: AudioKind) -> AudioInfo:
    pages, problem = ogg_pages(data)
    if not pages:
        return AudioInfo(kind=kind, truncated=True, problem=problem or "truncated Ogg: no whole page")
    head, serial = data[pages[0].body : pages[0].end], pages[0].serial
    rate = channels = None
    skip = 0
    if kind is AudioKind.OPUS and len(head) >= 19:
        rate, channels, skip = 48000, head[9], int.from_bytes(head[10:12], "little")  # Opus decodes at 48 kHz
    elif kind is AudioKind.VORBIS and len(head) >= 16:
        rate, channels = int.from_bytes(head[12:16], "little"), head[11]
    own = [page for page in pages if page.serial == serial]
    granule = max((page.granule for page in own), default=-1)
    duration = (granule - skip) / rate if rate and granule > 0 else None
    found = AudioInfo(
        kind=kind,
        media_type=None,
        sample_rate=rate,
        channels=channels,
        duration_s=max(duration, 0.0) if duration is not None else None,
    )
    if problem is None and not own[-1].flags & 4:
        problem = "truncated Ogg: no end-of-stream page"
    if problem is None and granule <= 0:
        problem = "an Ogg stream with no audio page"
    return with_problem(found, problem, problem is not None and problem.startswith("truncated"))


def ogg_holds_a_frame(data: bytes) -> bool:
    """A whole audio page: header pages carry granule position 0."""
    return any(page.granule > 0 for page in ogg_pages(data)[0])


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


def blank_ogg_comments(data: bytes) -> bytes:
    """Opus and Vorbis comment packets overwritten in place with an empty comment list and zero padding
    (both formats ignore bytes after it), so no page changes size; touched pages get a new checksum."""
    pages, _ = ogg_pages(data)
    out = bytearray(data)
    touched: set[int] = set()
    for pieces in _comment_pieces(pages).values():
        packet = b"".join(data[offset : offset + length] for _, offset, length in pieces)
        if packet.startswith(b"OpusTags"):
            empty = b"OpusTags" + bytes(8)  # vendor length 0, comment count 0
        elif packet.startswith(b"\x03vorbis"):
            empty = b"\x03vorbis" + bytes(8) + b"\x01"  # and the framing bit
        else:
            continue
        replacement = empty + bytes(max(len(packet) - len(empty), 0))
        written = 0
        for index, offset, length in pieces:
            out[offset : offset + length] = replacement[written : written + length]
            written += length
            touched.add(index)
    for index in touched:
        page = pages[index]
        out[page.offset + 22 : page.offset + 26] = bytes(4)
        out[page.offset + 22 : page.offset + 26] = _ogg_crc(bytes(out[page.offset : page.end])).to_bytes(4, "little")
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
