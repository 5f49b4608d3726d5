"""Tags around compressed audio: ID3v2 before it, ID3v1, APEv2 and an appended ID3v2 after it."""

from __future__ import annotations


def id3v2_length(data: bytes, at: int = 0) -> int:
    """Bytes of the ID3v2 tag at `at` (header, body, footer), 0 when there is none; "ID3" followed by
    anything but a version 2-4 header with syncsafe sizes (text that starts "ID3") is no tag."""
    head = data[at : at + 10]
    if len(head) < 10 or head[:3] != b"ID3" or head[3] not in (2, 3, 4) or head[4] == 0xFF:
        return 0
    if any(byte & 0x80 for byte in head[6:10]):
        return 0
    size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]
    return 10 + size + (10 if head[5] & 0x10 else 0)


def leading_tags_end(data: bytes) -> int:
    """Where the bytes after every leading ID3v2 tag begin (may lie past the end of a cut body)."""
    position = 0
    while (length := id3v2_length(data, position)) > 0:
        position += length
    return position


def trailing_tags_start(data: bytes) -> int:
    """Where trailing tags (ID3v1, APEv2, an appended ID3v2 with footer) begin; len(data) when none."""
    end = len(data)
    while True:
        if end >= 128 and data[end - 128 : end - 125] == b"TAG":
            end -= 128
        elif end >= 32 and data[end - 32 : end - 24] == b"APETAGEX":
            size = max(int.from_bytes(data[end - 20 : end - 16], "little"), 32)  # counts its own 32-byte footer
            has_header = data[end - 9] & 0x80
            end -= size + (32 if has_header else 0)
        elif end >= 10 and data[end - 10 : end - 7] == b"3DI":
            foot = data[end - 10 : end]
            end -= 20 + ((foot[6] << 21) | (foot[7] << 14) | (foot[8] << 7) | foot[9])
        else:
            return max(end, 0)
        if end <= 0:
            return 0


def audio_start(data: bytes) -> int:
    """Past any leading ID3v2 tags and the zero padding some writers put after them."""
    start = leading_tags_end(data)
    while start < len(data) and data[start] == 0:
        start += 1
    return start
