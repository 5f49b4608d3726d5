"""Audio as it arrives: is it whole, what is it, and where it is kept (content-addressed on disk).

Checks are cheap on purpose (header arithmetic by the one audio rule, `harness.core.audio`; no decoding),
because they run on every clip inside the network loop: a WAV whose RIFF or data sizes promise more bytes
than came, an MP3 or ADTS frame, FLAC frames or an Ogg page cut short are truncated. What is stored has
its metadata stripped (RIFF LIST/INFO, ID3, Vorbis comments: text a server may have written keys into).
`FirstAudio` finds the first *decodable* audio in a stream: a complete header plus one frame, not the first
buffer of bytes.
"""

from __future__ import annotations

import hashlib
import os
from itertools import pairwise
from pathlib import Path

from harness.core.audio import (
    AudioInfo,
    AudioKind,
    extension,
    headers_inside,
    holds_a_frame,
    join_wav,
    sniff,
    strip_metadata,
)
from harness.core.audio import inspect as inspect_audio  # what the bytes are, and whether they are whole
from harness.core.audio_fields import ndjson_audio
from harness.core.spec import AudioAt
from harness.core.sse import audio_events, is_sse
from harness.runner.record.records import AudioFile

__all__ = ["FirstAudio", "inspect_audio", "join_audio_chunks", "join_whole_files", "sse_audio", "store_audio"]


def store_audio(directory: Path, body: bytes, declared: str | None, facts: AudioInfo) -> AudioFile:
    """Write the audio, its metadata stripped, once under its sha256 (`ab/abcdef….wav`); identical clips
    share one file."""
    body = strip_metadata(body)
    digest = hashlib.sha256(body).hexdigest()
    path = directory / digest[:2] / f"{digest}.{extension(facts.kind)}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(body)
        os.replace(temporary, path)  # atomic: a crash never leaves half a file under the final name
    return AudioFile(
        path=path,
        sha256=digest,
        size=len(body),
        declared_media_type=declared,
        sniffed_media_type=facts.media_type,
        sample_rate=facts.sample_rate,
    )


class FirstAudio:
    """Watches a stream of audio bytes; `found` turns true once they contain decodable audio."""

    __slots__ = ("buffer", "declared", "found")

    def __init__(self, declared: str | None = None) -> None:
        self.buffer = bytearray()
        self.found = False
        self.declared = declared  # what headerless samples are, where the request asked for them

    def feed(self, data: bytes) -> bool:
        """Add bytes; True the first time the accumulated bytes hold decodable audio."""
        if self.found or not data:
            return False
        self.buffer += data
        if holds_a_frame(bytes(self.buffer), self.declared):
            self.found = True
            self.buffer.clear()
            return True
        return False


def sse_audio(data: bytes, where: AudioAt | None = None) -> bytes:
    """Audio bytes carried by Server-Sent Events (`harness.core.sse`: base64, or JSON with a base64 field,
    at `where` when the endpoint declares it); bytes that are not SSE are returned unchanged."""
    if not is_sse(data):
        return data
    return join_audio_chunks([audio for _, audio in audio_events(data, where)])


def stream_audio(data: bytes, where: AudioAt | None = None, *, lines: bool = False) -> bytes:
    """A streamed answer's audio: SSE events' (`sse_audio`), or newline-delimited JSON lines' (`lines`)."""
    if lines:
        return join_audio_chunks([audio for _, audio in ndjson_audio(data, where)])
    return sse_audio(data, where)


def join_whole_files(body: bytes) -> bytes:
    """A body that is whole WAV files back to back (a server writing each chunk of its stream as a file, issue 79) as
    one file of all their samples, as `join_audio_chunks` joins a stream's events; else the body as it came. Kept as
    it came, the first file's header would be read and what follows dropped as trailing bytes (its seam findings
    name the headers: `harness.core.seams`)."""
    if sniff(body) is not AudioKind.WAV:
        return body
    starts = [at for at, kind in headers_inside(body, 1) if kind is AudioKind.WAV]
    joined = join_wav([body[a:b] for a, b in pairwise([0, *starts, len(body)])]) if starts else None
    return joined if joined is not None else body


def join_audio_chunks(chunks: list[bytes]) -> bytes:
    """One playable file from a stream's audio chunks.

    Frame formats (MP3, raw PCM) simply continue; but a stream that sends each chunk as a whole WAV file
    would, concatenated, be one header followed by others inside the data, which no decoder reads as one
    file: their frames are joined under one header instead (all chunks must share the format; otherwise
    the bytes are kept as they came and the scorer says what is wrong).
    """
    joined = join_wav(chunks) if len(chunks) > 1 else None
    return joined if joined is not None else b"".join(chunks)
