"""Streamed HTTP answers replay at their recorded offsets: recorded from a loopback server written here
(events at known gaps), replayed to the benchmark's own stream client, asserted offline by a fixture's
`first_audio_within_ms`. No sleep here times anything: the server paces itself, the replay releases."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import harness.speech  # noqa: F401  (loaded here once: pytester's in-process runs would load numpy again)
from harness.contracts import replay
from harness.contracts.recording import read_scenario
from harness.contracts.replay import Recorded, ReplayTransport, StreamTiming, TimingTransport, first_audio_ms
from harness.contracts.session import FIXTURES, ContractSession, FixtureRoots
from harness.core.registry import providers
from harness.runner.deliver.exchange import send
from harness.runner.deliver.streaming import StreamWatch, stream_figures
from tests.helpers.loopback import LoopbackServer, QuietHandler

REPO = Path(__file__).resolve().parents[2]
STREAM = "scenarios/ttsai/tts.stream/200-success.json"
GAPS_S = (0.12, 0.05, 0.08)  # before the first audio event, and between the next ones
TOLERANCE_MS = 15.0  # scheduling on a shared CI machine; benchmarks/perf/replay_accuracy.py measures the error


def _event(index: int) -> bytes:
    audio = base64.b64encode(bytes([index]) * 300).decode()
    return f"data: {json.dumps({'type': 'audio', 'index': index, 'audio': audio})}\n\n".encode()


class PacedEvents(QuietHandler):
    """Server-Sent Events at GAPS_S apart, each its own chunk; then a done event."""

    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        events = [_event(i) for i in range(len(GAPS_S))] + [b'data: {"type": "done"}\n\n']
        for gap, event in zip((*GAPS_S, 0.0), events, strict=True):
            time.sleep(gap)  # the server's pace, recorded and then replayed
            self.wfile.write(f"{len(event):x}\r\n".encode() + event + b"\r\n")
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")


@pytest.fixture
def recorded() -> Iterator[tuple[httpx.Response, StreamTiming]]:
    server = LoopbackServer(PacedEvents)
    try:
        with httpx.Client(transport=TimingTransport(httpx.HTTPTransport())) as client:
            response = client.post(server.url + "/stream", json={"text": "hi"})
        timing = replay.timing_of(response)
        assert timing is not None
        yield response, timing
    finally:
        server.close()


def test_recording_keeps_each_chunks_offset(recorded: tuple[httpx.Response, StreamTiming]) -> None:
    response, timing = recorded
    assert sum(size for _, size in timing.chunks) == len(response.content)
    offsets = [at for at, _ in timing.chunks]
    assert offsets == sorted(offsets)
    assert first_audio_ms(response) == pytest.approx(offsets[0])
    assert offsets[0] >= GAPS_S[0] * 1000  # the first event was held back by the server


async def _replayed_ttfa(answer: Recorded) -> tuple[float, list[float]]:
    """The benchmark's stream client (exchange.send + StreamWatch) reading the replayed answer."""
    url = "https://replayed.invalid/stream"
    watch = StreamWatch()
    async with httpx.AsyncClient(transport=ReplayTransport({("POST", url): [answer]})) as client:
        exchange = await send(client, client.build_request("POST", url, json={"text": "hi"}), on_chunk=watch.feed)
    figures = stream_figures(
        watch.arrivals(exchange.sent, exchange.headers_received), exchange.sent, exchange.last_byte
    )
    return figures["ttfa_ms"], [(at - exchange.sent) * 1000 for at, _ in watch.chunks]


def test_replay_gives_the_bench_client_the_recorded_offsets(recorded: tuple[httpx.Response, StreamTiming]) -> None:
    response, timing = recorded
    answer = Recorded(200, {"content-type": "text/event-stream"}, response.content, timing)
    ttfa, arrivals = asyncio.run(_replayed_ttfa(answer))
    expected = timing.first_audio_ms(response.content)
    assert expected is not None
    assert abs(ttfa - expected) <= TOLERANCE_MS
    recorded_events = [timing.arrival_of_byte(end) for end, _ in replay.audio_events(response.content)]
    assert arrivals == pytest.approx(recorded_events, abs=TOLERANCE_MS)


def test_a_recording_without_offsets_replays_at_once_and_says_so_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replay, "_said", set())
    caplog.set_level(logging.WARNING, "tts_harness.replay")
    replay.say_untimed("a/b/200-success")
    replay.say_untimed("a/c/200-success")
    assert [r.getMessage() for r in caplog.records if "no timing" in r.getMessage()] == [
        "a/b/200-success (and any other recording of a stream made before offsets were kept) has no timing: it "
        "replays as fast as possible; re-record it to replay its timing"
    ]
    untimed = Recorded(200, {"content-type": "text/event-stream"}, _event(0) + _event(1), None)
    ttfa, arrivals = asyncio.run(_replayed_ttfa(untimed))
    assert ttfa < GAPS_S[0] * 1000 and arrivals[0] == arrivals[1]  # one piece: both events at once


def _stream_session(root: Path, tts_target: Any, shift_ms: float | None = 0.0) -> ContractSession:
    """A contract session replaying the committed TTS.ai stream, its chunks shifted later by `shift_ms`
    (None: its offsets dropped, as a recording made before they were kept)."""
    scenario = read_scenario(FIXTURES / "scenarios/ttsai/tts.stream/200-success.json")
    data = json.loads((FIXTURES / "scenarios/ttsai/tts.stream/200-success.json").read_text(encoding="utf-8"))
    body = data["exchanges"][0]["response"]["body"]
    if shift_ms is None:
        del body["timing"]
    else:
        body["timing"]["chunks"] = [[at + shift_ms, size] for at, size in body["timing"]["chunks"]]
    path = root / "scenarios" / scenario.path
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return ContractSession(providers=providers(), target=tts_target, roots=FixtureRoots(root, root))


def _stream_plan() -> Any:
    from harness.contracts import plans_for

    return next(p for p in plans_for(providers()["ttsai"]) if p.name == "ttsai/tts.stream/200-success")


def test_the_committed_stream_keeps_its_first_audio_promise(tmp_path: Path, tts_target: Any) -> None:
    outcome = _stream_session(tmp_path, tts_target).run(_stream_plan())
    assert outcome.violations == []
    ((_, _, response),) = outcome.exchanges
    promised = read_scenario(FIXTURES / "scenarios/ttsai/tts.stream/200-success.json").extra["first_audio_within_ms"]
    measured = first_audio_ms(response)
    assert measured is not None and measured <= promised


def test_a_slower_first_chunk_fails_the_offline_assertion(tmp_path: Path, tts_target: Any) -> None:
    outcome = _stream_session(tmp_path, tts_target, shift_ms=400.0).run(_stream_plan())
    late = [v for v in outcome.violations if v.rule == "timing"]
    assert len(late) == 1 and late[0].pointer == "tts.stream/timing/first_audio"
    assert late[0].expected == "first audio within 600 ms (first_audio_within_ms)"


def test_an_untimed_stream_recording_still_replays_said_once(
    tmp_path: Path, tts_target: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replay, "_said", set())
    caplog.set_level(logging.WARNING, "tts_harness.replay")
    session = _stream_session(tmp_path, tts_target, shift_ms=None)
    outcomes = [session.run(_stream_plan()) for _ in range(2)]
    assert [o.violations for o in outcomes] == [[], []]
    said = [r.getMessage() for r in caplog.records if "has no timing" in r.getMessage()]
    assert len(said) == 1 and said[0].startswith("ttsai/tts.stream/200-success")


@pytest.mark.parametrize("mode", ["all", "rewrite"])
def test_a_re_record_keeps_the_first_audio_promise(pytester: pytest.Pytester, tmp_path: Path, mode: str) -> None:
    """Re-recording the stream from the sandbox (`all`, or `rewrite`, which clears the provider's folder
    first) writes fresh offsets and keeps the promise the fixture made."""
    fixtures = tmp_path / "fixtures"
    kept = fixtures / STREAM
    kept.parent.mkdir(parents=True)
    data = json.loads((FIXTURES / STREAM).read_text(encoding="utf-8"))
    data["extra"] = {"first_audio_within_ms": 1234}
    kept.write_text(json.dumps(data), encoding="utf-8")
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    shutil.copy(REPO / "contracts" / "test_scenarios.py", pytester.path / "test_scenarios.py")
    result = pytester.runpytest(
        "-p",
        "no:cacheprovider",
        f"--tts-fixtures-dir={fixtures}",
        "--tts-target=sandbox",
        f"--tts-record-mode={mode}",
        "-k",
        "ttsai/tts.stream/200-success",
    )
    result.assert_outcomes(passed=1)
    again = json.loads(kept.read_text(encoding="utf-8"))
    assert again["extra"] == {"first_audio_within_ms": 1234}
    assert again["recorded_at"] != data["recorded_at"]
    assert again["exchanges"][0]["response"]["body"]["timing"]["chunks"]
