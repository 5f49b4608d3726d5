"""Server-Sent Events that carry audio: where each event ends in the body and the audio it holds.

One reading for every engine: the benchmark joins the audio of a stream (`harness.runner.deliver.media.sse_audio`),
the contract engine's replay finds the byte where the first audio event ends (to time it). An event's
`data:` lines hold base64 audio, or JSON with a base64 string under one of `AUDIO_FIELDS`.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
from typing import Any

from harness.core.audio_fields import AudioFieldError, audio_at
from harness.core.spec import AudioAt

AUDIO_FIELDS = ("audio", "chunk", "data", "audio_base64")
_FIELD_STARTS = (b"data:", b"event:", b"id:", b":")


def is_sse(data: bytes) -> bool:
    """The bytes begin like an event stream (a field line or a comment)."""
    return data.lstrip().startswith(_FIELD_STARTS)


def _event_audio(event: bytes, where: AudioAt | None = None) -> list[bytes]:
    """The audio of one event: at the declared pointer (`where`), else under the first of `AUDIO_FIELDS`."""
    found: list[bytes] = []
    for line in event.splitlines():
        if not line.startswith(b"data:"):
            continue
        payload = line[5:].strip()
        if not payload or payload == b"[DONE]":
            continue
        chunk: Any = payload
        if payload.startswith(b"{"):
            try:
                message = json.loads(payload)
            except ValueError:
                continue
            if where is not None:
                with contextlib.suppress(AudioFieldError):  # an event of another kind (done, usage)
                    found.append(audio_at(message, where))
                continue
            if not isinstance(message, dict):
                continue
            chunk = next((message[k] for k in AUDIO_FIELDS if isinstance(message.get(k), str)), None)
            if chunk is None:
                continue
        try:
            found.append(base64.b64decode(chunk, validate=False))
        except (ValueError, binascii.Error):
            continue
    return found


def events(data: bytes) -> list[tuple[int, bytes]]:
    """Each event of the stream: the offset just past its end in `data`, and its bytes. A last event
    without its blank line ends at the end."""
    found: list[tuple[int, bytes]] = []
    start = 0
    while start < len(data):
        cut = data.find(b"\n\n", start)
        end = len(data) if cut < 0 else cut + 2
        found.append((end, data[start:end]))
        start = end
    return found


def audio_events(data: bytes, where: AudioAt | None = None) -> list[tuple[int, bytes]]:
    """Each event that carries audio: the offset just past its end in `data`, and its audio bytes (an
    event's several `data:` lines joined); `where`: the declared place of an event's audio."""
    found = [(end, b"".join(_event_audio(event, where))) for end, event in events(data)]
    return [(end, audio) for end, audio in found if audio]


def kind_of(event: bytes) -> str:
    """What an event is, for telling an order apart: `audio` when it carries audio, else its JSON `type`
    (or `event:` name), else `data`."""
    if _event_audio(event):
        return "audio"
    for line in event.splitlines():
        if line.startswith(b"event:"):
            return line[6:].strip().decode("utf-8", "replace")
        if line.startswith(b"data:") and line[5:].strip().startswith(b"{"):
            try:
                message = json.loads(line[5:])
            except ValueError:
                continue
            if isinstance(message, dict) and isinstance(message.get("type"), str):
                return str(message["type"])
    return "data"
