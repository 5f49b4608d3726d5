"""The sockets declared from the official clients and the stored references (neuphonic, murf, rime, together): each
example message their documents (or the provider's own client) write is the message the declaration names, and its
model takes it; a socket the family cannot speak is refused when it is declared, in one line."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from harness.core.protocols.websocket_speech import KeyIn, SocketAuth, SocketGrammar
from harness.core.registry import providers

EXAMPLES = (
    # pyneuphonic: complete() and the websocket page's response format; neuphonic-js: `stop` on the last answer.
    ("neuphonic", "client", "text", {"text": "Hello, "}),
    ("neuphonic", "client", "stop", {"text": " <STOP>"}),
    # pyneuphonic's websocket page, example 2: the end token at the end of the text message (`end_token`).
    ("neuphonic", "client", "text", {"text": "Hello, World! <STOP>"}),
    (
        "neuphonic",
        "server",
        "audio",
        {
            "version": "1.X.X",
            "timestamp": "2024-07-15T11:59:27.619054",
            "data": {"audio": "SGVsbG8h", "text": "Hello "},
        },
    ),
    ("neuphonic", "server", "stop", {"data": {"audio": "", "text": "", "sampling_rate": 22050, "stop": True}}),
    # Murf's Pipecat integration (maintained by Murf): _build_voice_config_message, flush_audio, _process_json_message.
    (
        "murf",
        "client",
        "text",
        {
            "voice_config": {
                "voice_id": "Matthew",
                "style": "Conversational",
                "rate": 0,
                "pitch": 0,
                "pronunciation_dictionary": {},
                "variation": 1,
            },
            "context_id": "ctx-1",
            "text": "Hello.",
            "end": False,
            "min_buffer_size": 40,
            "max_buffer_delay_in_ms": 300,
        },
    ),
    ("murf", "client", "end", {"context_id": "ctx-1", "end": True}),
    ("murf", "client", "clear", {"context_id": "ctx-1", "clear": True}),  # the reference's Clear Context
    ("murf", "server", "audioOutput", {"context_id": "ctx-1", "audio": "UklGRg=="}),
    ("murf", "server", "finalOutput", {"context_id": "ctx-1", "final": True}),
    # Rime's Websockets JSON reference.
    (
        "rime",
        "client",
        "text",
        {"text": "this is a text message with a context id.", "contextId": "159495B1-5C81-4C73-A51A-9CE10A08239E"},
    ),
    ("rime", "client", "flush", {"operation": "flush"}),
    ("rime", "client", "eos", {"operation": "eos"}),
    ("rime", "client", "clear", {"operation": "clear"}),  # "clear out the accumulated buffer"
    ("rime", "server", "chunk", {"type": "chunk", "data": "UklGRg==", "contextId": None}),
    (
        "rime",
        "server",
        "timestamps",
        {
            "type": "timestamps",
            "word_timestamps": {
                "words": ["Testing", "mistv3", "timestamps."],
                "start": [0, 0.35396, 1.41584],
                "end": [0.35396, 1.41584, 3.18564],
            },
            "contextId": None,
        },
    ),
    ("rime", "server", "done", {"type": "done", "contextId": None}),
    ("rime", "server", "error", {"type": "error", "message": "malformed input"}),
    # Together's WebSocket guide.
    ("together", "client", "append", {"type": "input_text_buffer.append", "text": "Hello, this is a test sentence."}),
    ("together", "client", "commit", {"type": "input_text_buffer.commit"}),
    ("together", "client", "clear", {"type": "input_text_buffer.clear"}),
    ("together", "client", "tts_session.updated", {"type": "tts_session.updated", "session": {"voice": "tara"}}),
    (
        "together",
        "server",
        "session.created",
        {
            "event_id": "uuid-string",
            "type": "session.created",
            "session": {
                "id": "session-uuid",
                "object": "realtime.tts.session",
                "modalities": ["text", "audio"],
                "model": "canopylabs/orpheus-3b-0.1-ft",
                "voice": "tara",
            },
        },
    ),
    (
        "together",
        "server",
        "input_text.received",
        {"type": "conversation.item.input_text.received", "text": "Hello, this is a test sentence."},
    ),
    (
        "together",
        "server",
        "audio_output.delta",
        {"type": "conversation.item.audio_output.delta", "item_id": "tts_1", "delta": "base64-encoded-audio-chunk"},
    ),
    ("together", "server", "audio_output.done", {"type": "conversation.item.audio_output.done", "item_id": "tts_1"}),
    (
        "together",
        "server",
        "tts.failed",
        {
            "type": "conversation.item.tts.failed",
            "error": {"message": "Error description", "type": "error_type", "code": "error_code"},
        },
    ),
)


def _grammar(name: str) -> SocketGrammar:
    return next(c.grammar for c in providers()[name].channels if isinstance(c.grammar, SocketGrammar))


@pytest.mark.parametrize(
    ("provider", "side", "name", "message"), EXAMPLES, ids=lambda value: value if isinstance(value, str) else ""
)
def test_the_documents_messages_are_what_the_declaration_says(
    provider: str, side: str, name: str, message: dict[str, Any]
) -> None:
    grammar = _grammar(provider)
    found = grammar.client_message(message, 1) if side == "client" else grammar.answer(message)
    assert found is not None and found.name == name
    found.model.model_validate(message)


def test_a_model_with_voices_of_its_own_is_spoken_in_its_voice() -> None:
    """Rime's coda speaks lyra, not the first voice (celeste, arcana's): the checks name the model, not the offering."""
    assert _grammar("rime").speaker_of("coda") == ("coda", "lyra")
    assert _grammar("rime").speaker_of("arcana-ws") == ("arcana", "celeste")


def test_a_messagepack_socket_with_its_key_in_a_message_is_refused_when_declared() -> None:
    socket = _grammar("fish").socket
    with pytest.raises(ValueError, match=r"^socket tts\.live: a MessagePack socket takes its key in the upgrade"):
        replace(socket, auth=SocketAuth(where=KeyIn.MESSAGE, field="key", in_handshake=False))


@pytest.mark.parametrize(
    ("query", "model", "voice"),
    [
        ("?model=canopylabs/orpheus-3b-0.1-ft&voice=tara&response_format=pcm", "canopylabs/orpheus-3b-0.1-ft", "tara"),
        ("", None, None),  # nothing asked: the socket's defaults
    ],
)
def test_a_greeting_names_the_settings_the_upgrade_asked_for(query: str, model: str | None, voice: str | None) -> None:
    """Together's session.created, sent before any message, says the model and voice the URL's query names (the
    socket's own defaults where it names none): never a template's unfilled `{model}`."""
    import asyncio
    import json

    from websockets.asyncio.client import connect

    from harness.sandbox import running

    with running(profile="fast", providers=("together",)) as sandbox:
        url = sandbox.base_url("together", "api").replace("http://", "ws://") + "/v1/audio/speech/websocket" + query
        headers = {"Authorization": f"Bearer {sandbox.default_key('together')}"}

        async def greeting() -> Any:
            async with connect(url, additional_headers=headers) as socket:
                return json.loads(await socket.recv())

        created = asyncio.run(greeting())
    session = created["session"]
    assert created["type"] == "session.created"
    if model is not None:
        assert (session["model"], session["voice"]) == (model, voice)
    else:  # the first model the socket serves, in its own voice
        assert session["model"] == "canopylabs/orpheus-3b-0.1-ft" and session["voice"] == "tara", session


def test_a_text_message_that_does_not_continue_ends_the_text() -> None:
    """Smallest's `continue`: "If not set, it assumes no more input is coming" (its client's request model). A text
    sent with continue true waits for more; one with continue false is the last, the whole text spoken to its end
    (one `complete`) without the reference's flush, as Pipecat's SmallestTTSService ends a turn."""
    import asyncio
    import json

    from websockets.asyncio.client import connect

    from harness.sandbox import running

    settings = {"voice_id": "emily", "model": "lightning_v3.1", "sample_rate": 24000}

    async def talk(url: str, headers: dict[str, str]) -> list[str]:
        statuses: list[str] = []
        async with connect(url, additional_headers=headers) as socket:
            # more text may follow the first (had it ended the text, the second would find the session over)
            await socket.send(json.dumps({**settings, "text": "Hello from the sandbox.", "continue": True}))
            await socket.send(json.dumps({**settings, "text": " And goodbye.", "continue": False}))
            while not statuses or statuses[-1] != "complete":
                statuses.append(json.loads(await asyncio.wait_for(socket.recv(), 10))["status"])
        return statuses

    with running(profile="fast", providers=("smallest",)) as sandbox:
        url = sandbox.base_url("smallest", "api").replace("http://", "ws://") + "/waves/v1/tts/live"
        statuses = asyncio.run(talk(url, {"Authorization": f"Bearer {sandbox.default_key('smallest')}"}))
    assert statuses[-1] == "complete" and statuses.count("complete") == 1 and "chunk" in statuses, statuses
