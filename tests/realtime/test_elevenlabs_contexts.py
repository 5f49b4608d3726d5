"""ElevenLabs' multi-context socket serves several contexts on one connection (harness/providers/elevenlabs/sockets.py,
MULTI_STREAM_INPUT): each context opens with its own initialisation (`Contexts.opens_each`), speaks its own audio and
character alignment and ends with its own isFinal; close_socket, naming none, ends the socket; a sixth context open at
once is refused as the server refuses it. Every realtime check passes on the channel against the sandbox."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest

from harness.contracts.frame_checks import check_session
from harness.contracts.realtime_checks import RealtimeTarget, judge, plans, run_check
from harness.core.protocols.realtime_grammar import Channel, Kind, Outgoing, Session
from harness.core.protocols.realtime_session import run_session
from harness.core.registry import providers
from harness.core.spec import Provider

VOICE, MODEL = "JBFqnCBsd6RMkjVDRZzb", "eleven_flash_v2_5"
TEXTS = {
    "turn-a": "The quick brown fox jumps over the lazy dog.",
    "turn-b": "Seven silver swans swam across the quiet lake.",
}


def _channel() -> Channel:
    return next(c for c in providers()["elevenlabs"].channels if c.key == "tts.multi-stream-input")


def _provider() -> Provider:
    return dataclasses.replace(providers()["elevenlabs"], channels=(_channel(),))  # the checks speak to the first


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("elevenlabs",)) as served:
        yield served


@pytest.mark.parametrize("check", sorted(plans(RealtimeTarget(_provider(), "", ""))))
def test_every_realtime_check_passes_on_the_sandboxs_multi_context_socket(check: str, sandbox: Any) -> None:
    target = RealtimeTarget(_provider(), sandbox.base_url("elevenlabs", "api"), sandbox.default_key("elevenlabs"))
    plan = plans(target)[check]()
    session = asyncio.run(run_check(target, plan))
    findings = judge(target, plan, session)
    assert not findings.violations, findings.text()
    if not check.startswith("error-"):
        assert any(e.kind is Kind.AUDIO for e in findings.events)


def test_the_channel_runs_the_two_contexts_check() -> None:
    assert {"two-contexts", "timing-marks"} <= set(plans(RealtimeTarget(_provider(), "", "")))


def _talk(sandbox: Any, messages: list[dict[str, Any]], contexts: set[str]) -> Session:
    """Say `messages` on one connection; done once every one of `contexts` had its isFinal (or an error came), then
    close_socket."""
    base = sandbox.base_url("elevenlabs", "api").replace("http://", "ws://", 1)
    url = f"{base}/v1/text-to-speech/{VOICE}/multi-stream-input?model_id={MODEL}&output_format=pcm_24000"
    grammar = _channel().grammar

    def complete(session: Session) -> bool:
        events = [e for f in session.received() for e in grammar.read(f).events]
        return (
            any(e.kind is Kind.ERROR for e in events) or {e.context for e in events if e.kind is Kind.FINAL} >= contexts
        )

    return asyncio.run(
        run_session(
            url,
            {"xi-api-key": sandbox.default_key("elevenlabs")},
            [Outgoing(json.dumps(m)) for m in messages],
            complete=complete,
            closing=(json.dumps({"close_socket": True}),),
            client_closes=False,
            idle_timeout_s=20,
        )
    )


def _opening(context: str) -> dict[str, Any]:
    return {
        "text": " ",
        "context_id": context,
        "voice_settings": {"speed": 1.0},
        "generation_config": {"chunk_length_schedule": [50]},
    }


def test_two_contexts_interleave_on_one_connection_each_with_its_own_audio_and_final(sandbox: Any) -> None:
    a, b = TEXTS
    halves = {c: (t[: len(t) // 2], t[len(t) // 2 :] + " ") for c, t in TEXTS.items()}
    session = _talk(
        sandbox,
        [
            _opening(a),
            {"text": halves[a][0], "context_id": a},
            _opening(b),
            {"text": halves[b][0], "context_id": b},  # the second context opens with its own settings
            {"text": halves[a][1], "context_id": a},
            {"text": halves[b][1], "context_id": b},
            {"context_id": a, "close_context": True},
            {"context_id": b, "close_context": True},
        ],
        set(TEXTS),
    )
    answers = [json.loads(f.text) for f in session.received() if f.text]
    assert not [m for m in answers if "error" in m]
    assert {m["contextId"] for m in answers if m.get("audio")} == set(TEXTS)
    for context, text in TEXTS.items():
        finals = [m for m in answers if m.get("isFinal") and m.get("contextId") == context]
        assert finals == [{"isFinal": True, "contextId": context}]
        mine = [m for m in answers if m.get("contextId") == context]
        assert answers.index(finals[0]) > max(answers.index(m) for m in mine if m.get("audio"))
        spoken = "".join(c for m in mine if m.get("alignment") for c in m["alignment"]["chars"])
        assert spoken.split() == text.split()  # each context's characters are its own text, never the other's
    assert json.loads(session.sent()[-1].text or "{}") == {"close_socket": True}
    assert session.closing is not None and session.closing.code == 1000 and session.closing.by_server
    assert check_session(session, _channel().grammar, TEXTS).violations == []


def test_a_turn_after_a_closed_context_opens_a_new_context_on_the_same_connection(sandbox: Any) -> None:
    a, b = TEXTS
    session = _talk(
        sandbox,
        [
            _opening(a),
            {"text": TEXTS[a] + " ", "context_id": a, "flush": True},
            {"context_id": a, "close_context": True},
            _opening(b),
            {"text": TEXTS[b] + " ", "context_id": b},
            {"context_id": b, "close_context": True},
        ],
        set(TEXTS),
    )
    assert check_session(session, _channel().grammar, TEXTS).violations == []
    finals = [m.get("contextId") for f in session.received() if f.text and (m := json.loads(f.text)).get("isFinal")]
    assert sorted(finals) == sorted(TEXTS)


def test_a_sixth_context_open_at_once_is_refused_as_the_server_refuses_it(sandbox: Any) -> None:
    contexts = [f"ctx-{n}" for n in range(6)]
    session = _talk(sandbox, [_opening(c) for c in contexts], set(contexts))
    answers = [json.loads(f.text) for f in session.received() if f.text]
    assert answers[-1]["error"] == "max_active_conversations"
    assert answers[-1]["message"].startswith("Maximum simultaneous contexts per WebSocket connection exceeded (5)")
    assert session.closing is not None and session.closing.code == 1008
