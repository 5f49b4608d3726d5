"""The realtime speech-to-speech sockets (issue 80) as a voice agent meets them in the sandbox: OpenAI's Realtime API
(GA) and Gemini's Live API driven by their official clients (`openai`, `google-genai`) unchanged, over TLS as
google-genai insists on wss, the model saying the asked text with the transcript beside its audio and the usage in
tokens; the GA endpoint's strictness (a beta field refused, naming it)."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.asyncio.client import connect

from harness.core.protocols.realtime_grammar import Kind, Utterance
from harness.core.protocols.realtime_session import speak
from harness.core.registry import providers

TEXT = "Good morning."


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("openai", "gemini", "xai", "azure"), tls=True) as served:
        yield served


@pytest.fixture
def trusted(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The clients (their own TLS contexts, the `websockets` default) trust the sandbox's CA."""
    monkeypatch.setenv("SSL_CERT_FILE", str(sandbox.ca_file))
    return sandbox.tls.client_context()


def test_the_official_openai_client_gets_the_asked_text_spoken(sandbox: Any, trusted: Any) -> None:
    from openai import AsyncOpenAI

    async def converse() -> tuple[bytes, str, Any]:
        client = AsyncOpenAI(base_url=sandbox.base_url("openai", "v1"), api_key=sandbox.default_key("openai"))
        audio, transcript = b"", ""
        async with client.realtime.connect(model="gpt-realtime-1.5") as connection:
            await connection.session.update(
                session={"type": "realtime", "output_modalities": ["audio"], "audio": {"output": {"voice": "marin"}}}
            )
            await connection.conversation.item.create(
                item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": TEXT}]}
            )
            await connection.response.create()
            async for event in connection:
                if event.type == "response.output_audio.delta":
                    audio += base64.b64decode(event.delta)
                elif event.type == "response.output_audio_transcript.delta":
                    transcript += event.delta
                elif event.type in ("response.done", "error"):
                    return audio, transcript, event
        raise AssertionError("the session ended before response.done")

    audio, transcript, done = asyncio.run(asyncio.wait_for(converse(), 60))
    assert done.type == "response.done", done
    assert len(audio) / 2 / 24000 > 0.4  # 16-bit samples at 24 kHz: the words take at least this long
    assert transcript.strip() == TEXT
    usage = done.response.usage
    assert usage.input_token_details.text_tokens > 0 and usage.output_token_details.audio_tokens > 0


# A response's events as the GA reference orders them (its deltas apart): the item the client added, then the response
# from its creation to its `response.done`.
RESPONSE_EVENTS = [
    "conversation.item.added",
    "response.created",
    "response.output_item.added",
    "conversation.item.added",
    "response.content_part.added",
    "response.output_audio.done",
    "response.output_audio_transcript.done",
    "response.content_part.done",
    "response.output_item.done",
    "conversation.item.done",
    "response.done",
]
DELTAS = ("response.output_audio.delta", "response.output_audio_transcript.delta")


def test_the_openai_socket_sends_each_responses_events_with_its_own_ids(sandbox: Any, trusted: Any) -> None:
    """Two responses on one connection, read raw through the official client and validated by its GA types: every
    event its own `event_id`; the client's item id echoed (a server id where it gave none); each response its own ids,
    named alike by all its events; `response.create`'s metadata back in `response.created` (LiveKit finds its
    generation by it)."""
    from openai import AsyncOpenAI
    from openai.types.realtime import RealtimeServerEvent
    from pydantic import TypeAdapter

    documented = TypeAdapter(RealtimeServerEvent)
    asks = (("item_from_the_client", {"client_event_id": "ask_1"}), (None, None))

    async def converse() -> list[list[dict[str, Any]]]:
        client = AsyncOpenAI(base_url=sandbox.base_url("openai", "v1"), api_key=sandbox.default_key("openai"))
        responses: list[list[dict[str, Any]]] = []
        async with client.realtime.connect(model="gpt-realtime-1.5") as connection:
            while json.loads(await connection.recv_bytes())["type"] != "session.created":
                pass
            for item_id, metadata in asks:
                item: Any = {"type": "message", "role": "user", "content": [{"type": "input_text", "text": TEXT}]}
                await connection.conversation.item.create(item={**item, "id": item_id} if item_id else item)
                await connection.response.create(**({"response": {"metadata": metadata}} if metadata else {}))
                events: list[dict[str, Any]] = []
                while not events or events[-1]["type"] not in ("response.done", "error"):
                    events.append(json.loads(await connection.recv_bytes()))
                    documented.validate_python(events[-1])  # the shape the GA types give it
                responses.append(events)
        return responses

    first, second = asyncio.run(asyncio.wait_for(converse(), 60))
    every = first + second
    assert len({event["event_id"] for event in every}) == len(every)
    previous = None
    for events, (item_id, metadata) in zip((first, second), asks, strict=True):
        assert [e["type"] for e in events if e["type"] not in DELTAS] == RESPONSE_EVENTS, [e["type"] for e in events]
        added, created, output = events[0], events[1], events[2]["item"]
        assert added["item"]["id"] == item_id if item_id else added["item"]["id"] not in ("", "item_from_the_client")
        assert added["item"]["content"] == [{"type": "input_text", "text": TEXT}]
        assert added["previous_item_id"] == previous
        assert events[3]["previous_item_id"] == added["item"]["id"]  # the response's item follows the user's
        previous = output["id"]
        response_id = created["response"]["id"]
        assert created["response"]["status"] == "in_progress" and created["response"]["metadata"] == metadata
        assert {e["response_id"] for e in events if "response_id" in e} == {response_id}
        assert {e["item_id"] for e in events if "item_id" in e} == {output["id"]}
        said = "".join(e["delta"] for e in events if e["type"] == "response.output_audio_transcript.delta")
        done = events[-1]["response"]
        assert said.strip() == TEXT and done["id"] == response_id and done["status"] == "completed"
        assert done["output"][0]["content"][0]["transcript"] == said == events[-5]["transcript"]
    assert first[1]["response"]["id"] != second[1]["response"]["id"] and first[2]["item"]["id"] != previous


def test_the_official_google_genai_client_gets_the_asked_text_spoken(sandbox: Any, trusted: Any) -> None:
    from google import genai
    from google.genai import types

    async def converse() -> tuple[bytes, str, Any]:
        client = genai.Client(
            api_key=sandbox.default_key("gemini"),
            http_options={"base_url": sandbox.base_url("gemini", "api"), "api_version": "v1beta"},
        )
        config = types.LiveConnectConfig(
            response_modalities=[types.Modality.AUDIO],
            output_audio_transcription=types.AudioTranscriptionConfig(),
            speech_config=types.SpeechConfig(
                voice_config=types.VoiceConfig(prebuilt_voice_config=types.PrebuiltVoiceConfig(voice_name="Kore"))
            ),
        )
        audio, transcript = b"", ""
        async with client.aio.live.connect(model="gemini-3.8-live", config=config) as session:
            await session.send_client_content(turns={"role": "user", "parts": [{"text": TEXT}]}, turn_complete=True)
            async for message in session.receive():
                content = message.server_content
                if content is None:
                    continue
                for part in content.model_turn.parts or () if content.model_turn else ():
                    audio += part.inline_data.data if part.inline_data and part.inline_data.data else b""
                if content.output_transcription is not None:
                    transcript += content.output_transcription.text or ""
                if content.turn_complete:
                    return audio, transcript, message.usage_metadata
        raise AssertionError("the session ended before turnComplete")

    audio, transcript, usage = asyncio.run(asyncio.wait_for(converse(), 60))
    assert len(audio) / 2 / 24000 > 0.4
    assert transcript.strip() == TEXT
    assert usage.prompt_token_count > 0 and usage.response_tokens_details[0].token_count > 0


@pytest.mark.parametrize(
    ("provider", "host", "model", "voice", "audio_format"),
    [
        ("openai", "v1", "gpt-realtime-1.5", "marin", "audio/pcm"),
        # the OpenAI-like sockets: their data differs only (xAI's flat session; Azure's Voice Live, the first names)
        ("xai", "api", "grok-voice-think-fast-1.0", "eve", "pcm"),
        ("azure", "sts", "gpt-realtime", "en-US-AvaMultilingualNeural", "pcm16"),
    ],
)
def test_the_family_reads_the_transcript_beside_the_audio(
    sandbox: Any, trusted: Any, provider: str, host: str, model: str, voice: str, audio_format: str
) -> None:
    channel = next(c for c in providers()[provider].channels if c.key in ("realtime", "voice-live"))
    utterance = Utterance(chunks=(TEXT,), voice=voice, model=model, audio_format=audio_format)
    key = sandbox.default_key(provider)
    header = {"Ocp-Apim-Subscription-Key": key} if provider == "azure" else {"Authorization": f"Bearer {key}"}
    session = asyncio.run(speak(channel, sandbox.base_url(provider, host), header, utterance, key=key, ssl=trusted))
    events = [event for frame in session.received() for event in channel.grammar.read(frame).events]
    said = "".join(e.message for e in events if e.kind is Kind.TRANSCRIPT)
    assert said.strip() == TEXT
    kinds = [e.kind for e in events if e.kind is not Kind.OPENED]
    assert kinds[0] is Kind.READY and kinds[-1] is Kind.FINAL and Kind.AUDIO in kinds
    assert session.closing is not None and not session.closing.by_server  # the session stays open: the client ends it
    said_ids = [json.loads(frame.text)["event_id"] for frame in session.received() if frame.text]
    assert len(set(said_ids)) == len(said_ids)  # "The unique ID of the server event": each its own


def test_the_ga_endpoint_refuses_a_beta_field_naming_it(sandbox: Any, trusted: Any) -> None:
    url = sandbox.base_url("openai", "v1").replace("https://", "wss://") + "/realtime?model=gpt-realtime-1.5"
    headers = {"Authorization": f"Bearer {sandbox.default_key('openai')}"}

    async def converse() -> dict[str, Any]:
        async with connect(url, additional_headers=headers, ssl=trusted) as socket:
            assert json.loads(await socket.recv())["type"] == "session.created"
            await socket.send(
                json.dumps({"type": "session.update", "session": {"type": "realtime", "modalities": ["audio"]}})
            )  # the beta's name for output_modalities
            return dict(json.loads(await socket.recv()))

    answer = asyncio.run(asyncio.wait_for(converse(), 30))
    assert answer["type"] == "error"
    assert "modalities" in answer["error"]["message"], answer


# The documents' own example messages (each page quoted in its declaration): what the declaration names them, and
# its model takes them.
DOCUMENTED = (
    # xAI's Voice Agent guide, its quick start (VOICE_GUIDE)
    (
        "xai",
        "client",
        "session.update",
        {
            "type": "session.update",
            "session": {
                "voice": "eve",
                "instructions": "You are a helpful assistant.",
                "turn_detection": {"type": "server_vad"},
            },
        },
    ),
    (
        "xai",
        "client",
        "conversation.item.create",
        {
            "type": "conversation.item.create",
            "item": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Hello!"}]},
        },
    ),
    ("xai", "client", "response.create", {"type": "response.create"}),
    # Gemini's WebSocket guide and reference: the setup's fields, a clientContent turn, the server's messages
    (
        "gemini",
        "client",
        "setup",
        {
            "setup": {
                "model": "models/gemini-3.8-live",
                "generationConfig": {"responseModalities": ["AUDIO"]},
                "systemInstruction": {"parts": [{"text": "Be brief."}]},
            }
        },
    ),
    (
        "gemini",
        "client",
        "clientContent",
        {"clientContent": {"turns": [{"role": "user", "parts": [{"text": "Hi"}]}], "turnComplete": True}},
    ),
    ("gemini", "server", "setupComplete", {"setupComplete": {}}),
    (
        "gemini",
        "server",
        "serverContent.turnComplete",
        {
            "serverContent": {"turnComplete": True},
            "usageMetadata": {
                "promptTokenCount": 522,
                "responseTokenCount": 42,
                "responseTokensDetails": [{"modality": "AUDIO", "tokenCount": 42}],
            },
        },
    ),  # the forum's wire receipt
    ("gemini", "server", "goAway", {"goAway": {"timeLeft": "50s"}}),
    # Azure's Voice Live: the Realtime API's first names (a Voice Live sample's ResponseAudioDelta)
    (
        "azure",
        "server",
        "response.audio.delta",
        {
            "type": "response.audio.delta",
            "event_id": "e",
            "response_id": "r",
            "item_id": "i",
            "output_index": 0,
            "content_index": 0,
            "delta": "AAAA",
        },
    ),
    (
        "azure",
        "client",
        "session.update",
        {
            "type": "session.update",
            "session": {
                "modalities": ["text", "audio"],
                "voice": {"name": "en-US-AvaMultilingualNeural", "type": "azure-standard"},
                "output_audio_format": "pcm16",
            },
        },
    ),
    # OpenAI's GA types (openai 3.57.0): an error event as the GA endpoint sends it for a beta field
    (
        "openai",
        "server",
        "error",
        {
            "type": "error",
            "event_id": "event_1",
            "error": {
                "type": "invalid_request_error",
                "code": "unknown_parameter",
                "message": "Unknown parameter: 'session.input_audio_format'.",
                "param": "session.input_audio_format",
            },
        },
    ),
    (
        "openai",
        "server",
        "response.output_audio.delta",
        {
            "type": "response.output_audio.delta",
            "event_id": "event_2",
            "response_id": "resp_1",
            "item_id": "item_1",
            "output_index": 0,
            "content_index": 0,
            "delta": "AAAA",
        },
    ),
)


@pytest.mark.parametrize(
    ("provider", "side", "name", "message"), DOCUMENTED, ids=lambda value: value if isinstance(value, str) else ""
)
def test_the_documents_messages_are_what_the_realtime_declaration_says(
    provider: str, side: str, name: str, message: dict[str, Any]
) -> None:
    from harness.core.protocols.websocket_speech import SocketGrammar

    grammar = next(c.grammar for c in providers()[provider].channels if c.key in ("realtime", "live", "voice-live"))
    assert isinstance(grammar, SocketGrammar)
    found = (
        grammar.client_message(message, 0 if name in ("setup", "session.update") else 1)
        if side == "client"
        else grammar.answer(message)
    )
    assert found is not None and found.name == name
    found.model.model_validate(message)


def test_the_providers_listing_names_each_realtime_model_with_its_dated_page() -> None:
    import typer
    from typer.testing import CliRunner

    from harness.cli.providers import providers_command

    app = typer.Typer()
    app.command("providers")(providers_command)
    app.command("unused")(lambda: None)
    done = CliRunner().invoke(app, ["providers", "openai", "gemini", "xai", "--json"])
    assert done.exit_code == 0, done.output
    models = {(p["name"], m["name"]): m["price"] for p in json.loads(done.output) for m in p["models"]}
    pages = {
        ("openai", "gpt-realtime-1.5"): "developers.openai.com/api/docs/models/gpt-realtime-1.5",
        ("openai", "gpt-realtime-2.1-mini"): "developers.openai.com/api/docs/models/gpt-realtime-2.1-mini",
        ("gemini", "gemini-3.8-live"): "gemini-3.8-live",
        ("xai", "grok-voice-think-fast-1.0"): "docs.x.ai/developers/models/speech-to-speech",
    }
    for offering, page in pages.items():
        price = models[offering]
        assert page in price["source"] and price["read"] == "2026-11-27" and price["quote"], (offering, price)
    documented = {p.name: set(p.docs) for p in providers().values()}
    for provider, key in (("openai", "realtime"), ("gemini", "live"), ("xai", "realtime"), ("azure", "voice-live")):
        channel = providers()[provider].channel(key)
        assert channel.doc in documented[provider]  # the socket's page is among the provider's documents
