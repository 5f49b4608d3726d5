"""How a WebSocket speech family socket frames its messages: JSON text frames, MessagePack binary frames
(a live socket's documents: "All messages are serialized using MessagePack (binary format)"), or bare text (a socket
that "accepts bare text": each client text frame is the text itself, a control word a frame of its own).

One owner for both directions and every engine: the grammar encodes the client's messages and decodes the
server's (the frame checks, the session runner's reader, the benchmark), the sandbox decodes the client's and
encodes its answers. In a MessagePack frame the audio is a `bin` value — the bytes themselves, not base64 text.
A bare-text frame reads as the message `{"text": <the frame>}` (`BARE_TEXT_AT`) and that message is written back as
its text alone, so every engine tells the text from a control word by the family's usual `Match` on "/text"; such a
socket's server frames are the audio's bytes, never messages.
`msgpack` is imported when a MessagePack socket is first spoken (it ships with the sandbox extra).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from harness.core.audio_fields import AudioFieldError, audio_at, encode_text
from harness.core.drift import resolve
from harness.core.spec import AudioAt

#: Where a bare-text frame's text sits in the message it reads as (`{"text": <the frame>}`).
BARE_TEXT_AT = "/text"


class Framing(StrEnum):
    JSON = "json"  # each message a JSON text frame
    MSGPACK = "msgpack"  # each message a MessagePack map in a binary frame
    TEXT = "text"  # each client message a text frame that is the text itself; the server's frames are audio bytes

    @property
    def binary(self) -> bool:
        return self is Framing.MSGPACK

    @property
    def words(self) -> str:
        """How a message of this framing is named in a finding or an error frame."""
        return {Framing.MSGPACK: "a MessagePack binary frame", Framing.TEXT: "a text frame"}.get(
            self, "a JSON text frame"
        )


class FramingError(ValueError):
    """A frame that is not a message of the socket's framing (one line, for a finding or an error frame)."""


def _msgpack() -> Any:
    try:
        import msgpack
    except ImportError:  # pragma: no cover - the sandbox extra ships it
        raise FramingError(
            "MessagePack framing needs the msgpack package (pip install 'tts-harness[sandbox]')"
        ) from None
    return msgpack


def encode(message: Any, framing: Framing) -> str | bytes:
    """A message as it leaves: compact JSON text, or MessagePack bytes."""
    if framing.binary:
        packed: bytes = _msgpack().packb(message, use_bin_type=True)
        return packed
    if framing is Framing.TEXT:
        if (
            not isinstance(message, dict)
            or set(message) != {BARE_TEXT_AT[1:]}
            or not isinstance(message[BARE_TEXT_AT[1:]], str)
        ):
            raise FramingError(f"a bare-text frame carries its text alone, not {str(message)[:60]!r}")
        text: str = message[BARE_TEXT_AT[1:]]
        return text
    return json.dumps(message, separators=(",", ":"))


def decode(text: str | None, data: bytes | None, framing: Framing) -> Any:
    """The message one frame carries; `FramingError` (one line) when the frame is not of the socket's framing."""
    if framing.binary:
        if data is None:
            raise FramingError(f"expected a MessagePack binary frame, got a text frame {(text or '')[:40]!r}")
        msgpack = _msgpack()
        try:
            return msgpack.unpackb(data, raw=False)
        except (ValueError, msgpack.ExtraData, msgpack.FormatError, msgpack.StackError) as error:
            raise FramingError(f"not MessagePack: {type(error).__name__}: {str(error)[:60]}") from None
    if text is None:
        raise FramingError(f"expected {framing.words}, got a binary frame of {len(data or b'')} bytes")
    if framing is Framing.TEXT:
        return {BARE_TEXT_AT[1:]: text}
    try:
        return json.loads(text)
    except ValueError:
        raise FramingError(f"invalid JSON: {text[:60]!r}") from None


def audio_in(message: Any, where: AudioAt, framing: Framing) -> bytes:
    """The audio a decoded message carries at `where`: a MessagePack `bin` value as it is, text as its encoding."""
    present, value = resolve(message, where.pointer)
    if framing.binary and present and isinstance(value, bytes):
        return value
    if framing.binary and present and value is not None and not isinstance(value, str):
        raise AudioFieldError(f"{where.pointer}: expected MessagePack bin audio, got {type(value).__name__}")
    return audio_at(message, where)


def audio_value(audio: bytes, where: AudioAt, framing: Framing) -> bytes | str:
    """`audio` as a message of this framing carries it (the sandbox's writing of `audio_in`)."""
    return audio if framing.binary else encode_text(audio, where.encoding)
