"""Deepgram's built-in `/v1/speak` socket, declared in the WebSocket speech family, as a client meets it in the
sandbox: the key in the header or as the subprotocols ["token", KEY], every Flush answered by Flushed in sequence
and the text going on, Clear answered by Cleared, errors as close frames naming them, a bad setting refused at the
upgrade with `dg-error`, the flush limit's Warning."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Subprotocol

from harness.core.protocols.realtime_grammar import Outgoing
from harness.core.protocols.realtime_session import run_session

MODEL = "aura-2-thalia-en"
QUERY = f"?model={MODEL}&encoding=linear16&sample_rate=24000"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("deepgram",)) as served:
        yield served


def _url(sandbox: Any, query: str = QUERY) -> str:
    return sandbox.base_url("deepgram", "api").replace("http://", "ws://") + "/v1/speak" + query


async def _converse(url: str, sends: Sequence[str], until: int, **options: Any) -> tuple[list[Any], Any]:
    """Send `sends`, then read until `until` JSON answers came (binary frames kept as their sizes); the close."""
    answers: list[Any] = []
    async with connect(url, **options) as socket:
        for message in sends:
            await socket.send(message)
        try:
            while sum(1 for a in answers if isinstance(a, dict)) < until:
                frame = await asyncio.wait_for(socket.recv(), 20)
                answers.append(json.loads(frame) if isinstance(frame, str) else len(frame))
            await socket.send(json.dumps({"type": "Close"}))
            while True:
                await asyncio.wait_for(socket.recv(), 20)
        except ConnectionClosed as closed:
            return answers, closed.rcvd
    return answers, None  # pragma: no cover - the server closes


def _speak(text: str) -> str:
    return json.dumps({"type": "Speak", "text": text})


FLUSH, CLEAR = json.dumps({"type": "Flush"}), json.dumps({"type": "Clear"})


def test_the_key_as_the_subprotocols_token_and_key_is_taken(sandbox: Any) -> None:
    key = sandbox.default_key("deepgram")
    answers, closed = asyncio.run(
        _converse(
            _url(sandbox), [_speak("Hello there."), FLUSH], 2, subprotocols=[Subprotocol("token"), Subprotocol(key)]
        )
    )
    assert [a["type"] for a in answers if isinstance(a, dict)] == ["Metadata", "Flushed"]
    assert answers[0]["model_name"] == MODEL  # the URL's settings, read at the upgrade
    assert sum(a for a in answers if isinstance(a, int)) > 0 and closed is not None and closed.code == 1000
    with pytest.raises(InvalidStatus) as refused:
        asyncio.run(_converse(_url(sandbox), [], 1, subprotocols=[Subprotocol("token"), Subprotocol("nope")]))
    assert refused.value.response.status_code == 401


async def _steps(url: str, header: dict[str, str], steps: Sequence[tuple[Sequence[str], str]]) -> list[Any]:
    """Each step's messages, then read until its answer type comes; every JSON answer and audio frame size."""
    seen: list[Any] = []
    async with connect(url, additional_headers=header) as socket:
        for sends, until in steps:
            for message in sends:
                await socket.send(message)
            while True:
                frame = await asyncio.wait_for(socket.recv(), 20)
                seen.append(json.loads(frame) if isinstance(frame, str) else len(frame))
                if isinstance(seen[-1], dict) and seen[-1]["type"] == until:
                    break
        await socket.send(json.dumps({"type": "Close"}))
    return seen


def test_every_flush_is_answered_in_sequence_and_clear_drops_the_speech_not_yet_sent(sandbox: Any) -> None:
    header = {"Authorization": f"Token {sandbox.default_key('deepgram')}"}
    long = " ".join(["Seven silver swans swam across the quiet lake."] * 6)
    seen = asyncio.run(
        _steps(
            _url(sandbox),
            header,
            [
                ([_speak("One.")], "Metadata"),
                ([FLUSH], "Flushed"),
                ([_speak("Two."), FLUSH], "Flushed"),
                ([_speak(long), FLUSH, CLEAR], "Cleared"),
                ([_speak("After."), FLUSH], "Flushed"),
            ],
        )
    )
    said = [(a["type"], a.get("sequence_id")) for a in seen if isinstance(a, dict)]
    # The text goes on after each Flush; the flush the Clear caught is never answered, its speech dropped.
    assert said == [("Metadata", None), ("Flushed", 0), ("Flushed", 1), ("Cleared", 2), ("Flushed", 2)]
    cleared = next(i for i, a in enumerate(seen) if isinstance(a, dict) and a["type"] == "Cleared")
    after = sum(a for a in seen[cleared:] if isinstance(a, int))
    assert 0 < after < sum(a for a in seen[:cleared] if isinstance(a, int))  # "After." alone, not the long text


def test_errors_are_close_frames_naming_them_and_a_bad_setting_is_refused_at_the_upgrade(sandbox: Any) -> None:
    auth = {"Authorization": f"Token {sandbox.default_key('deepgram')}"}
    closes = {}
    for label, message in (("not json", "{nope"), ("unknown type", '{"type": "Shout"}'), ("binary", b"\x00\x01")):
        session = asyncio.run(run_session(_url(sandbox), auth, (Outgoing(message),), idle_timeout_s=5))
        assert session.closing is not None
        closes[label] = (session.closing.code, session.closing.reason.split(":")[0])
    assert closes == {
        "not json": (1008, "DATA-0000"),
        "unknown type": (1008, "DATA-0001"),
        "binary": (1003, "MESSAGE-0000"),
    }
    with pytest.raises(InvalidStatus) as refused:
        asyncio.run(_converse(_url(sandbox, "?model=aura-no-such&encoding=linear16"), [], 1, additional_headers=auth))
    response = refused.value.response
    assert response.status_code == 400 and "aura-no-such" in response.headers["dg-error"]
    assert json.loads(response.body)["err_code"] == "INVALID_QUERY_PARAMETER"


def test_the_flush_past_twenty_a_minute_is_answered_by_a_warning(sandbox: Any) -> None:
    header = {"Authorization": f"Token {sandbox.default_key('deepgram')}"}
    answers, _ = asyncio.run(_converse(_url(sandbox), [_speak("Hi."), *[FLUSH] * 21], 22, additional_headers=header))
    kinds = [a["type"] for a in answers if isinstance(a, dict)]
    assert kinds.count("Flushed") == 20 and kinds.count("Warning") == 1


def test_a_request_that_names_no_model_or_format_gets_the_documented_defaults(sandbox: Any) -> None:
    import httpx

    key = sandbox.default_key("deepgram")
    answer = httpx.post(
        sandbox.base_url("deepgram", "api") + "/v1/speak",
        json={"text": "Hello there."},
        headers={"Authorization": f"Token {key}"},
    )
    assert answer.status_code == 200 and answer.headers["content-type"] == "audio/mpeg"  # "Default: mp3"
    assert answer.headers["dg-request-id"]
    answers, _ = asyncio.run(
        _converse(_url(sandbox, ""), [_speak("Hi."), FLUSH], 2, additional_headers={"Authorization": f"Token {key}"})
    )
    # "If you do not specify a model, the default voice model aura-asteria-en will be used."
    assert answers[0]["model_name"] == "aura-asteria-en" and answers[-1]["type"] == "Flushed"
