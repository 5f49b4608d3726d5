"""RIFF, RIFX and RF64 (WAVE): the chunk walk, the fmt chunk, what the sizes promise against the bytes
held, and the WAV writers (joining whole files, sealing a streamed one, stripping its metadata)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ._types import AudioInfo, AudioKind, ByteOrder, with_problem

RIFF_ORDERS: dict[bytes, ByteOrder] = {b"RIFF": "little", b"RIFX": "big", b"RF64": "little"}

_UNKNOWN_SIZES = frozenset({0, 0xFFFFFFFF, 0x7FFFFFFF, 0x7FFFF000})  # what streaming writers put

_JOINABLE_TAGS = frozenset({1, 3, 6, 7, 0xFFFE})  # PCM, float, A-law, mu-law, extensible: frames concatenate
_WAV_KEPT = frozenset({b"fmt ", b"fact", b"data", b"ds64"})


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
    order = RIFF_ORDERS.get(data[:4])
    if order is None or len(data) < 12:
        return None
    sizes64: dict[bytes, int] = {}
    chunks: list[RiffChunk] = []
    offset = 12
    while offset + 8 <= len(data):
        ident = data[offset : offset + 4]
        declared = int.from_bytes(data[offset + 4 : offset + 8], order)
        if ident == b"ds64" and offset + 8 + 16 <= len(data):  # RF64: the 64-bit sizes
            sizes64[b"RF64"] = int.from_bytes(data[offset + 8 : offset + 16], "little")
            sizes64[b"data"] = int.from_bytes(data[offset + 16 : offset + 24], "little")
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


@dataclass(frozen=True, slots=True, kw_only=True)
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
        int.from_bytes(body[start : start + width], riff.order)
        for start, width in ((0, 2), (2, 2), (4, 4), (8, 4), (12, 2), (14, 2))
    )
    return WaveFormat(
        tag=tag, channels=channels, sample_rate=rate, byte_rate=byte_rate, block_align=block_align, bits=bits
    )


def inspect_wav(data: bytes) -> AudioInfo:
    riff = walk_riff(data)
    assert riff is not None
    fmt, samples = wave_format(data, riff), riff.first(b"data")
    rate = fmt.sample_rate if fmt else None
    channels = fmt.channels if fmt else None
    duration = samples.held / fmt.byte_rate if fmt and fmt.byte_rate and samples else None
    found = AudioInfo(
        kind=AudioKind.WAV,
        media_type=None,
        sample_rate=rate,
        channels=channels,
        duration_s=duration,
        declared_bytes=samples.size if samples else None,
        held_bytes=samples.held if samples else None,
    )
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
    return with_problem(found, problem, truncated)


def wav_holds_a_frame(data: bytes) -> bool:
    """A whole header and one block of samples."""
    riff = walk_riff(data)
    fmt = wave_format(data, riff) if riff else None
    samples = riff.first(b"data") if riff else None
    return fmt is not None and samples is not None and samples.held >= max(fmt.block_align, 1)


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
    ((magic, fmt_body),) = formats
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
    return (
        data[:4]
        + (len(data) - 8).to_bytes(4, "little")
        + data[8:size_at]
        + samples.held.to_bytes(4, "little")
        + data[size_at + 4 :]
    )


def _chunk(ident: bytes, body: bytes, order: ByteOrder) -> bytes:
    return ident + len(body).to_bytes(4, order) + body + b"\x00" * (len(body) & 1)


def strip_riff(data: bytes) -> bytes:
    riff = walk_riff(data)
    assert riff is not None
    kept = [chunk for chunk in riff.chunks if chunk.ident in _WAV_KEPT]
    parts = []
    for chunk in kept:
        pad = b"\x00" if chunk.size is not None and chunk.size & 1 and chunk.whole else b""
        parts.append(data[chunk.offset : chunk.offset + 8] + data[chunk.body] + pad)
    sizes_known = riff.size is not None and all(chunk.size is not None for chunk in kept)
    new_size = 4 + sum(8 + chunk.size + (chunk.size & 1) for chunk in kept if chunk.size is not None)
    size_field = data[4:8]
    if sizes_known and data[:4] != b"RF64":
        size_field = new_size.to_bytes(4, riff.order)
    if sizes_known and data[:4] == b"RF64" and parts and kept[0].ident == b"ds64" and kept[0].held >= 8:
        parts[0] = parts[0][:8] + new_size.to_bytes(8, "little") + parts[0][16:]
    return data[:4] + size_field + data[8:12] + b"".join(parts)
