"""The realtime contract checks a socket's family parts bring (`harness.contracts.realtime_checks`): every socket
declaring `Marks` gets `timing-marks`, every socket declaring `Contexts` gets `two-contexts`. Each is run against a
loopback server written here, declared as Cartesia's built-in socket: marks naming other words fail, the
well-behaved answer passes."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable, Iterator, Sequence

import numpy as np
import pytest

from harness.contracts.frame_checks import FrameFindings
from harness.contracts.realtime_checks import SAMPLE_TEXT, RealtimeTarget, SocketPlan, judge, plans, run_check
from harness.core.registry import providers
from harness.core.timing_marks import FINDINGS, RULE, MarksKind
from harness.speech import encode_raw
from tests.helpers.realtime import Script, ScriptedServer

KEY = "loopback-key"


@pytest.fixture
def serve() -> Iterator[Callable[[Script], ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def start(script: Script) -> ScriptedServer:
        servers.append(ScriptedServer(script))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _answer(context: str, kind: str, **extra: object) -> str:
    return json.dumps({"type": kind, "done": kind == "done", "status_code": 206, "context_id": context, **extra})


def _chunk(context: str, seconds: float) -> str:
    t = np.arange(round(seconds * 24000)) / 24000
    audio = encode_raw(0.3 * np.sin(2 * np.pi * 220 * t), "pcm_s16le")
    return _answer(context, "chunk", data=base64.b64encode(audio).decode(), step_time=1.0)


def _after_last_input(answer: Sequence[str]) -> Script:
    return lambda received: answer if json.loads(received[-1]).get("continue") is False else ()


def _judge(server: ScriptedServer, check: str) -> FrameFindings:
    provider = providers()["cartesia"]
    target = RealtimeTarget(provider, server.url, KEY)
    plan = plans(target)[check]()
    patient = SocketPlan(
        name=plan.name, opening=plan.opening, transcripts=plan.transcripts, done=lambda events: False
    )  # read to the close
    session = asyncio.run(run_check(target, patient))
    return judge(target, plan, session)


def _marks(words: list[str]) -> dict[str, list[str] | list[float]]:
    return {
        "words": words,
        "start": [0.1 + 0.3 * i for i in range(len(words))],
        "end": [0.3 + 0.3 * i for i in range(len(words))],
    }


def test_a_socket_with_marks_and_contexts_gets_both_checks() -> None:
    found = plans(RealtimeTarget(providers()["cartesia"], "", ""))
    assert {"timing-marks", "two-contexts"} <= set(found)
    inworld = plans(RealtimeTarget(providers()["inworld"], "", ""))  # its marks declared, no second context
    assert "timing-marks" in inworld and "two-contexts" not in inworld
    deepgram = plans(RealtimeTarget(providers()["deepgram"], "", ""))  # neither part declared
    assert not {"timing-marks", "two-contexts"} & set(deepgram)


def test_marks_that_name_other_words_fail_the_timing_marks_check(serve: Callable[[Script], ScriptedServer]) -> None:
    context = "utterance-1"
    server = serve(
        _after_last_input(
            [
                _chunk(context, 3.0),
                _answer(context, "timestamps", word_timestamps=_marks(["The", "slow"])),
                _answer(context, "done"),
            ]
        )
    )
    found = _judge(server, "timing-marks")
    assert any(
        v.rule == RULE == "marks"
        and v.expected == FINDINGS[MarksKind.SPELLING].expected
        and "'slow' where the text has 'quick brown fox'" in v.got
        for v in found.violations
    ), found.text()


def test_marks_that_spell_the_transcript_pass(serve: Callable[[Script], ScriptedServer]) -> None:
    context = "utterance-1"
    words = SAMPLE_TEXT.split()
    server = serve(
        _after_last_input(
            [
                _chunk(context, 3.0),
                _answer(context, "timestamps", word_timestamps=_marks(words)),
                _answer(context, "done"),
            ]
        )
    )
    found = _judge(server, "timing-marks")
    assert found.violations == [], found.text()


def test_marks_left_out_fail_the_timing_marks_check(serve: Callable[[Script], ScriptedServer]) -> None:
    context = "utterance-1"
    server = serve(_after_last_input([_chunk(context, 3.0), _answer(context, "done")]))
    found = _judge(server, "timing-marks")
    assert any(
        v.expected == FINDINGS[MarksKind.MISSING].expected and v.pointer == "/word_timestamps/words"
        for v in found.violations
    ), found.text()


def test_a_context_answered_twice_fails_the_two_contexts_check(serve: Callable[[Script], ScriptedServer]) -> None:
    answer = [
        _chunk("context-a", 0.5),
        _answer("context-a", "done"),
        _answer("context-a", "done"),
        _chunk("context-b", 0.5),
        _answer("context-b", "done"),
    ]
    server = serve(
        lambda received: answer if sum(json.loads(m).get("continue") is False for m in received) == 2 else ()
    )
    found = _judge(server, "two-contexts")
    assert "expected nothing more for context 'context-a'" in found.text()
