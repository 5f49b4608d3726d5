"""A socket whose one message is the whole utterance (`Socket.end=None`): Resemble's streaming WebSocket, one JSON
request per synthesis carrying the text and its settings, audio frames back until `audio_end`. Against a loopback
server written here, unlike the sandbox: it refuses a second message in the same synthesis, sends its audio in
bursts after a pause, never closes the socket itself (the client does) and wants the key on the upgrade. The guide's
own example messages are what the declaration says."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from harness.core.protocols.realtime_grammar import Kind, Utterance
from harness.core.protocols.realtime_session import speak
from harness.core.protocols.websocket_speech import SocketGrammar
from harness.core.registry import providers
from harness.speech import decode_raw, encode_raw
from tests.helpers.realtime import LoopbackSocketServer

KEY = "loopback-key-77e0"
PAUSE_S = 0.2
RATE = 22050

# The streaming WebSocket guide's examples (docs.resemble.ai, Streaming (WebSocket)): its request payload and its
# JSON audio frame, the placeholders as a client fills them.
GUIDE_EXAMPLES = (
    (
        "client",
        "request",
        {
            "voice_uuid": "55592656",
            "project_uuid": "p-1",
            "data": "Hello from Resemble!",
            "binary_response": False,
            "request_id": 0,
            "output_format": "wav",
            "sample_rate": 32000,
            "precision": "PCM_32",
            "no_audio_header": False,
        },
    ),
    (
        "server",
        "audio",
        {
            "type": "audio",
            "audio_content": "AAAA",
            "audio_timestamps": {
                "graph_chars": ["H", "e"],
                "graph_times": [[0.0374, 0.1247], [0.0873, 0.1746]],
                "phon_chars": ["h", "ˈe"],
                "phon_times": [[0.0374, 0.1247], [0.0873, 0.1746]],
            },
            "sample_rate": 32000,
            "request_id": 0,
        },
    ),
    ("server", "audio_end", {"type": "audio_end", "request_id": 0}),
    (
        "server",
        "error",
        {
            "type": "error",
            "error_name": "VoiceNotFound",
            "message": "no such voice",
            "status_code": 404,
            "request_id": 0,
        },
    ),
)


def _grammar() -> SocketGrammar:
    return next(c.grammar for c in providers()["resemble"].channels if isinstance(c.grammar, SocketGrammar))


@pytest.mark.parametrize(
    ("side", "name", "message"), GUIDE_EXAMPLES, ids=lambda value: value if isinstance(value, str) else ""
)
def test_the_guides_example_messages_are_what_the_declaration_says(
    side: str, name: str, message: dict[str, Any]
) -> None:
    grammar = _grammar()
    found = grammar.client_message(message, 0) if side == "client" else grammar.answer(message)
    assert found is not None and found.name == name
    found.model.model_validate(message)


def test_an_utterance_fed_in_pieces_still_goes_as_one_message() -> None:
    opening = _grammar().opening(
        Utterance(chunks=("Hello ", "from ", "a model."), voice="55592656", model="resemble", audio_format="wav")
    )
    assert len(opening.messages) == 1 and opening.client_closes
    sent = json.loads(opening.messages[0].message)
    assert sent["data"] == "Hello from a model." and sent["voice_uuid"] == "55592656"
    assert sent["sample_rate"] == RATE and sent["no_audio_header"] is True


def _tone(seconds: float) -> bytes:
    t = np.arange(round(seconds * RATE)) / RATE
    return encode_raw(0.3 * np.sin(2 * np.pi * 220 * t), "pcm_s16le")


class OneRequestServer(LoopbackSocketServer):
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.authorization = ""
        self.closed_by_client = asyncio.Event()
        super().__init__()

    async def handle(self, socket: Any) -> None:
        self.authorization = socket.request.headers.get("Authorization", "")
        async for message in socket:
            request = json.loads(message)
            self.received.append(request)
            if len(self.received) > 1:  # one synthesis in flight: a second message is this server's error
                await socket.send(
                    json.dumps(
                        {
                            "type": "error",
                            "error_name": "Busy",
                            "message": "one at a time",
                            "status_code": 409,
                            "request_id": request.get("request_id"),
                        }
                    )
                )
                continue
            await asyncio.sleep(PAUSE_S)
            for burst in (0.3, 0.3, 0.2):
                await socket.send(
                    json.dumps(
                        {
                            "type": "audio",
                            "request_id": 0,
                            "sample_rate": RATE,
                            "audio_content": base64.b64encode(_tone(burst)).decode(),
                        }
                    )
                )
            await socket.send(json.dumps({"type": "audio_end", "request_id": 0}))
        self.closed_by_client.set()  # the loop ends when the client closes: this server never does


@pytest.fixture
def server() -> Iterator[OneRequestServer]:
    running = OneRequestServer()
    yield running
    running.close()


def test_the_family_sends_one_request_reads_the_bursts_and_closes_the_socket_itself(server: OneRequestServer) -> None:
    provider = providers()["resemble"]
    channel = provider.channel("stream.ws")
    utterance = Utterance(chunks=("Hello ", "there."), voice="55592656", model="resemble", audio_format="wav")
    upgrade = {provider.auth.header: provider.auth.header_value(KEY)}  # the declared key on the upgrade
    session = asyncio.run(speak(channel, server.url, upgrade, utterance, key=KEY))

    assert [r["data"] for r in server.received] == ["Hello there."]  # one message: no second, no end message
    assert server.authorization == f"Bearer {KEY}"
    assert KEY not in json.dumps(session.to_json())
    events = [e for f in session.received() for e in channel.grammar.events(f, None)]
    assert [e.kind for e in events] == [Kind.AUDIO, Kind.AUDIO, Kind.AUDIO, Kind.FINAL]
    audio = b"".join(e.audio for e in events if e.audio)
    assert len(decode_raw(audio, "pcm_s16le")) == round(0.3 * RATE) * 2 + round(0.2 * RATE)
    assert session.closing is not None and not session.closing.by_server  # the client closed it
