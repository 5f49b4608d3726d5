"""The frame checks fail where a server misbehaves, and say at which frame: each case is a loopback
WebSocket server written here (not the sandbox) and declared in a providers file, answering one way
the documents forbid. A well-behaved script passes, so the checks are not simply strict."""

from __future__ import annotations

import asyncio
import base64
import json
import math
import struct
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from harness.contracts.frame_checks import FrameFindings, check_session
from harness.contracts.realtime_checks import OTHER_TEXT, RealtimeTarget, SocketPlan, judge, plans, run_check
from harness.core import declared
from harness.core.protocols.realtime_grammar import Session
from harness.core.registry import providers
from harness.core.timing_marks import FINDINGS, RULE, MarksKind
from harness.speech import Clip, encode, encode_raw
from tests.helpers.realtime import Script, ScriptedServer, realtime_toml
from tests.helpers.wav import pcm_wav

KEY = "loopback-key"


def _tone(seconds: float, rate: int) -> bytes:
    t = np.arange(round(seconds * rate)) / rate
    return encode_raw(0.3 * np.sin(2 * np.pi * 220 * t), "pcm_s16le")


@pytest.fixture
def serve() -> Iterator[Callable[..., ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def start(script: Script, close_code: int = 1000) -> ScriptedServer:
        servers.append(ScriptedServer(script, close_code))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _judge(server: ScriptedServer, name: str, check: str = "synthesis") -> tuple[Session, FrameFindings]:
    """Run `check` against the loopback server as the declared provider `name`, reading until it closes."""
    urls = {"eleven_url": server.url, "cartesia_url": server.url, "deepgram_url": server.url}
    file = declared.parse(realtime_toml(**urls), Path("tts-harness.toml"))
    provider = next(p for p in file.providers() if p.name == name)
    target = RealtimeTarget(provider, server.url, KEY)
    plan = plans(target)[check]()
    patient = SocketPlan(
        name=plan.name, opening=plan.opening, transcripts=plan.transcripts, done=lambda events: False
    )  # read to the close
    session = asyncio.run(run_check(target, patient))
    return session, judge(target, plan, session)


def _eleven_audio(audio: bytes, chars: str, starts: Sequence[int], durations: Sequence[int]) -> str:
    alignment = {"chars": list(chars), "charStartTimesMs": list(starts), "charDurationsMs": list(durations)}
    return json.dumps({"audio": base64.b64encode(audio).decode(), "isFinal": None, "alignment": alignment})


def _after_close_message(answer: Sequence[str | bytes]) -> Script:
    return lambda received: answer if json.loads(received[-1]).get("text") == "" else ()


def test_alignment_going_backwards_fails_at_its_frame(serve: Callable[..., ScriptedServer]) -> None:
    server = serve(
        _after_close_message(
            [_eleven_audio(_tone(0.5, 24000), "ab", [200, 100], [50, 50]), json.dumps({"isFinal": True})]
        )
    )
    session, found = _judge(server, "eleven")
    frame = next(f.index for f in session.received())
    assert (
        f"frame {frame}: /frames/{frame}/alignment/1: expected {FINDINGS[MarksKind.NON_MONOTONIC].expected}, "
        "got starts at "
        "0.100 s, before the mark before it (0.200 s)"
    ) in found.text()


def test_audio_at_the_wrong_rate_fails_by_its_alignment(serve: Callable[..., ScriptedServer]) -> None:
    # One second of speech at 16 kHz, declared (output_format=pcm_24000) as 24 kHz: 0.67 s of audio whose
    # alignment, timed on the real second, runs past its end: 1.43 times the audio, named a sample-rate mismatch
    # (issue 65) at the first mark past the end, in place of a bad mark each.
    server = serve(
        _after_close_message(
            [_eleven_audio(_tone(1.0, 16000), "hi", [0, 500], [400, 450]), json.dumps({"isFinal": True})]
        )
    )
    session, found = _judge(server, "eleven")
    frame = next(f.index for f in session.received())
    [rate] = [v for v in found.violations if v.rule == RULE]
    assert rate.pointer == f"/frames/{frame}/alignment/1", found.text()
    assert rate.expected == FINDINGS[MarksKind.SAMPLE_RATE].expected, found.text()
    assert "0.667 s" in rate.got and "1.43 times" in rate.got


def test_marks_a_little_past_the_audio_are_bad_marks_not_a_rate(serve: Callable[..., ScriptedServer]) -> None:
    server = serve(
        _after_close_message(
            [_eleven_audio(_tone(1.0, 24000), "hi", [0, 500], [400, 600]), json.dumps({"isFinal": True})]
        )
    )
    session, found = _judge(server, "eleven")
    frame = next(f.index for f in session.received())
    assert any(
        v.pointer == f"/frames/{frame}/alignment/1"
        and v.expected == FINDINGS[MarksKind.BEYOND_AUDIO].expected
        and "after the audio's 1.000 s" in v.got
        for v in found.violations
    ), found.text()
    assert "sample-rate" not in found.text()


def _cartesia(context: str, kind: str, **extra: object) -> str:
    return json.dumps({"type": kind, "done": kind == "done", "status_code": 206, "context_id": context, **extra})


def _cartesia_chunk(context: str) -> str:
    return _cartesia(context, "chunk", data=base64.b64encode(_tone(0.8, 24000)).decode(), step_time=1.0)


def _after_last_inputs(count: int, answer: Sequence[str]) -> Script:
    return lambda received: answer if sum(json.loads(m).get("continue") is False for m in received) == count else ()


def test_two_done_messages_fail_at_the_second(serve: Callable[..., ScriptedServer]) -> None:
    context = "utterance-1"
    server = serve(
        _after_last_inputs(1, [_cartesia_chunk(context), _cartesia(context, "done"), _cartesia(context, "done")])
    )
    session, found = _judge(server, "carte")
    second = [f.index for f in session.received()][-1]
    assert f"frame {second}: /frames/{second}: expected nothing more for context 'utterance-1'" in found.text()


def test_a_word_of_another_context_fails_as_mixed_contexts(serve: Callable[..., ScriptedServer]) -> None:
    stray = {"words": ["Seven"], "start": [0.1], "end": [0.3]}
    answer = [
        _cartesia_chunk("context-a"),
        _cartesia("context-a", "timestamps", word_timestamps=stray),
        _cartesia("context-a", "done"),
        _cartesia_chunk("context-b"),
        _cartesia("context-b", "done"),
    ]
    server = serve(_after_last_inputs(2, answer))
    session, found = _judge(server, "carte", "two-contexts")
    frame = [f.index for f in session.received()][1]
    assert "Seven" in OTHER_TEXT
    assert (
        f"frame {frame}: /frames/{frame}/word_timestamps/words/0: expected a word of context 'context-a'"
        in found.text()
    )


def test_audio_after_the_last_flushed_fails(serve: Callable[..., ScriptedServer]) -> None:
    flushed = json.dumps({"type": "Flushed", "sequence_id": 0})
    server = serve(
        lambda received: [_tone(0.3, 24000), flushed, _tone(0.2, 24000)] if '"Flush"' in received[-1] else ()
    )
    session, found = _judge(server, "dgram")
    late = [f.index for f in session.received()][-1]
    assert f"frame {late}: /frames/{late}: expected no audio after the Flushed" in found.text()


def test_a_well_behaved_script_passes_and_replays_the_same(serve: Callable[..., ScriptedServer]) -> None:
    context = "utterance-1"
    words = {"words": ["The", "quick"], "start": [0.1, 0.3], "end": [0.25, 0.5]}
    server = serve(
        _after_last_inputs(
            1,
            [
                _cartesia_chunk(context),
                _cartesia(context, "timestamps", word_timestamps=words),
                _cartesia(context, "done"),
            ],
        )
    )
    session, found = _judge(server, "carte")
    assert found.violations == [], found.text()
    again = Session.from_json(json.loads(json.dumps(session.to_json())))
    assert [(f.direction, f.t_s, f.text, f.data) for f in again.frames] == [
        (f.direction, round(f.t_s * 1000, 3) / 1000, f.text, f.data) for f in session.frames
    ]
    assert again.closing is not None and again.closing.code == 1000


# The audio rule reads the bytes as the session declared them (`harness.core.audio.read_declared`), from
# the bytes alone: each case a recorded session of the built-in protocols, judged as replay judges it.
ELEVENLABS_PATH = "wss://api.elevenlabs.io/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb/stream-input"


def _eleven_session(output_format: str, audio: bytes) -> Session:
    sent = [json.dumps({"text": " "}), json.dumps({"text": "Hi. ", "flush": True}), json.dumps({"text": ""})]
    received = [json.dumps({"audio": base64.b64encode(audio).decode(), "isFinal": None}), json.dumps({"isFinal": True})]
    frames = [
        *({"dir": "send", "t_ms": 1.0, "text": text} for text in sent),
        *({"dir": "recv", "t_ms": 5.0, "text": text} for text in received),
    ]
    return Session.from_json(
        {
            "url": f"{ELEVENLABS_PATH}?output_format={output_format}",
            "frames": frames,
            "closing": {"code": 1000, "reason": "", "t_ms": 9.0},
        }
    )


def _audio_findings(session: Session, provider: str) -> list[str]:
    grammar = RealtimeTarget(providers()[provider], "", "").grammar
    return [f"{v.expected} | {v.got}" for v in check_session(session, grammar).violations if v.rule == "audio"]


def test_a_container_of_another_kind_than_declared_fails_the_audio_rule() -> None:
    found = _audio_findings(_eleven_session("mp3_22050_32", pcm_wav(rate=22050)), "elevenlabs")
    assert found == ["audio in mp3 at 22050 Hz in mp3 | wav bytes, not mp3 in mp3"]


def test_a_container_at_another_rate_than_declared_fails_by_its_header() -> None:
    mp3 = encode(Clip(np.zeros(24000, dtype=np.float32), 24000), "mp3")
    assert _audio_findings(_eleven_session("mp3_24000_48", mp3), "elevenlabs") == []
    found = _audio_findings(_eleven_session("mp3_44100_128", mp3), "elevenlabs")
    assert found == ["audio at 44100 Hz (declared) | 24000 Hz in its header"]


def test_headerless_bytes_that_are_not_whole_samples_fail() -> None:
    found = _audio_findings(_eleven_session("pcm_16000", b"\x00\x01\x02"), "elevenlabs")
    assert found == ["audio in pcm_s16le at 16000 Hz | 3 bytes are not whole pcm_s16le samples of 2 bytes"]


def _cartesia_f32(samples: Sequence[float]) -> Session:
    fmt = {"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100}
    opening = {
        "context_id": "c",
        "model_id": "sonic-3",
        "voice": {"mode": "id", "id": "v"},
        "output_format": fmt,
        "transcript": "Hi.",
        "continue": False,
    }
    chunk = {
        "type": "chunk",
        "data": base64.b64encode(struct.pack(f"<{len(samples)}f", *samples)).decode(),
        "done": False,
        "status_code": 206,
        "context_id": "c",
        "step_time": 1.0,
    }
    done = {"type": "done", "done": True, "status_code": 206, "context_id": "c"}
    frames = [
        {"dir": "send", "t_ms": 1.0, "text": json.dumps(opening)},
        {"dir": "recv", "t_ms": 5.0, "text": json.dumps(chunk)},
        {"dir": "recv", "t_ms": 6.0, "text": json.dumps(done)},
    ]
    return Session.from_json(
        {
            "url": "wss://api.cartesia.ai/tts/websocket",
            "frames": frames,
            "closing": {"code": 1000, "reason": "", "t_ms": 9.0},
        }
    )


@pytest.mark.parametrize(
    ("samples", "peak"), [([0.5, -4.0, 1.0], "peak 4"), ([0.1, math.nan], "peak nan"), ([0.1, -math.inf], "peak inf")]
)
def test_float_samples_far_beyond_full_scale_fail(samples: list[float], peak: str) -> None:
    assert _audio_findings(_cartesia_f32([0.25, -1.2, 1.5]), "cartesia") == []  # a resampler's overshoot
    assert _audio_findings(_cartesia_f32(samples), "cartesia") == [f"float samples within [-1, 1] | {peak}"]
