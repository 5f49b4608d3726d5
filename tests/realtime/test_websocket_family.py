"""The WebSocket speech family (`harness.core.protocols.websocket_speech`) against a loopback server written here,
which behaves unlike the sandbox: it greets first, answers the opening only after a pause, refuses any text that
comes before its answer, wants the key inside the opening message (never on the upgrade), writes the audio as hex
inside JSON and ends an utterance with a message that carries the last audio. A socket declared for it — the
user's own, built on a built-in provider's service — is spoken by the family's one grammar, and the session kept
holds no key."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from pydantic import BaseModel, ConfigDict

from harness.core.protocols.http_speech import Format
from harness.core.protocols.realtime_grammar import KEY_SLOT, AudioSpec, Kind, Utterance
from harness.core.protocols.realtime_session import speak
from harness.core.protocols.websocket_speech import (
    Answer,
    AudioAnswer,
    Failures,
    KeyIn,
    Match,
    Send,
    Socket,
    SocketAuth,
    Start,
    with_sockets,
)
from harness.core.spec import AudioAt
from harness.providers.lmnt.declaration import SERVICE
from harness.speech import decode_raw, encode_raw
from tests.helpers.realtime import LoopbackSocketServer

KEY = "loopback-key-3c1d"
PAUSE_S = 0.3  # the server's pause before it accepts the opening: text sent in it would be refused


class Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


def _tone(seconds: float) -> bytes:
    t = np.arange(round(seconds * 16000)) / 16000
    return encode_raw(0.3 * np.sin(2 * np.pi * 220 * t), "pcm_s16le")


class GatedServer(LoopbackSocketServer):
    def __init__(self, greet_after_s: float = 0.0) -> None:
        self.greet_after_s = greet_after_s  # a server that greets late refuses an opening sent before it
        self.received: list[str] = []
        self.headers: dict[str, str] = {}
        self.problems: list[str] = []
        super().__init__()

    async def handle(self, socket: Any) -> None:
        self.headers = dict(socket.request.headers)
        greeted = asyncio.Event()

        async def greet() -> None:
            await asyncio.sleep(self.greet_after_s)
            greeted.set()
            await socket.send(json.dumps({"event": "connected_success"}))

        greeting = asyncio.create_task(greet())
        started = asyncio.Event()

        async def start_later() -> None:  # the server takes its time; the socket keeps reading meanwhile
            await asyncio.sleep(PAUSE_S)
            started.set()
            await socket.send(json.dumps({"event": "task_started"}))

        starting = None
        async for message in socket:
            self.received.append(message)
            data = json.loads(message)
            if data.get("event") == "task_start":
                if not greeted.is_set():
                    self.problems.append("task_start before connected_success")
                if data.get("auth", {}).get("token") != KEY:
                    self.problems.append("the key is not in the opening")
                starting = asyncio.create_task(start_later())
            elif not started.is_set():
                self.problems.append(f"{data.get('event')} before task_started")
                await socket.send(json.dumps({"event": "task_failed", "base_resp": {"status_msg": "too early"}}))
                await socket.close(1008)
                break
            elif data.get("event") == "task_continue":
                await socket.send(json.dumps({"event": "task_continued", "data": {"audio": _tone(0.4).hex()}}))
            elif data.get("event") == "task_finish":
                await socket.send(json.dumps({"event": "task_finished", "data": {"audio": _tone(0.3).hex()}}))
                await socket.close(1000)
                break
        greeting.cancel()
        if starting is not None:
            starting.cancel()


SOCKET = Socket(
    key="gated",
    path="/ws/speech",
    summary="a gated socket",
    doc="",
    auth=SocketAuth(where=KeyIn.MESSAGE, field="/auth/token", in_handshake=False),
    start=Start(
        opening=Send(
            "start",
            {"event": "task_start", "auth": {"token": "{key}"}, "voice": "{voice}", "model": "{model}"},
            Loose,
            Match("/event", "task_start"),
        ),
        greeting=Answer(
            name="connected", kind=Kind.OPENED, match=Match("/event", "connected_success"), model=Loose, template={}
        ),
        ready=Answer(name="started", kind=Kind.READY, match=Match("/event", "task_started"), model=Loose, template={}),
        waits_for_ready=True,
    ),
    text=Send("continue", {"event": "task_continue", "text": "{text}"}, Loose, Match("/event", "task_continue")),
    end=Send("finish", {"event": "task_finish"}, Loose, Match("/event", "task_finish")),
    audio_answer=AudioAnswer(
        message=Answer(
            name="continued", kind=Kind.AUDIO, match=Match("/event", "task_continued"), model=Loose, template={}
        ),
        at=AudioAt("/data/audio", "hex"),
    ),
    final=Answer(name="finished", kind=Kind.FINAL, match=Match("/event", "task_finished"), model=Loose, template={}),
    failures=Failures(
        error=Answer(
            name="failed",
            kind=Kind.ERROR,
            match=Match("/event", "task_failed"),
            model=Loose,
            template={},
            message_at="/base_resp/status_msg",
        )
    ),
    formats=(Format(name="pcm", spec=AudioSpec("pcm_s16le", 16000, "raw"), media_type="audio/L16"),),
    speaks_each_text=True,
)


@pytest.fixture
def server() -> Iterator[GatedServer]:
    running = GatedServer()
    yield running
    running.close()


def test_the_family_waits_for_ready_puts_the_key_in_its_slot_and_reads_hex_audio_and_the_final(
    server: GatedServer,
) -> None:
    provider = with_sockets(SERVICE, [SOCKET])
    channel = provider.channel("gated")
    utterance = Utterance(chunks=("Hello ", "there."), voice="leah", model="blizzard", audio_format="pcm")
    session = asyncio.run(speak(channel, server.url, {}, utterance, key=KEY))

    assert server.problems == []
    assert [json.loads(m)["event"] for m in server.received] == [
        "task_start",
        "task_continue",
        "task_continue",
        "task_finish",
    ]
    assert not any(KEY.lower() in str(v).lower() for v in server.headers.values())  # not on the upgrade
    kept = json.dumps(session.to_json())
    assert KEY not in kept and KEY_SLOT in kept  # the session keeps the slot, never the key
    started = next(f.t_s for f in session.received() if f.text and "task_started" in f.text)
    assert all(f.t_s >= started for f in session.sent()[1:])  # text only after the server's ready

    events = [e for f in session.received() for e in channel.grammar.events(f, None)]
    kinds = [e.kind for e in events]
    assert kinds.count(Kind.AUDIO) == 3 and kinds[-1] is Kind.FINAL and Kind.READY in kinds
    audio = b"".join(e.audio for e in events if e.kind is Kind.AUDIO and e.audio)
    assert len(decode_raw(audio, "pcm_s16le")) == round(1.1 * 16000)  # two continues and the final's own audio
    assert channel.grammar.audio_spec(session).sample_rate == 16000


def test_without_the_gate_the_same_server_refuses_the_text(server: GatedServer) -> None:
    """The pause is real: a socket that does not wait for ready gets the server's refusal, read as an error."""
    from dataclasses import replace

    provider = with_sockets(SERVICE, [replace(SOCKET, start=replace(SOCKET.start, waits_for_ready=False))])
    channel = provider.channel("gated")
    session = asyncio.run(
        speak(
            channel,
            server.url,
            {},
            Utterance(chunks=("Hello.",), voice="leah", model="blizzard", audio_format="pcm"),
            key=KEY,
        )
    )
    assert server.problems == ["task_continue before task_started"]
    events = [e for f in session.received() for e in channel.grammar.events(f, None)]
    assert [e.message for e in events if e.kind is Kind.ERROR] == ["too early"]


# The references' own example messages (quoted): each is the message the declaration says it is, and its model
# accepts it. A declaration that misnamed a field or a pointer would fail here before any socket is opened.
MINIMAX_EXAMPLES = (
    (
        "client",
        "task_start",
        {
            "event": "task_start",
            "model": "speech-2.8-turbo",
            "language_boost": "Chinese",
            "voice_setting": {"voice_id": "English_expressive_narrator", "speed": 1, "vol": 1, "pitch": 0},
            "pronunciation_dict": {"tone": ["Omg/Oh my god"]},
            "audio_setting": {"sample_rate": 32000, "bitrate": 128000, "format": "mp3", "channel": 1},
        },
    ),
    (
        "client",
        "task_continue",
        {
            "event": "task_continue",
            "text": "Omg(sighs), the real danger is not that computers start thinking like people.",
        },
    ),
    ("client", "task_finish", {"event": "task_finish"}),
    (
        "server",
        "connected_success",
        {
            "session_id": "xxxx",
            "event": "connected_success",
            "trace_id": "0303a2882bf18235ae7a809ae0f3cca7",
            "base_resp": {"status_code": 0, "status_msg": "success"},
        },
    ),
    (
        "server",
        "audio",
        {
            "data": {"audio": "fffb9064"},
            "extra_info": {"audio_channel": 1, "audio_format": "mp3", "audio_sample_rate": 32000},
            "is_final": True,
            "session_id": "301871346491491",
            "trace_id": "04ee3794e2c9e4a6d5f99e77742f06fd",
            "base_resp": {"status_code": 0, "status_msg": "success"},
        },
    ),
    (
        "server",
        "task_failed",
        {
            "session_id": "xxxx",
            "event": "task_failed",
            "trace_id": "0303a2882bf18235ae7a809ae0f3cca7",
            "base_resp": {"status_code": 1004, "status_msg": "XXXXXXX"},
        },
    ),
)
INWORLD_EXAMPLES = (
    (
        "client",
        "create",
        {
            "create": {
                "voiceId": "Dennis",
                "modelId": "inworld-tts-1.5-max",
                "bufferCharThreshold": 100,
                "autoMode": True,
                "timestampType": "WORD",
            },
            "contextId": "ctx-1",
        },
    ),
    (
        "client",
        "send_text",
        {
            "send_text": {"text": "Hello, what a wonderful day to be a text-to-speech model!", "flush_context": {}},
            "contextId": "ctx-1",
        },
    ),
    ("client", "flush_context", {"flush_context": {}, "contextId": "ctx-1"}),
    ("client", "close_context", {"close_context": {}, "contextId": "ctx-1"}),
    (
        "server",
        "contextCreated",
        {
            "result": {
                "contextId": "ctx-1",
                "contextCreated": {
                    "voiceId": "Dennis",
                    "audioConfig": {"audioEncoding": "LINEAR16", "sampleRateHertz": 16000},
                    "modelId": "inworld-tts-1.5-max",
                },
                "status": {"code": 0, "message": "", "details": []},
            }
        },
    ),
    (
        "server",
        "audioChunk",
        {
            "result": {
                "contextId": "ctx-1",
                "audioChunk": {
                    "audioContent": "UklGRgSYAABXQVZFZm10IBAAAAABAAEAgD4AAAB9AAACABAAZGF0YeCX=",
                    "usage": {"processedCharactersCount": 79, "modelId": "inworld-tts-1.5-max"},
                },
                "status": {"code": 0, "message": "", "details": []},
            }
        },
    ),
    (
        "server",
        "flushCompleted",
        {"result": {"contextId": "ctx-1", "flushCompleted": {}, "status": {"code": 0, "message": "", "details": []}}},
    ),
    (
        "server",
        "contextClosed",
        {"result": {"contextId": "ctx-1", "contextClosed": {}, "status": {"code": 0, "message": "", "details": []}}},
    ),
)


@pytest.mark.parametrize(
    ("provider", "side", "name", "message"),
    [("minimax", *e) for e in MINIMAX_EXAMPLES] + [("inworld", *e) for e in INWORLD_EXAMPLES],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_the_references_example_messages_are_what_the_declaration_says(
    provider: str, side: str, name: str, message: dict[str, Any]
) -> None:
    from harness.core.protocols.websocket_speech import SocketGrammar
    from harness.core.registry import providers

    grammar = next(c.grammar for c in providers()[provider].channels if isinstance(c.grammar, SocketGrammar))
    found = (
        grammar.client_message(message, 0 if name in ("task_start", "create") else 1)
        if side == "client"
        else grammar.answer(message)
    )
    assert found is not None and found.name == name
    found.model.model_validate(message)


def test_an_opening_that_waits_for_the_greeting_is_sent_after_it() -> None:
    """Mistral's and DashScope's sessions: "wait for [session.created] before you send anything else"."""
    from dataclasses import replace

    late = GatedServer(greet_after_s=PAUSE_S)
    try:
        for waits, problems in ((True, []), (False, ["task_start before connected_success"])):
            late.problems.clear()
            provider = with_sockets(SERVICE, [replace(SOCKET, start=replace(SOCKET.start, waits_for_greeting=waits))])
            asyncio.run(
                speak(
                    provider.channel("gated"),
                    late.url,
                    {},
                    Utterance(chunks=("Hello.",), voice="leah", model="blizzard", audio_format="pcm"),
                    key=KEY,
                )
            )
            assert late.problems == problems
    finally:
        late.close()
