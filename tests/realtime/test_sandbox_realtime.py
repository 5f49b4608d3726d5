"""The sandbox's realtime imitations as a client meets them: the documented refusals and close codes,
the stream faults, and each stream's true timeline under /_sandbox (what the measurements compare with).
Driven by the harness's own client (`websockets`), recording every frame."""

from __future__ import annotations

import asyncio
import json
import ssl
import threading
from typing import Any

import httpx

from harness.contracts.frame_checks import check_session
from harness.core.protocols.realtime_grammar import Kind, Outgoing, Session, Utterance
from harness.core.protocols.realtime_session import run_session, speak
from harness.core.target import TAG_HEADER
from harness.sandbox import FAULT_HEADER
from tests.helpers.realtime import CARTESIA_MODEL, CARTESIA_VOICE, DEEPGRAM_MODEL, ELEVEN_MODEL, ELEVEN_VOICE

SHORT = "Short and sweet."


def _eleven(
    sandbox: Any,
    tls: ssl.SSLContext,
    headers: dict[str, str] | None = None,
    voice: str = ELEVEN_VOICE,
    idle_s: float = 20.0,
) -> Session:
    provider = _provider(sandbox, "eleven")
    utterance = Utterance(chunks=(SHORT,), voice=voice, model=ELEVEN_MODEL, audio_format="pcm_24000")
    auth = {"xi-api-key": sandbox.default_key("eleven"), **(headers or {})}
    return asyncio.run(
        speak(provider.channels[0], sandbox.base_url("eleven", "api"), auth, utterance, ssl=tls, idle_timeout_s=idle_s)
    )


def _provider(sandbox: Any, name: str) -> Any:
    return sandbox.state.served[name].provider


def _texts(session: Session) -> list[dict[str, Any]]:
    return [json.loads(f.text) for f in session.received() if f.text]


def test_elevenlabs_refusals_are_an_error_message_then_close_1008(
    realtime_sandbox: Any, trust_sandbox_ca: ssl.SSLContext
) -> None:
    bad_key = _eleven(realtime_sandbox, trust_sandbox_ca, {"xi-api-key": "not-a-key"})
    unknown_voice = _eleven(realtime_sandbox, trust_sandbox_ca, voice="no-such-voice")
    for session, word in ((bad_key, "invalid_api_key"), (unknown_voice, "voice_not_found")):
        assert session.closing is not None and session.closing.code == 1008
        assert [m["error"] for m in _texts(session)] == [word]
        assert not any(f.is_binary for f in session.frames)


def test_cartesia_and_deepgram_refuse_a_bad_key_at_the_handshake(
    realtime_sandbox: Any, trust_sandbox_ca: ssl.SSLContext
) -> None:
    for name, header in (("carte", "Authorization"), ("dgram", "Authorization")):
        channel = _provider(realtime_sandbox, name).channels[0]
        url = channel.url(realtime_sandbox.base_url(name, "api"), {}, {})
        session = asyncio.run(
            run_session(
                url,
                {header: "Token nope" if name == "dgram" else "Bearer nope"},
                (),
                ssl=trust_sandbox_ca,
                idle_timeout_s=5,
            )
        )
        assert session.handshake_status == 401 and session.frames == []
        body = json.loads(session.handshake_body)
        assert ("err_code" if name == "dgram" else "error_code") in body


def test_deepgram_closes_on_a_malformed_or_binary_message_with_the_documented_codes(
    realtime_sandbox: Any, trust_sandbox_ca: ssl.SSLContext
) -> None:
    channel = _provider(realtime_sandbox, "dgram").channels[0]
    url = channel.url(realtime_sandbox.base_url("dgram", "api"), {}, {"model": DEEPGRAM_MODEL})
    auth = {"Authorization": f"Token {realtime_sandbox.default_key('dgram')}"}
    closes = {}
    for label, message in (("not json", "{nope"), ("unknown type", '{"type": "Shout"}'), ("binary", b"\x00\x01")):
        session = asyncio.run(run_session(url, auth, (Outgoing(message),), ssl=trust_sandbox_ca, idle_timeout_s=5))
        assert session.closing is not None
        closes[label] = (session.closing.code, session.closing.reason.split(":")[0])
    assert closes == {
        "not json": (1008, "DATA-0000"),
        "unknown type": (1008, "DATA-0001"),
        "binary": (1003, "MESSAGE-0000"),
    }


def test_cartesia_rate_limit_fault_is_a_429_in_the_documented_error_shape(
    realtime_sandbox: Any, trust_sandbox_ca: ssl.SSLContext
) -> None:
    channel = _provider(realtime_sandbox, "carte").channels[0]
    url = channel.url(realtime_sandbox.base_url("carte", "api"), {}, {})
    headers = {"Authorization": f"Bearer {realtime_sandbox.default_key('carte')}", FAULT_HEADER: "http-429"}
    session = asyncio.run(run_session(url, headers, (), ssl=trust_sandbox_ca, idle_timeout_s=5))
    assert session.handshake_status == 429
    assert set(json.loads(session.handshake_body)) >= {"error_code", "title", "message", "request_id"}


def test_a_dropped_socket_ends_without_a_close_frame_and_the_checks_say_so(
    realtime_sandbox: Any, trust_sandbox_ca: ssl.SSLContext
) -> None:
    session = _eleven(realtime_sandbox, trust_sandbox_ca, {FAULT_HEADER: "drop-socket"})
    assert session.closing is not None and session.closing.code is None
    assert sum(1 for m in _texts(session) if m.get("audio")) == 1  # the first audio, then nothing
    findings = check_session(session, _provider(realtime_sandbox, "eleven").channels[0].grammar, {"": SHORT})
    assert any(v.rule == "close" for v in findings.violations)


def test_a_stalled_stream_resumes_when_released(realtime_sandbox: Any, trust_sandbox_ca: ssl.SSLContext) -> None:
    result: list[Session] = []
    worker = threading.Thread(
        target=lambda: result.append(_eleven(realtime_sandbox, trust_sandbox_ca, {FAULT_HEADER: "stall-stream"}))
    )
    worker.start()
    realtime_sandbox.wait_hanging(1, timeout=30)  # held after its first audio
    realtime_sandbox.release_hangs()
    worker.join(60)
    session = result[0]
    assert session.closing is not None and session.closing.code == 1000
    assert _texts(session)[-1] == {"isFinal": True}


def test_each_stream_keeps_its_true_timeline_under_sandbox_streams(
    realtime_sandbox: Any, trust_sandbox_ca: ssl.SSLContext
) -> None:
    channel = _provider(realtime_sandbox, "carte").channels[0]
    text = "Timelines are kept for every stream."
    utterance = Utterance(
        chunks=(text,), voice=CARTESIA_VOICE, model=CARTESIA_MODEL, audio_format="pcm_s16le", context="timeline"
    )
    auth = {"Authorization": f"Bearer {realtime_sandbox.default_key('carte')}", TAG_HEADER: "carte timeline 1"}
    session = asyncio.run(
        speak(channel, realtime_sandbox.base_url("carte", "api"), auth, utterance, ssl=trust_sandbox_ca)
    )
    truths = httpx.get(realtime_sandbox.url + "/_sandbox/streams", verify=trust_sandbox_ca).json()
    # The stream the client caused, found by the tag it sent (another stream of the same text would share its text).
    [truth] = [t for t in truths if t["tag"] == "carte timeline 1"]
    assert truth["text"] == text
    chunks = [f for f in session.received() if f.text and '"chunk"' in f.text]
    assert len(truth["chunk_at"]) == len(chunks) and truth["onset_s"] is not None
    assert truth["chunk_at"] == sorted(truth["chunk_at"]) and truth["received_at"] <= truth["chunk_at"][0]
    # One clock (time.monotonic) on both sides: the truth sits between what the client saw happen.
    assert session.started_at is not None
    sent, first_chunk = session.sent()[0], chunks[0]
    assert session.started_at + sent.t_s <= truth["received_at"] <= truth["chunk_at"][0]
    assert truth["chunk_at"][0] <= session.started_at + first_chunk.t_s
    grammar = channel.grammar
    events = [e for f in session.received() for e in grammar.events(f, grammar.validate(f, 0)[0])]
    assert [e.kind for e in events][-1] is Kind.FINAL
