"""MessagePack framing in the WebSocket speech family (`harness.core.protocols.socket_framing`): Fish Audio's live
socket, whose every message is a MessagePack map in a binary frame. The AsyncAPI page's example messages are what the
declaration says; a frame that is not MessagePack is one clear line — a finding in the frame checks, an error frame
and a close from the sandbox — never a traceback."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import msgpack
import pytest

from harness.core.protocols.realtime_grammar import Direction, Frame, Kind
from harness.core.protocols.socket_framing import Framing, FramingError, decode, encode
from harness.core.protocols.websocket_speech import SocketGrammar
from harness.core.registry import providers

# The AsyncAPI file's examples (api-reference/asyncapi.yml, channel ttsLive); `<binary audio data>` as bytes.
FISH_EXAMPLES = (
    (
        "client",
        "start",
        {
            "event": "start",
            "request": {
                "text": "",
                "format": "mp3",
                "chunk_length": 200,
                "reference_id": "802e3bc2b27e49c2995d23ef70e6ac89",
                "latency": "balanced",
            },
        },
    ),
    (
        "client",
        "start",
        {
            "event": "start",
            "request": {
                "text": "",
                "chunk_length": 200,
                "format": "mp3",
                "sample_rate": 44100,
                "mp3_bitrate": 192,
                "opus_bitrate": 64,
                "references": [],
                "reference_id": "802e3bc2b27e49c2995d23ef70e6ac89",
                "normalize": True,
                "latency": "balanced",
                "prosody": {"speed": 1.2, "volume": 2.0},
                "top_p": 0.7,
                "temperature": 0.7,
            },
        },
    ),
    ("client", "text", {"event": "text", "text": "Hello, this is streaming text. "}),
    ("client", "flush", {"event": "flush"}),
    ("client", "stop", {"event": "stop"}),
    ("server", "audio", {"event": "audio", "audio": b"\xff\xfb\x90\x64"}),
    ("server", "finish", {"event": "finish", "reason": "stop"}),
    ("server", "finish (error)", {"event": "finish", "reason": "error"}),
)


def _grammar(name: str) -> SocketGrammar:
    return next(c.grammar for c in providers()[name].channels if isinstance(c.grammar, SocketGrammar))


@pytest.mark.parametrize(
    ("side", "name", "message"), FISH_EXAMPLES, ids=lambda value: value if isinstance(value, str) else ""
)
def test_fish_examples_are_what_the_declaration_says(side: str, name: str, message: dict[str, Any]) -> None:
    grammar = _grammar("fish")
    packed = encode(message, Framing.MSGPACK)
    assert isinstance(packed, bytes)
    framed = Frame(0, Direction.SEND if side == "client" else Direction.RECV, 0.0, data=packed)
    parsed, problems, drift = grammar.validate(framed, 0 if name == "start" else 1)
    assert (problems, drift) == ([], [])
    found = (
        grammar.client_message(message, 0 if name == "start" else 1) if side == "client" else grammar.answer(message)
    )
    assert found is not None and found.name == name and parsed is not None


def test_the_audio_event_carries_the_bytes_themselves() -> None:
    grammar = _grammar("fish")
    frame = Frame(3, Direction.RECV, 0.1, data=msgpack.packb({"event": "audio", "audio": b"\x01\x02"}))
    message, problems, _ = grammar.validate(frame, 0)
    assert problems == []
    assert [(e.kind, e.audio) for e in grammar.events(frame, message)] == [(Kind.AUDIO, b"\x01\x02")]


def test_frames_of_the_wrong_framing_are_one_line_findings() -> None:
    grammar = _grammar("fish")
    for frame in (
        Frame(0, Direction.RECV, 0.0, data=b"\xc1\xc1 not msgpack"),
        Frame(1, Direction.RECV, 0.0, text='{"event": "finish", "reason": "stop"}'),
    ):
        message, problems, _ = grammar.validate(frame, 0)
        assert message is None and len(problems) == 1
        assert problems[0].expected == "a MessagePack binary frame message" and "\n" not in problems[0].got
    with pytest.raises(FramingError, match=r"^expected a JSON text frame"):
        decode(None, b"\x80", Framing.JSON)
    packed = encode({"a": b"x"}, Framing.MSGPACK)
    assert isinstance(packed, bytes) and decode(None, packed, Framing.MSGPACK) == {"a": b"x"}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("fish",)) as running_sandbox:
        yield running_sandbox


def test_the_sandbox_answers_a_frame_that_is_not_messagepack_with_an_error_frame(sandbox: Any) -> None:
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    url = sandbox.base_url("fish", "api").replace("http://", "ws://") + "/v1/tts/live"
    headers = {"Authorization": f"Bearer {sandbox.default_key('fish')}", "model": "s1"}

    async def talk() -> tuple[Any, int | None, str]:
        async with connect(url, additional_headers=headers) as socket:
            await socket.send(b"\xc1\xc1 not msgpack")
            answer = msgpack.unpackb(await socket.recv())
            try:
                await socket.recv()
            except ConnectionClosed as closed:
                assert closed.rcvd is not None
                return answer, closed.rcvd.code, closed.rcvd.reason
        return answer, None, ""

    answer, code, reason = asyncio.run(talk())
    assert answer == {"event": "finish", "reason": "error"}
    assert code == 1008 and reason.startswith("Not MessagePack") and "\n" not in reason
