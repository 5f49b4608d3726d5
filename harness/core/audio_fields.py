"""Audio carried as text inside a provider's answer: at a JSON pointer, as base64 or hex (`AudioAt`).

One reading for every engine: the benchmark takes a JSON answer's audio (an `audioContent` field), the
contract checks decode it to check it is audio, the sandbox writes it. A stream's events carry it the same
way (`harness.core.sse` for Server-Sent Events, `ndjson_audio` here for newline-delimited JSON).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from harness.core.drift import resolve
from harness.core.spec import AudioAt, EventStreamBody, JsonBody, NdjsonBody, Response

ENCODINGS = ("base64", "hex")


class AudioFieldError(ValueError):
    """The answer has no audio where its declaration says, or the text there is not in its encoding."""


def decode_text(text: Any, encoding: str) -> bytes:
    """The bytes `text` writes in `encoding`; `AudioFieldError` when it is not a string in it."""
    if not isinstance(text, str):
        raise AudioFieldError(f"expected {encoding} text, got {type(text).__name__}")
    try:
        if encoding == "hex":
            return bytes.fromhex(text)
        return base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error) as error:
        raise AudioFieldError(f"not {encoding}: {error}") from None


def encode_text(audio: bytes, encoding: str) -> str:
    """`audio` written as a provider writes it in a JSON field."""
    return audio.hex() if encoding == "hex" else base64.b64encode(audio).decode("ascii")


def audio_at(data: Any, where: AudioAt) -> bytes:
    """The audio a parsed JSON value carries at `where`; `AudioFieldError` naming the pointer otherwise."""
    present, value = resolve(data, where.pointer)
    if not present or value is None:
        raise AudioFieldError(f"{where.pointer}: no audio there")
    try:
        return decode_text(value, where.encoding)
    except AudioFieldError as error:
        raise AudioFieldError(f"{where.pointer}: {error}") from None


def json_audio(body: bytes, where: AudioAt) -> bytes:
    """The audio of a JSON answer's bytes."""
    try:
        data = json.loads(body)
    except ValueError as error:
        raise AudioFieldError(f"the answer is not JSON ({error})") from None
    return audio_at(data, where)


def ndjson_audio(body: bytes, where: AudioAt | None) -> list[tuple[int, bytes]]:
    """Each line of a newline-delimited JSON stream that carries audio: the offset just past the line, and
    its audio. Lines that are not JSON, or carry none, are passed over (a stream's other messages)."""
    found: list[tuple[int, bytes]] = []
    start = 0
    while start < len(body):
        cut = body.find(b"\n", start)
        end = len(body) if cut < 0 else cut + 1
        line = body[start:end].strip()
        start = end
        if not line or where is None:
            continue
        try:
            found.append((end, audio_at(json.loads(line), where)))
        except (ValueError, AudioFieldError):
            continue
    return [(end, audio) for end, audio in found if audio]


def carrier(response: Response | None) -> JsonBody | EventStreamBody | NdjsonBody | None:
    """The body of a documented answer that carries audio as text (JSON with `audio`, or a stream with it)."""
    if response is None:
        return None
    for body in response.bodies:
        if isinstance(body, JsonBody | EventStreamBody | NdjsonBody) and body.audio is not None:
            return body
    return None
