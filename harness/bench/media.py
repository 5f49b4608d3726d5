"""Audio as it arrives: is it whole, what is it, and where it is kept (content-addressed on disk).

Checks are cheap on purpose (header arithmetic, no decoding), because they run on every clip inside
the network loop: a WAV whose RIFF or data sizes promise more bytes than came is truncated; other
formats are identified by their magic bytes and their sample rate read from the header by libsndfile.
`FirstAudio` finds the first *decodable* audio in a stream: a complete WAV header plus one frame, or
one complete MPEG frame — not the first buffer of bytes.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import struct
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.bench.records import AudioFile
from harness.core.validate import sniff_audio

EXTENSIONS = {"audio/wav": "wav", "audio/mpeg": "mp3", "audio/flac": "flac", "audio/ogg": "ogg"}


@dataclass(frozen=True, slots=True)
class AudioFacts:
    media_type: str | None  # sniffed from the bytes
    sample_rate: int | None
    problem: str | None  # why the bytes are not a whole audio file, or None


def _wav_facts(body: bytes) -> AudioFacts:
    if len(body) < 12 or body[8:12] != b"WAVE":
        return AudioFacts("audio/wav", None, "a RIFF file that is not WAVE")
    riff_size = struct.unpack_from("<I", body, 4)[0]
    if riff_size + 8 > len(body) and riff_size != 0xFFFFFFFF:
        return AudioFacts("audio/wav", None, f"truncated WAV: header promises {riff_size + 8} bytes, got {len(body)}")
    offset, rate = 12, None
    while offset + 8 <= len(body):
        chunk_id, size = body[offset:offset + 4], struct.unpack_from("<I", body, offset + 4)[0]
        if chunk_id == b"fmt " and offset + 16 <= len(body):
            rate = struct.unpack_from("<I", body, offset + 12)[0]
        if chunk_id == b"data":
            if offset + 8 + size > len(body) and size != 0xFFFFFFFF:
                return AudioFacts("audio/wav", rate, f"truncated WAV: data chunk promises {size} bytes, "
                                                    f"got {len(body) - offset - 8}")
            if size == 0:
                return AudioFacts("audio/wav", rate, "a WAV file with no samples")
            return AudioFacts("audio/wav", rate, None)
        offset += 8 + size + (size & 1)
    return AudioFacts("audio/wav", rate, "a WAV file without a data chunk")


def inspect_audio(body: bytes) -> AudioFacts:
    """What the bytes are, and whether they are a whole audio file."""
    if not body:
        return AudioFacts(None, None, "an empty body")
    sniffed = sniff_audio(body)
    if sniffed is None:
        return AudioFacts(None, None, f"bytes that are not a known audio format (starting {body[:12]!r})")
    if sniffed == "audio/wav":
        return _wav_facts(body)
    try:
        import soundfile  # the score/sandbox extra; only the header is read

        info = soundfile.info(io.BytesIO(body))
    except ImportError:
        return AudioFacts(sniffed, None, None)
    except (RuntimeError, ValueError) as error:  # libsndfile raises a RuntimeError subclass
        return AudioFacts(sniffed, None, f"{sniffed} that libsndfile cannot read: {error}")
    if info.frames <= 0:
        return AudioFacts(sniffed, int(info.samplerate), f"{sniffed} with no samples")
    return AudioFacts(sniffed, int(info.samplerate), None)


def store_audio(directory: Path, body: bytes, declared: str | None, facts: AudioFacts) -> AudioFile:
    """Write the bytes once under their sha256 (`ab/abcdef….wav`); identical clips share one file."""
    digest = hashlib.sha256(body).hexdigest()
    ext = EXTENSIONS.get(facts.media_type or "", "bin")
    path = directory / digest[:2] / f"{digest}.{ext}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(body)
        os.replace(temporary, path)  # atomic: a crash never leaves half a file under the final name
    return AudioFile(path, digest, len(body), declared, facts.media_type, facts.sample_rate)


class FirstAudio:
    """Watches a stream of audio bytes; `found` turns true once they contain decodable audio."""

    __slots__ = ("buffer", "found")

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.found = False

    def feed(self, data: bytes) -> bool:
        """Add bytes; True the first time the accumulated bytes hold decodable audio."""
        if self.found or not data:
            return False
        self.buffer += data
        if _decodable(bytes(self.buffer)):
            self.found = True
            self.buffer.clear()
            return True
        return False


def _decodable(data: bytes) -> bool:
    kind = sniff_audio(data)
    if kind == "audio/wav":
        return _wav_has_frame(data)
    if kind == "audio/mpeg":
        return _mpeg_frame_complete(data)
    if kind is not None:
        return len(data) >= 4096  # FLAC/Ogg pages: a page of this size holds decodable audio
    return False


def _wav_has_frame(data: bytes) -> bool:
    offset, block = 12, 2
    while offset + 8 <= len(data):
        chunk_id, size = data[offset:offset + 4], struct.unpack_from("<I", data, offset + 4)[0]
        if chunk_id == b"fmt " and offset + 22 <= len(data):
            block = max(struct.unpack_from("<H", data, offset + 20)[0], 1)
        if chunk_id == b"data":
            return len(data) - offset - 8 >= block
        offset += 8 + size + (size & 1)
    return False


_BITRATES = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0)
_RATES = (44100, 48000, 32000, 0)


def _mpeg_frame_complete(data: bytes) -> bool:
    """One whole MPEG-1 layer III frame after any ID3 tag (other versions: a frame sync suffices)."""
    start = 0
    if data.startswith(b"ID3") and len(data) >= 10:
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        start = 10 + size
    for i in range(start, len(data) - 3):
        if data[i] == 0xFF and data[i + 1] & 0xE0 == 0xE0:
            version_bits = (data[i + 1] >> 3) & 0x3
            if version_bits != 0x3:  # not MPEG-1: frame arithmetic differs; a sync word is enough
                return True
            bitrate = _BITRATES[data[i + 2] >> 4] * 1000
            rate = _RATES[(data[i + 2] >> 2) & 0x3]
            if not bitrate or not rate:
                continue
            length = 144 * bitrate // rate + ((data[i + 2] >> 1) & 1)
            return len(data) - i >= length
    return False


def sse_audio(data: bytes) -> bytes:
    """Audio bytes carried by Server-Sent Events (`data:` lines, base64 or JSON with a base64 field);
    bytes that are not SSE are returned unchanged."""
    if not data.lstrip().startswith((b"data:", b"event:", b"id:", b":")):
        return data
    chunks: list[bytes] = []
    for line in data.splitlines():
        if not line.startswith(b"data:"):
            continue
        payload = line[5:].strip()
        if not payload or payload == b"[DONE]":
            continue
        chunk: Any = payload
        if payload.startswith(b"{"):
            try:
                event = json.loads(payload)
            except ValueError:
                continue
            chunk = next((event[k] for k in ("audio", "chunk", "data", "audio_base64") if isinstance(
                event.get(k), str)), None)
            if chunk is None:
                continue
        try:
            chunks.append(base64.b64decode(chunk, validate=False))
        except ValueError:
            continue
    return join_audio_chunks(chunks)


def join_audio_chunks(chunks: list[bytes]) -> bytes:
    """One playable file from a stream's audio chunks.

    Frame formats (MP3, raw PCM) simply continue; but a stream that sends each chunk as a whole WAV file
    would, concatenated, be one header followed by others inside the data, which no decoder reads as one
    file: their frames are joined under one header instead (all chunks must share the format).
    """
    if len(chunks) > 1 and all(c[:4] == b"RIFF" and c[8:12] == b"WAVE" for c in chunks):
        try:
            pieces = [_wav_frames(c) for c in chunks]
        except (wave.Error, EOFError):
            pieces = []  # not plain PCM WAV: keep the bytes as they came, the scorer will say what is wrong
        if pieces and len({params for params, _ in pieces}) == 1:
            channels, width, rate = pieces[0][0]
            out = io.BytesIO()
            with wave.open(out, "wb") as joined:
                joined.setnchannels(channels)
                joined.setsampwidth(width)
                joined.setframerate(rate)
                for _, frames in pieces:
                    joined.writeframes(frames)
            return out.getvalue()
    return b"".join(chunks)


def _wav_frames(data: bytes) -> tuple[tuple[int, int, int], bytes]:
    with wave.open(io.BytesIO(data), "rb") as reader:
        return (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()), reader.readframes(
            reader.getnframes())
