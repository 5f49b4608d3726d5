"""ElevenLabs' stream-input socket as the WebSocket speech family declares it (harness/providers/elevenlabs/sockets.py):
the reference's messages are the declaration's, its character alignment is read as timing marks (Marks: milliseconds,
durations, counted from each chunk), and the sandbox takes the key from the header or from the first message
(`SocketAuth.fields`), speaks a flush that carries text, and writes alignment that the frame checks accept."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from harness.contracts.frame_checks import check_session
from harness.core.protocols.realtime_grammar import Direction, Frame, Kind, Outgoing, Session, SpokenSpan
from harness.core.protocols.realtime_session import run_session
from harness.core.protocols.websocket_speech import SocketGrammar
from harness.core.registry import providers

VOICE, MODEL = "JBFqnCBsd6RMkjVDRZzb", "eleven_flash_v2_5"


def _grammar() -> SocketGrammar:
    grammar = providers()["elevenlabs"].channels[0].grammar
    assert isinstance(grammar, SocketGrammar)
    return grammar


@pytest.mark.parametrize(
    ("side", "position", "name", "message"),
    (
        # The AsyncAPI's InitializeConnection, SendText (with flush) and CloseConnection; AudioOutput and FinalOutput.
        (
            "client",
            0,
            "InitializeConnection",
            {
                "text": " ",
                "voice_settings": {"stability": 0.5, "similarity_boost": 0.8},
                "generation_config": {"chunk_length_schedule": [120, 160, 250, 290]},
                "xi_api_key": "KEY",
            },
        ),
        ("client", 1, "SendText", {"text": "Hello World ", "try_trigger_generation": True}),
        ("client", 1, "SendText (flush)", {"text": "and more. ", "flush": True}),
        ("client", 2, "CloseConnection", {"text": ""}),
        (
            "server",
            0,
            "AudioOutput",
            {
                "audio": "Y3VyaW91cw==",
                "isFinal": None,
                "normalizedAlignment": None,
                "alignment": {"charStartTimesMs": [0, 3], "charDurationsMs": [3, 5], "chars": ["H", "i"]},
            },
        ),
        ("server", 0, "FinalOutput", {"isFinal": True}),
        ("server", 0, "error", {"message": "Invalid API key.", "error": "invalid_api_key", "code": 1008}),
    ),
)
def test_the_references_messages_are_what_the_declaration_says(
    side: str, position: int, name: str, message: dict[str, Any]
) -> None:
    grammar = _grammar()
    found = grammar.client_message(message, position) if side == "client" else grammar.answer(message)
    assert found is not None and found.name == name
    found.model.model_validate(message)


def test_alignment_is_read_as_character_marks_in_seconds_from_the_chunk() -> None:
    frame = Frame(
        3,
        Direction.RECV,
        0.5,
        json.dumps(
            {
                "audio": "AAAA",
                "alignment": {"charStartTimesMs": [0, 250], "charDurationsMs": [250, 500], "chars": ["H", "i"]},
            }
        ),
    )
    events = _grammar().events(frame, None)
    assert [e.kind for e in events] == [Kind.AUDIO, Kind.MARKS]
    marks = events[1]
    assert marks.marks == (SpokenSpan("H", 0.0, 0.25), SpokenSpan("i", 0.25, 0.75))
    assert marks.chunk_relative and marks.pointer == "/alignment"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("elevenlabs",)) as served:
        yield served


def _session(sandbox: Any, messages: list[dict[str, Any]], headers: dict[str, str] | None = None) -> Session:
    base = sandbox.base_url("elevenlabs", "api").replace("http://", "ws://", 1)
    url = f"{base}/v1/text-to-speech/{VOICE}/stream-input?model_id={MODEL}&output_format=pcm_24000"
    grammar = _grammar()

    def complete(session: Session) -> bool:
        return any(e.kind in (Kind.FINAL, Kind.ERROR) for f in session.received() for e in grammar.read(f).events)

    return asyncio.run(
        run_session(
            url,
            headers or {},
            [Outgoing(json.dumps(m)) for m in messages],
            complete=complete,
            client_closes=False,
            idle_timeout_s=20,
        )
    )


def _received(session: Session) -> list[dict[str, Any]]:
    return [json.loads(f.text) for f in session.received() if f.text]


def test_the_key_in_the_first_message_opens_the_socket_and_the_alignment_passes_the_frame_checks(sandbox: Any) -> None:
    text = "Hello there, from the sandbox."
    session = _session(
        sandbox,
        [
            {"text": " ", "xi_api_key": sandbox.default_key("elevenlabs")},
            {"text": text + " ", "flush": True},
            {"text": ""},
        ],
    )
    answers = _received(session)
    assert answers[-1] == {"isFinal": True} and session.closing is not None and session.closing.code == 1000
    spoken = "".join(char for a in answers if a.get("alignment") for char in a["alignment"]["chars"])
    assert spoken.strip() == text  # the flush's own text was spoken, every character aligned
    assert any(e.kind is Kind.MARKS for f in session.received() for e in _grammar().read(f).events)
    assert check_session(session, _grammar(), {"": text}).violations == []  # the alignment rule judged them


def test_a_wrong_key_in_the_first_message_is_an_error_message_and_a_1008_close(sandbox: Any) -> None:
    session = _session(sandbox, [{"text": " ", "xi_api_key": "not-a-key"}, {"text": "Hi. "}, {"text": ""}])
    assert [a.get("error") for a in _received(session)] == ["invalid_api_key"]
    assert session.closing is not None and session.closing.code == 1008


def test_no_key_at_all_is_refused_when_the_first_message_comes_without_one(sandbox: Any) -> None:
    session = _session(sandbox, [{"text": " "}, {"text": "Hi. "}, {"text": ""}])
    assert [a.get("error") for a in _received(session)] == ["invalid_api_key"]
    assert session.closing is not None and session.closing.code == 1008


def test_the_chunk_length_schedule_starts_a_generation_before_any_flush_or_end(sandbox: Any) -> None:
    """No flush and no closing text: the buffer reaching the opening's schedule (50 characters) is spoken."""
    base = sandbox.base_url("elevenlabs", "api").replace("http://", "ws://", 1)
    url = f"{base}/v1/text-to-speech/{VOICE}/stream-input?model_id={MODEL}&output_format=pcm_24000"
    grammar = _grammar()
    messages = [
        {"text": " ", "generation_config": {"chunk_length_schedule": [50]}},
        {"text": "The quick brown fox jumps over the lazy dog, twice over. "},
    ]

    def heard(session: Session) -> bool:
        return any(e.kind in (Kind.AUDIO, Kind.ERROR) for f in session.received() for e in grammar.read(f).events)

    session = asyncio.run(
        run_session(
            url,
            {"xi-api-key": sandbox.default_key("elevenlabs")},
            [Outgoing(json.dumps(m)) for m in messages],
            complete=heard,
            idle_timeout_s=20,
        )
    )
    events = [e for f in session.received() for e in grammar.read(f).events]
    assert any(e.kind is Kind.AUDIO for e in events) and not any(e.kind is Kind.ERROR for e in events)
    assert len(session.sent()) == 2  # the audio came with neither a flush nor the closing {"text": ""}


def _multi() -> Any:
    return next(c for c in providers()["elevenlabs"].channels if c.key == "tts.multi-stream-input")


@pytest.mark.parametrize(
    ("side", "position", "name", "message"),
    (
        # What Pipecat 1.14's ElevenLabsTTSService sends and reads (source: sdk).
        ("client", 0, "initializeConnectionMulti", {"text": " ", "context_id": "c1", "voice_settings": {"speed": 1.0}}),
        ("client", 1, "sendTextMulti", {"text": "Hello there. ", "context_id": "c1"}),
        ("client", 1, "sendTextMulti", {"text": "", "context_id": "c1"}),  # its keepalive
        ("client", 1, "flushContext", {"context_id": "c1", "flush": True}),
        ("client", 1, "closeContext", {"context_id": "c1", "close_context": True}),
        ("client", 1, "closeSocket", {"close_socket": True}),
        ("server", 0, "audioOutputMulti", {"audio": "AAAA", "contextId": "c1", "alignment": None}),
        ("server", 0, "finalOutputMulti", {"isFinal": True, "contextId": "c1"}),
    ),
)
def test_pipecats_multi_context_messages_are_what_the_declaration_says(
    side: str, position: int, name: str, message: dict[str, Any]
) -> None:
    grammar = _multi().grammar
    found = grammar.client_message(message, position) if side == "client" else grammar.answer(message)
    assert found is not None and found.name == name
    found.model.model_validate(message)


def test_a_context_on_the_multi_stream_socket_is_spoken_named_and_closed(sandbox: Any) -> None:
    from harness.core.protocols.realtime_grammar import Utterance
    from harness.core.protocols.realtime_session import speak

    channel = _multi()
    text = "Seven silver swans swam across the quiet lake."
    utterance = Utterance(
        chunks=("Seven silver swans ", "swam across the quiet lake."),
        voice=VOICE,
        model=MODEL,
        audio_format="pcm_24000",
        context="turn-7",
    )
    session = asyncio.run(
        speak(
            channel,
            sandbox.base_url("elevenlabs", "api"),
            {"xi-api-key": sandbox.default_key("elevenlabs")},
            utterance,
            idle_timeout_s=20,
        )
    )
    answers = _received(session)
    assert answers[-1] == {"isFinal": True, "contextId": "turn-7"}
    assert all(a.get("contextId") == "turn-7" for a in answers) and any(a.get("audio") for a in answers)
    assert json.loads(session.sent()[-1].text or "{}") == {"close_socket": True}  # then the server closed
    assert session.closing is not None and session.closing.code == 1000
    assert check_session(session, channel.grammar, {"turn-7": text}).violations == []  # the context's own
