"""The sockets answer what real clients ask (issue 82), each case a client written here as the clients in the field
write it, against the shared sandbox:

    ElevenLabs Text to Dialogue   `{"flush": true}` alone (and keep_alive) after the inputs, the turn ended on
                                  is_final_audio_for_turn, then close_socket; inputs carrying `flush`: spoken before
                                  the close
    Smallest's live socket        a client asking 8 kHz hears 8 kHz samples (the harness's rate-heard rule)
    Resemble's socket             a client numbering its requests from 1 gets its own numbers back

and, over the declarations: every socket that lets a client ask a rate (`SocketGrammar.other_rate`) answers at the
rate asked, heard by `harness.core.heard_rate` against the same text at its default rate, and every socket whose
answers carry back a request's id (`Grammar.echoes_ids`) names the id asked (42, never a constant).
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pytest
from websockets.asyncio.client import ClientConnection, connect

from harness.contracts.frame_checks import check_session
from harness.contracts.realtime_checks import RealtimeTarget, run_check
from harness.contracts.realtime_checks import SocketPlan as Plan
from harness.core.heard_rate import rate_by_length, sounding_s
from harness.core.protocols.realtime_grammar import Kind, Session
from harness.core.protocols.websocket_speech import SocketGrammar
from harness.core.registry import providers
from harness.runner.deliver.socket_speech import decoder, read_frames
from harness.sandbox import Sandbox

TEXT = "Seven silver swans swam across the lake."
ELEVEN_VOICE = "JBFqnCBsd6RMkjVDRZzb"
WAIT_S = 30.0  # an answer that never comes fails here, not at the sandbox's 20 s idle close
ASKED_ID = 42


def _ws(sandbox: Sandbox, provider: str, host: str = "api") -> str:
    return sandbox.base_url(provider, host).replace("http://", "ws://", 1)


async def _until(ws: ClientConnection, stop: str) -> list[dict[str, Any]]:
    """Every message up to and including the first that sets `stop` true."""
    answers: list[dict[str, Any]] = []
    while True:
        answers.append(json.loads(await asyncio.wait_for(ws.recv(), WAIT_S)))
        if answers[-1].get(stop) is True:
            return answers


def _audio(answers: Sequence[dict[str, Any]], at: str) -> bytes:
    return b"".join(base64.b64decode(a[at]) for a in answers if a.get(at))


def _dialogue(sandbox: Sandbox, turns: Sequence[Sequence[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """One dialogue connection: each turn's messages, then what came until its is_final_audio_for_turn; then
    close_socket and what came until is_final (the last list)."""

    async def session() -> list[list[dict[str, Any]]]:
        query = urlencode({"model_id": "eleven_v3", "output_format": "pcm_24000"})
        url = f"{_ws(sandbox, 'elevenlabs')}/v1/text-to-dialogue/stream-input?{query}"
        heard: list[list[dict[str, Any]]] = []
        async with connect(url) as ws:
            await ws.send(json.dumps({"voices": [ELEVEN_VOICE], "xi_api_key": sandbox.default_key("elevenlabs")}))
            for messages in turns:
                for message in messages:
                    await ws.send(json.dumps(message))
                heard.append(await _until(ws, "is_final_audio_for_turn"))
            await ws.send(json.dumps({"close_socket": True}))
            heard.append(await _until(ws, "is_final"))
        return heard

    return asyncio.run(session())


def test_a_standalone_flush_ends_the_dialogue_turn_before_the_close(sandbox: Sandbox) -> None:
    line = {"inputs": [{"text": TEXT, "voice_id": ELEVEN_VOICE}]}
    first, second, closing = _dialogue(
        sandbox,
        [
            [line, {"keep_alive": True}, {"flush": True}],
            [{"keep_alive": True}, line, {"flush": True}],
        ],
    )
    for turn in (first, second):
        assert turn[-1] == {"is_final_audio_for_turn": True}, turn[-1]
        assert len(_audio(turn, "audio")) / 2 / 24000 > 1.0  # the turn's speech came before its end
        assert not [a for a in turn if a.get("error")], turn
    assert closing == [{"is_final": True}], closing  # everything was spoken: close_socket adds only the final


def test_inputs_carrying_flush_are_spoken_before_close_socket(sandbox: Sandbox) -> None:
    (turn, closing) = _dialogue(sandbox, [[{"inputs": [{"text": TEXT, "voice_id": ELEVEN_VOICE}], "flush": True}]])
    assert len(_audio(turn, "audio")) / 2 / 24000 > 1.0
    assert closing[-1] == {"is_final": True}


def _smallest(sandbox: Sandbox, rate: int) -> tuple[bytes, list[dict[str, Any]]]:
    """The live socket as smallestai's and LiveKit's clients speak it: every request with its rate, then a flush."""

    async def session() -> tuple[bytes, list[dict[str, Any]]]:
        settings = {"voice_id": "emily", "model": "lightning_v3.1", "sample_rate": rate}
        headers = {"Authorization": f"Bearer {sandbox.default_key('smallest')}"}
        async with connect(f"{_ws(sandbox, 'smallest')}/waves/v1/tts/live", additional_headers=headers) as ws:
            await ws.send(json.dumps({**settings, "text": TEXT, "continue": True}))
            await ws.send(json.dumps({**settings, "text": "", "flush": True}))
            answers = await _until_status(ws, "complete")
        return _audio([a.get("data") or {} for a in answers], "audio"), answers

    return asyncio.run(session())


async def _until_status(ws: ClientConnection, status: str) -> list[dict[str, Any]]:
    answers: list[dict[str, Any]] = []
    while not answers or answers[-1].get("status") not in (status, "error"):
        answers.append(json.loads(await asyncio.wait_for(ws.recv(), WAIT_S)))
    return answers


def _sounding(pcm: bytes, rate: int) -> float:
    return sounding_s(np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2") / 32768.0, rate)


def test_a_smallest_client_asking_8_khz_hears_8_khz(sandbox: Sandbox) -> None:
    asked, answers = _smallest(sandbox, 8000)
    default, _ = _smallest(sandbox, 24000)
    assert answers[-1]["status"] == "complete", answers[-1]
    heard = rate_by_length(_sounding(asked, 8000), 8000, _sounding(default, 24000), "the same text at 24 kHz")
    assert heard is None, str(heard)  # 24 kHz samples sent for 8 kHz would last three times as long


def test_a_resemble_client_numbering_from_one_gets_its_numbers_back(sandbox: Sandbox) -> None:
    async def session() -> list[list[dict[str, Any]]]:
        headers = {"Authorization": f"Bearer {sandbox.default_key('resemble')}"}
        request = {
            "voice_uuid": "55592656",
            "binary_response": False,
            "output_format": "wav",
            "sample_rate": 22050,
            "precision": "PCM_16",
            "no_audio_header": True,
        }
        heard = []
        async with connect(f"{_ws(sandbox, 'resemble', 'websocket')}/stream", additional_headers=headers) as ws:
            for number in (1, 2):  # two requests on one connection, as the integrations send them
                await ws.send(json.dumps({**request, "data": TEXT, "request_id": number}))
                answers: list[dict[str, Any]] = []
                while not answers or answers[-1].get("type") not in ("audio_end", "error"):
                    answers.append(json.loads(await asyncio.wait_for(ws.recv(), WAIT_S)))
                heard.append(answers)
        return heard

    for number, answers in enumerate(asyncio.run(session()), start=1):
        assert answers[-1]["type"] == "audio_end", answers[-1]
        assert {a["request_id"] for a in answers} == {number}, [a.get("request_id") for a in answers]
        assert _audio(answers, "audio_content")


# --- over the declarations ----------------------------------------------------------------------------------------

SOCKETS = [
    (provider, channel.key)
    for provider in providers().values()
    for channel in provider.channels
    if isinstance(channel.grammar, SocketGrammar)
]
RATED = [
    pytest.param(provider, key, id=f"{provider.name}/{key}")
    for provider, key in SOCKETS
    if provider.channel(key).grammar.other_rate(str(provider.channel(key).grammar.declaration.formats[0])) is not None
]
ECHOED = [
    pytest.param(provider, key, id=f"{provider.name}/{key}")
    for provider, key in SOCKETS
    if provider.channel(key).grammar.echoes_ids
]


def _target(sandbox: Sandbox, provider: Any, key: str) -> RealtimeTarget:
    channel = provider.channel(key)
    return RealtimeTarget(
        provider, sandbox.base_url(provider.name, channel.host), sandbox.default_key(provider.name), channel_key=key
    )


def _said(target: RealtimeTarget, *, rate: int | None = None, request_id: int = 1) -> tuple[Session, Plan]:
    utterance = replace(target.utterance([TEXT], rate=rate), request_id=request_id)
    plan = Plan(
        name="synthesis",
        opening=target.grammar.opening(utterance),
        transcripts={"utterance-1" if target.grammar.contexts else "": TEXT},
    )
    return asyncio.run(run_check(target, plan)), plan


def _heard(target: RealtimeTarget, session: Session) -> tuple[float, int]:
    """The session's speech decoded as it asked (the one decoder): how long it sounds, and the rate it is at."""
    decode = decoder(target.channel, session)
    pieces = [decode(e.audio) for e in read_frames(target.channel, session).events if e.kind is Kind.AUDIO and e.audio]
    assert pieces and all(p is not None for p in pieces), f"{target.channel.key}: undecodable audio"
    rate = pieces[0][1]
    return sounding_s(np.concatenate([np.asarray(p[0], dtype=np.float32) for p in pieces]), rate), rate


def test_sockets_declare_rates_and_ids_a_client_asks() -> None:
    named = {
        f"{provider.name}/{key}"
        for provider, key in SOCKETS
        if provider.channel(key).grammar.other_rate(str(provider.channel(key).grammar.declaration.formats[0]))
    }
    assert {"smallest/tts.live", "resemble/stream.ws"} <= named, named
    assert {"resemble/stream.ws", "lmnt/speech.session"} <= {p.id for p in ECHOED}


@pytest.mark.parametrize(("provider", "key"), RATED)
def test_every_socket_answers_at_the_rate_asked(sandbox: Sandbox, provider: Any, key: str) -> None:
    target = _target(sandbox, provider, key)
    fmt = str(target.declaration.formats[0])  # type: ignore[attr-defined]
    asked = target.grammar.other_rate(fmt)  # type: ignore[attr-defined]
    session, _ = _said(target, rate=asked)
    assert target.grammar.audio_spec(session).sample_rate == asked
    seconds, rate = _heard(target, session)
    reference, _ = _heard(target, _said(target)[0])
    assert rate == asked, f"{key}: decoded at {rate} Hz, asked {asked} Hz"
    heard = rate_by_length(seconds, asked, reference, f"the same text at the default rate of {fmt}")
    assert heard is None, f"{provider.name} {key}: {heard}"


@pytest.mark.parametrize(("provider", "key"), ECHOED)
def test_every_socket_echoes_the_id_asked(sandbox: Sandbox, provider: Any, key: str) -> None:
    target = _target(sandbox, provider, key)
    session, plan = _said(target, request_id=ASKED_ID)
    found = check_session(session, target.grammar, plan.transcripts)
    assert not found.violations, found.text()
    echoed = [target.grammar.answered_id(f.json()) for f in session.received() if f.text is not None]
    assert [said for carries, said in echoed if carries] and all(
        said == ASKED_ID for carries, said in echoed if carries
    ), echoed
