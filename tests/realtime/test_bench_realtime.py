"""`bench run` over realtime sockets: the declared providers of every realtime protocol beside the built-in
models (first token to audio, audible TTFA, underruns, jitter, cost, WER), and on the user's ground — a
loopback server written here, speaking Deepgram's protocol, that stalls mid-stream on purpose: the
player counts each underrun exactly."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

from harness import benchmark
from harness.core.protocols.realtime_grammar import Opening, Outgoing
from harness.runner.deliver.socket_speech import fed, tokens
from harness.runner.plan.config import BenchConfig
from tests.helpers.loop_timing import watched
from tests.helpers.providers_file import providers_file_in_effect
from tests.helpers.realtime import DEEPGRAM_MODEL, LoopbackSocketServer, realtime_toml

RATE = 24_000  # the format's own, where the upgrade names none
CHUNK_S = 0.1
STALL_S = 0.35  # each stall leaves the player 0.25 s without audio


def _rows(db: Path, run_id: str) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM jobs WHERE run_id = ? ORDER BY provider", (run_id,))]
    finally:
        conn.close()


def test_tokens_are_words_with_their_space_and_fed_at_the_rate() -> None:
    assert tokens("Hello there,  world.") == ("Hello ", "there,  ", "world.")
    opening = Opening(path_params={}, query={}, messages=tuple(Outgoing(m) for m in ("init", "a", "b", "c", "close")))
    timed = fed(opening, preamble=1, chunks=3, rate=40.0)
    assert [m.at_s for m in timed.messages] == [0.0, 0.0, 0.025, 0.05, 0.05]  # the close goes with the last token
    assert fed(opening, 1, 3, None) is opening


@pytest.mark.slow
def test_declared_realtime_providers_beside_the_built_in_models(tmp_path: Path) -> None:
    path = tmp_path / "tts-harness.toml"
    path.write_text(realtime_toml(), encoding="utf-8")
    with providers_file_in_effect(path):
        config = BenchConfig(
            out=tmp_path / "reports",
            providers=("eleven", "carte", "dgram", "ttsai"),  # type: ignore[call-arg]
            models=("eleven/eleven_flash_v2_5", "carte/sonic-3", f"dgram/{DEEPGRAM_MODEL}", "ttsai/kokoro-stream"),
            corpus=("en_read:1",),
            sandbox_profile="fast",
            report=False,
            text_rate=40.0,
            dnsmos=False,
        )  # the WER is read here; DNSMOS costs a CPU-second a clip
        result = benchmark.run(config)
    lines = {f"{line.provider}/{line.model}": line for line in result.summary.lines}
    assert set(lines) == {"eleven/eleven_flash_v2_5", "carte/sonic-3", f"dgram/{DEEPGRAM_MODEL}", "ttsai/kokoro-stream"}
    for label, line in lines.items():
        assert line.ok == line.jobs == 1, label
        assert line.ttfa_p50 is not None and line.perceived_ttfa_p50 is not None, label
        assert line.perceived_ttfa_p50 >= line.ttfa_p50, label  # the leading silence is heard last
        assert line.stream is not None and line.stream.jitter_p95 is not None and line.stream.underruns >= 0, label
        assert line.cost_usd is not None or line.cost_units, label
        assert line.quality is not None and line.quality.pooled_wer is not None and line.quality.pooled_wer < 0.5, label
    rows = {r["provider"]: r for r in _rows(tmp_path / "reports" / "runs.db", result.run_id)}
    for name in ("eleven", "carte", "dgram"):
        row = rows[name]
        assert row["delivery"] == "socket" and row["text_rate"] == 40.0
        assert row["ttfa_lo_ms"] <= row["ttfa_ms"] <= row["ttfa_hi_ms"]
        assert row["last_audio_ms"] >= row["ttfa_ms"] and row["gap_p95_ms"] >= row["gap_p50_ms"] >= 0
        assert row["cost_usd"] > 0  # the declared price per million characters
    assert rows["ttsai"]["delivery"] == "stream" and rows["ttsai"]["text_rate"] is None


class StallingDeepgram(LoopbackSocketServer):
    """A loopback server of Deepgram's speak WebSocket that answers a Flush with three 0.1 s chunks of
    linear16 at the rate the upgrade's `sample_rate` asks (the runner asks one other than the format's own),
    stalling `STALL_S` before the second and the third, then Flushed. It keeps when each text message arrived, so the
    test can check how the client fed the text."""

    def __init__(self) -> None:
        self.arrivals: list[float] = []
        super().__init__()

    async def handle(self, socket: Any) -> None:
        asked = parse_qs(urlsplit(socket.request.path).query).get("sample_rate", [str(RATE)])
        rate = int(asked[0])
        tone = (0.3 * np.sin(2 * np.pi * 220 * np.arange(round(CHUNK_S * rate)) / rate) * 32767).astype("<i2")
        await socket.send(
            json.dumps(
                {
                    "type": "Metadata",
                    "request_id": "r-1",
                    "model_name": DEEPGRAM_MODEL,
                    "model_version": "1",
                    "model_uuid": "u-1",
                }
            )
        )
        async for message in socket:
            kind = json.loads(message)["type"]
            if kind == "Speak":
                self.arrivals.append(time.monotonic())
            elif kind == "Flush":
                for index in range(3):
                    if index:
                        await asyncio.sleep(STALL_S)  # the stall under test, not a wait for the test
                    await socket.send(tone.tobytes())
                await socket.send(json.dumps({"type": "Flushed", "sequence_id": 0}))
            elif kind == "Close":
                await socket.close(1000)
                return


@pytest.fixture
def stalling() -> Iterator[StallingDeepgram]:
    server = StallingDeepgram()
    yield server
    server.close()


def test_a_server_that_stalls_twice_is_two_underruns_exactly(
    tmp_path: Path, stalling: StallingDeepgram, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tts-harness.toml"
    path.write_text(realtime_toml(deepgram_url=stalling.url), encoding="utf-8")
    monkeypatch.setenv("DGRAM_TEST_KEY", "loopback-key-1234")
    with providers_file_in_effect(path):
        config = BenchConfig(
            out=tmp_path / "reports",
            target=stalling.url,
            providers=("dgram",),  # type: ignore[call-arg]
            corpus=("en_read:1",),
            score=False,
            report=False,
            text_rate=40.0,
            budget=1.0,
        )
        result = benchmark.run(config)
    (row,) = _rows(tmp_path / "reports" / "runs.db", result.run_id)
    assert row["outcome"] == "ok" and row["delivery"] == "socket", row["error_message"]
    assert row["underruns"] == row["underruns_lo"] == row["underruns_hi"] == 2
    assert row["underrun_ms"] == pytest.approx(2 * (STALL_S - CHUNK_S) * 1000, abs=60)
    assert row["audio_ms"] == pytest.approx(3 * CHUNK_S * 1000)
    assert row["gap_p95_ms"] >= STALL_S * 1000 * 0.95 and row["max_chunk_gap_ms"] >= STALL_S * 1000
    # Token by token at 40 a second: the last word left (n − 1) / 40 s after the first (less the loop's slack).
    spread = stalling.arrivals[-1] - stalling.arrivals[0]
    assert len(stalling.arrivals) > 3 and spread >= (len(stalling.arrivals) - 1) / 40.0 - 0.01
    assert row["cost_usd"] > 0 and result.summary.lines[0].stream is not None


def test_the_dry_run_shows_where_each_socket_opens_and_how_the_text_is_fed(tmp_path: Path) -> None:
    from harness.core.registry import providers
    from harness.runner.dry_run import dry_run

    path = tmp_path / "tts-harness.toml"
    path.write_text(realtime_toml(), encoding="utf-8")
    with providers_file_in_effect(path):
        config = BenchConfig(providers=("eleven", "dgram"), corpus=("en_read:1",), text_rate=20.0)  # type: ignore[call-arg]
        planned = dry_run(config, providers(), environ={})
    lines = {job.title.split()[0]: job.steps[0] for job in planned.jobs}
    assert lines["eleven/eleven_flash_v2_5"].kind == "socket"
    assert (
        "/eleven/api/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb/stream-input?model_id=eleven_flash_v2_5"
        in lines["eleven/eleven_flash_v2_5"].detail
    )
    # A rate other than the format's own (24 kHz), as a client that chose one asks it (`Grammar.other_rate`)
    assert "encoding=linear16&sample_rate=16000" in lines[f"dgram/{DEEPGRAM_MODEL}"].detail
    assert "tokens at 20 a second" in lines[f"dgram/{DEEPGRAM_MODEL}"].detail
    # The summary counts the sessions, not only the submits (it said "0 submits" for a socket-only plan).
    # eleven's model over both ElevenLabs sockets (stream-input, multi-stream-input), dgram's over its one.
    assert planned.requests == 0 and planned.sockets == 3 and planned.summary() == "0 submits and 3 socket sessions"


@pytest.mark.parametrize("name", ["eleven", "carte", "dgram"])
def test_the_sandbox_stalls_n_times_and_the_listener_counts_what_its_truth_counts(
    name: str, realtime_sandbox: Any, trust_sandbox_ca: Any
) -> None:
    """`stall-2`: the sandbox holds two chunks until a listener has run dry; the runner's listener, over
    the frames as they arrived, counts the underruns the sandbox's truth counts over its write instants,
    and its first audio lies within the interval the client's clock allows."""
    from harness.core.protocols.realtime_session import LOOK_S, reader, run_session
    from harness.core.target import FAULT_HEADER
    from harness.runner.deliver.socket_speech import decoder, heard, planned_socket, read_frames
    from harness.runner.deliver.streaming import stream_figures

    provider = realtime_sandbox.state.served[name].provider
    channel = provider.channels[0]
    text = "Seven silver swans swam across the quiet lake, and then they flew away over the hills."
    url, utterance, opening = planned_socket(
        channel, provider.offerings[0].name, text, 40.0, realtime_sandbox.base_url(name, "api")
    )
    headers = {
        provider.auth.header: provider.auth.header_value(realtime_sandbox.default_key(name)),
        FAULT_HEADER: "stall-2",
    }
    complete = reader(channel.grammar, lambda events: channel.grammar.complete(events, opening))

    async def watched_session() -> tuple[Any, float]:
        async with watched() as watch:
            session = await run_session(
                url,
                headers,
                opening.messages,
                complete=complete,
                closing=opening.closing,
                client_closes=opening.client_closes,
                ssl=trust_sandbox_ca,
            )
        return session, watch.worst_ms

    session, stalled_ms = asyncio.run(watched_session())
    frames = read_frames(channel, session)
    events = frames.events
    assert frames.broken == [] and frames.lost == []
    first_token, audio = heard(channel, session, events, utterance.context)
    figures = stream_figures(audio, first_token, decoder=decoder(channel, session))
    truth = next(
        t for t in reversed(realtime_sandbox.state.streams.streams.values()) if " ".join(t.text.split()) == text
    )
    assert truth.stalls == 2 and len(truth.chunk_at) == len(audio)
    # A stalled chunk leaves the sandbox `streams.STALL_S` (0.12 s) after the truth's listener ran dry. A client
    # whose process was descheduled about that long before it received the chunk ahead of it starts playing that
    # much later, and may rightly hear no gap (its count is over the arrivals it saw): only then may it count fewer.
    from harness.sandbox.streams import STALL_S as SANDBOX_STALL_S

    truth_underruns = truth.listening().underruns
    assert truth_underruns >= 2
    if stalled_ms < SANDBOX_STALL_S * 1000 / 2:
        assert figures["underruns"] == truth_underruns
    else:
        assert 1 <= figures["underruns"] <= truth_underruns
    true_ttfa_ms = (truth.chunk_at[0] - first_token) * 1000.0
    # The truth is the sandbox's write, the interval bounds the client's arrival: a write never comes after
    # its arrival (the upper bound is strict), but on a loaded machine the loopback may hand the frame over
    # a little after the client's last empty look, which no client clock can see: one look's period of it,
    # and three times as much as this process's own timers were late meanwhile (a descheduled process).
    slack_ms = LOOK_S * 1000.0 + 3.0 * stalled_ms
    assert figures["ttfa_lo_ms"] - slack_ms <= true_ttfa_ms <= figures["ttfa_hi_ms"] + 1e-6


def test_a_socket_that_fails_is_classified_as_the_harness_classes_it() -> None:
    from harness.core.errors import ErrorClass
    from harness.core.protocols.realtime_grammar import Closing, Event, Kind, Session
    from harness.providers.deepgram import PROVIDER
    from harness.runner.deliver.socket_speech import Frames, failure_of

    grammar = PROVIDER.channels[0].grammar  # Deepgram's speak socket, declared in the WebSocket speech family
    refused = Session(url="wss://x/v1/speak", handshake_status=401, handshake_body='{"err_code": "INVALID_AUTH"}')
    assert failure_of(refused, Frames(), grammar).error_class is ErrorClass.AUTH  # type: ignore[union-attr]
    limited = Session(url="wss://x/v1/speak", handshake_status=429)
    assert failure_of(limited, Frames(), grammar).error_class is ErrorClass.RATE_LIMIT  # type: ignore[union-attr]
    opened = Session(url="wss://x/v1/speak", opened_s=0.01, closing=Closing(None, "dropped", 0.5))
    quota = Event(frame=3, t_s=0.4, kind=Kind.ERROR, code="quota_exceeded", message="This request exceeds your quota.")
    assert failure_of(opened, Frames([quota]), grammar).error_class is ErrorClass.BALANCE  # type: ignore[union-attr]
    dropped = failure_of(opened, Frames([Event(frame=2, t_s=0.3, kind=Kind.AUDIO, audio=b"\0\0")]), grammar)
    assert dropped is not None and dropped.error_class is ErrorClass.TRANSPORT
    assert "without a close frame" in str(dropped)
    assert failure_of(opened, Frames([Event(frame=4, t_s=0.6, kind=Kind.FLUSHED)]), grammar) is None
