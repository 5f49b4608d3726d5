"""The WebSocket speech family's `Contexts` and `Marks` parts, imitated by the sandbox from a declaration alone
(Cartesia's `/tts/websocket` is the built-in socket declaring both): contexts side by side on one socket, each answer
naming its own, a context ended by a text message without `continue`, `cancel` taken, input after a context's last
refused for that context; word marks only where asked, naming the words spoken. What the old hand-written Cartesia
imitation did, now the family's."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from typing import Any

from harness.core.protocols.marks import written_word
from harness.core.protocols.realtime_grammar import Direction, Event, Kind, Outgoing, Session
from harness.core.protocols.realtime_session import reader, run_session
from harness.providers.cartesia.sockets import VERSION, WEBSOCKET
from harness.sandbox import Sandbox
from tests.helpers.realtime import CARTESIA_MODEL, CARTESIA_VOICE
from tests.helpers.sandbox_http import provider

FIRST, SECOND = "The quick brown fox.", "Seven silver swans."


def _bare(text: str) -> list[str]:
    """The text's words as the socket's marks write them (`written_word`)."""
    marks = WEBSOCKET.marks
    assert marks is not None
    return [said for word in text.split() if (said := written_word(marks, word))]


def _request(context: str, transcript: str, **extra: Any) -> str:
    return json.dumps(
        {
            "context_id": context,
            "model_id": CARTESIA_MODEL,
            "voice": {"mode": "id", "id": CARTESIA_VOICE},
            "output_format": {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 24000},
            "language": "en",
            "transcript": transcript,
            **extra,
        }
    )


def _session(
    sandbox: Sandbox, messages: Sequence[str], enough: Callable[[Sequence[Event]], bool]
) -> tuple[Session, list[Event], list[dict[str, Any]]]:
    channel = provider("cartesia").channel(WEBSOCKET.key)
    url = channel.url(sandbox.base_url("cartesia", channel.host), {}, {"cartesia_version": VERSION})
    headers = {"Authorization": f"Bearer {sandbox.default_key('cartesia')}"}
    session = asyncio.run(
        run_session(
            url, headers, [Outgoing(m) for m in messages], complete=reader(channel.grammar, enough), idle_timeout_s=30
        )
    )
    received = [f for f in session.frames if f.direction is Direction.RECV]
    events = [e for f in received for e in channel.grammar.read(f).events]
    return session, events, [json.loads(f.text or "{}") for f in received]


def _done(*contexts: str) -> Callable[[Sequence[Event]], bool]:
    return lambda events: (
        {e.context for e in events if e.kind is Kind.FINAL} >= set(contexts)
        or any(e.kind is Kind.ERROR for e in events)
    )


def _words(events: Sequence[Event], context: str) -> list[str]:
    return [m.text for e in events if e.kind is Kind.MARKS and e.context == context for m in e.marks]


def test_two_contexts_speak_side_by_side_each_answer_naming_its_own(sandbox: Sandbox) -> None:
    messages = [
        _request("a", FIRST, add_timestamps=True, **{"continue": True}),
        _request("b", SECOND, add_timestamps=True, **{"continue": True}),
        _request("a", "", add_timestamps=True, **{"continue": False}),
        _request("b", "", add_timestamps=True, **{"continue": False}),
    ]
    session, events, answers = _session(sandbox, messages, _done("a", "b"))
    assert {a["context_id"] for a in answers} == {"a", "b"}
    assert [e.context for e in events if e.kind is Kind.FINAL].count("a") == 1
    assert [e.context for e in events if e.kind is Kind.FINAL].count("b") == 1
    # the words as the reference writes them: without their punctuation ("Hello, world!" marked ["Hello", "world"])
    assert (_words(events, "a"), _words(events, "b")) == (_bare(FIRST), _bare(SECOND))
    assert all(any(e.kind is Kind.AUDIO and e.context == c for e in events) for c in ("a", "b"))
    assert session.closing is not None and not session.closing.by_server  # the socket stays open for more contexts


def test_a_text_without_continue_is_its_contexts_last_and_marks_come_only_when_asked(sandbox: Sandbox) -> None:
    _, events, answers = _session(sandbox, [_request("only", FIRST)], _done("only"))
    assert [e.kind for e in events if e.kind in (Kind.FINAL, Kind.ERROR)] == [Kind.FINAL]
    assert _words(events, "only") == [] and not any(a["type"] == "timestamps" for a in answers)


def test_cancel_drops_a_context_and_the_socket_goes_on(sandbox: Sandbox) -> None:
    messages = [
        _request("a", FIRST, **{"continue": True}),
        json.dumps({"context_id": "a", "cancel": True}),
        _request("b", SECOND),
    ]
    _, events, _ = _session(sandbox, messages, _done("b"))
    assert [e.context for e in events if e.kind is Kind.FINAL] == ["b"]
    assert not any(e.kind is Kind.ERROR for e in events)


def test_input_after_a_contexts_last_is_an_error_naming_that_context(sandbox: Sandbox) -> None:
    messages = [_request("a", FIRST), _request("a", SECOND)]
    _, _events, answers = _session(sandbox, messages, lambda events: any(e.kind is Kind.ERROR for e in events))
    error = next(a for a in answers if a["type"] == "error")
    assert (error["context_id"], error["error_code"], error["status_code"]) == ("a", "invalid_request", 400)
    assert "last input" in error["message"]


def test_word_marks_are_where_the_voice_says_each_word(sandbox: Sandbox) -> None:
    """Issue 65: the marks come from the voice's phoneme durations, not an even share of the characters. "$42.50" is
    six characters of twenty but most of the speech; spread evenly it would get 30% of the marked span."""
    text = "I paid $42.50 today."
    _, events, _ = _session(sandbox, [_request("t", text, add_timestamps=True)], _done("t"))
    marks = [m for e in events if e.kind is Kind.MARKS for m in e.marks]
    assert [m.text for m in marks] == _bare(text)
    span = marks[-1].end_s - marks[0].start_s
    said = {m.text: m.end_s - m.start_s for m in marks}
    assert said["42.50"] > 0.5 * span and said["I"] < 0.15 * span
