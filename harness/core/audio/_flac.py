"""FLAC: metadata blocks, STREAMINFO, frame headers (CRC-8 checked) and what the last one says about
missing frames; its metadata stripped down to what a decoder needs."""

from __future__ import annotations

from ._tags import audio_start, leading_tags_end
from ._types import AudioInfo, AudioKind, with_problem

_FLAC_KEPT_BLOCKS = frozenset({0, 3})  # STREAMINFO and SEEKTABLE: all a decoder needs


def flac_blocks(data: bytes, start: int) -> tuple[list[tuple[int, int, int]], int, bool]:
    """The metadata blocks after `fLaC` at `start` as (type, offset, length), where frames begin, and
    whether the metadata is whole."""
    blocks: list[tuple[int, int, int]] = []
    position, last = start + 4, False
    while not last:
        if position + 4 > len(data):
            return blocks, position, False
        header = data[position]
        last, block_type = bool(header & 0x80), header & 0x7F
        length = int.from_bytes(data[position + 1 : position + 4], "big")
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


def flac_frame(data: bytes, at: int, fixed_block: int) -> tuple[int, int] | None:
    """The first sample and sample count of the FLAC frame whose header is at `at`, or None when the
    bytes there are not a frame header (its CRC-8 must match)."""
    head = data[at : at + 16]
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
    for byte in head[position : position + count]:
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
        block = int.from_bytes(head[position : position + size_bytes], "big") + 1
    else:
        block = 256 << (code - 8)
    first = number if head[1] == 0xF9 else number * fixed_block
    return first, block


def last_flac_frame(data: bytes, frames_start: int, fixed_block: int) -> tuple[int, int] | None:
    end = len(data)
    while end > frames_start:
        at = max(data.rfind(b"\xff\xf8", frames_start, end), data.rfind(b"\xff\xf9", frames_start, end))
        if at < 0:
            return None
        found = flac_frame(data, at, fixed_block)
        if found is not None:
            return found
        end = at + 1
    return None


def inspect_flac(data: bytes) -> AudioInfo:
    start = audio_start(data)
    blocks, frames_start, whole = flac_blocks(data, start)
    info = next((data[offset + 4 : offset + 4 + length] for kind, offset, length in blocks if kind == 0), b"")
    if len(info) < 18:
        return AudioInfo(
            kind=AudioKind.FLAC,
            truncated=not whole,
            problem="truncated FLAC: its metadata is cut short" if not whole else "a FLAC file without STREAMINFO",
        )
    block = int.from_bytes(info[2:4], "big")
    rate = (info[10] << 12) | (info[11] << 4) | (info[12] >> 4)
    channels = ((info[12] >> 1) & 7) + 1
    total = ((info[13] & 0xF) << 32) | int.from_bytes(info[14:18], "big")
    found = AudioInfo(
        kind=AudioKind.FLAC,
        media_type=None,
        sample_rate=rate,
        channels=channels,
        duration_s=total / rate if total and rate else None,
    )
    if not whole:
        return with_problem(found, "truncated FLAC: its metadata is cut short", True)
    last = last_flac_frame(data, frames_start, block)
    if last is None:
        return with_problem(found, "truncated FLAC: no audio frame", True)
    held = last[0] + last[1]
    if total and held < total and rate:
        cut = AudioInfo(
            kind=AudioKind.FLAC, media_type=None, sample_rate=rate, channels=channels, duration_s=held / rate
        )
        return with_problem(cut, f"truncated FLAC: frames end at sample {held} of {total}", True)
    return found


def flac_holds_a_frame(data: bytes) -> bool:
    """Whole metadata, a frame header, and the next frame's header after it (so the first frame is whole)."""
    _, frames_start, whole = flac_blocks(data, audio_start(data))
    return (
        whole
        and flac_frame(data, frames_start, 4096) is not None
        and last_flac_frame(data, frames_start + 2, 4096) is not None
    )


def strip_flac(data: bytes) -> bytes:
    start = leading_tags_end(data)
    blocks, frames_start, whole = flac_blocks(data, start)
    kept = [(kind, offset, length) for kind, offset, length in blocks if kind in _FLAC_KEPT_BLOCKS]
    out = bytearray(b"fLaC")
    for index, (kind, offset, length) in enumerate(kept):
        last = 0x80 if index == len(kept) - 1 else 0
        out += bytes([last | kind]) + data[offset + 1 : offset + 4 + length]
    return bytes(out) + (data[frames_start:] if whole else b"")
