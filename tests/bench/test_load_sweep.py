"""Concurrency as asked, on the user's ground: a provider declared in a providers file and served by a
loopback server written here (synchronous OpenAI-style speech, unlike the sandbox's job APIs), which
counts the requests it holds at once. `--concurrency` is the cap per provider, `--global-concurrency` the
cap across them, a comma list runs the plan at each level in turn, and the rows say what was in flight."""

from __future__ import annotations

import io
import json
import threading
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.core import declared
from harness.results import Store
from harness.results.tables import RunRow
from harness.runner.plan.config import BenchConfig
from harness.runner.session import run_bench_session
from tests.helpers.loopback import LoopbackServer, QuietHandler

KEY = "loopback-load-key"
HOLD_S = 2.0  # a safety net only: a request is released as soon as the cap's worth are in flight


def _silence() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\x00\x00" * 1600)
    return buffer.getvalue()


class Counter:
    """What the server saw: requests in flight now, the most at once, and how many it held at each arrival."""

    def __init__(self) -> None:
        self.lock = threading.Condition()
        self.now = 0
        self.peak = 0
        self.hold_until = 1  # a request waits until this many are in flight (the test sets the cap)

    def arrive(self) -> None:
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
            self.lock.notify_all()
            self.lock.wait_for(lambda: self.now >= self.hold_until, timeout=HOLD_S)

    def leave(self) -> None:
        with self.lock:
            self.now -= 1


COUNTER = Counter()
AUDIO = _silence()


class _Speech(QuietHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Authorization") != f"Bearer {KEY}":
            self.answer(401, b'{"error": {"message": "bad key"}}', {"Content-Type": "application/json"})
            return
        COUNTER.arrive()
        try:
            self.answer(200, AUDIO, {"Content-Type": "audio/wav"})
        finally:
            COUNTER.leave()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    loopback = LoopbackServer(_Speech)
    try:
        yield loopback.url
    finally:
        loopback.close()


def _provider(url: str, tmp_path: Path) -> dict[str, object]:
    text = f"""
[providers.loady]
protocol = "openai-speech"
base_url = "{url}/v1"
key_env = "LOADY_TTS_KEY"
models = ["load-tts"]
voices = ["ember"]
price_per_million_chars = 0
formats = ["wav"]
"""
    return {p.name: p for p in declared.parse(text, tmp_path / "tts-harness.toml").providers()}


def _run(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, items: int = 6, **options: object
) -> tuple[Store, str]:
    monkeypatch.setenv("LOADY_TTS_KEY", KEY)
    config = BenchConfig(
        out=tmp_path,
        score=False,
        report=False,
        corpus=(f"en_read:{items}",),
        target="live",
        yes=True,
        ramp_up=0.0,
        **options,
    )  # type: ignore[arg-type]
    result = run_bench_session(config, providers=_provider(url, tmp_path))  # type: ignore[arg-type]
    assert result.status == "finished" and result.counts.get("ok")
    return Store(result.db_path), result.run_id


def _run_row(store: Store, run_id: str) -> RunRow:
    row = store.run(run_id)
    assert row is not None
    return row


def test_concurrency_is_the_cap_per_provider_and_the_row_says_what_was_in_flight(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ten in flight, as asked: the old hidden per-provider cap of 8 would have held two back.
    COUNTER.peak, COUNTER.hold_until = 0, 10
    store, run_id = _run(server, tmp_path, monkeypatch, items=20, concurrency=10)
    assert COUNTER.peak == 10
    jobs = store.jobs(run_id)
    assert max(j.in_flight_at_submit for j in jobs) == 10
    assert {j.load_level for j in jobs} == {None}
    (level,) = store.query("SELECT * FROM load_levels WHERE run_id = ?", (run_id,))
    assert (level["cap"], level["max_in_flight"], level["global_cap"]) == (10, 10, None)
    assert 1.0 <= level["mean_in_flight"] <= 10.0
    assert _run_row(store, run_id).concurrency == 10


def test_a_global_cap_below_the_provider_cap_wins(server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    COUNTER.peak, COUNTER.hold_until = 0, 2
    store, run_id = _run(server, tmp_path, monkeypatch, concurrency=3, global_concurrency=2)
    assert COUNTER.peak == 2
    assert _run_row(store, run_id).global_concurrency == 2


def test_a_sweep_runs_the_plan_at_each_level_in_turn(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    COUNTER.peak, COUNTER.hold_until = 0, 1
    store, run_id = _run(server, tmp_path, monkeypatch, concurrency="1,2")
    jobs = store.jobs(run_id)
    by_level = {level: [j for j in jobs if j.load_level == level] for level in (1, 2)}
    assert [len(by_level[1]), len(by_level[2])] == [6, 6]  # the same plan at each level
    assert {j.item_id for j in by_level[1]} == {j.item_id for j in by_level[2]}
    assert max(j.in_flight_at_submit for j in by_level[1]) == 1
    assert max(j.in_flight_at_submit for j in by_level[2]) == 2
    assert max(j.finished_at for j in by_level[1]) <= min(j.started_at for j in by_level[2])
    levels = store.query("SELECT level, max_in_flight FROM load_levels WHERE run_id = ? ORDER BY level", (run_id,))
    assert [tuple(row) for row in levels] == [(1, 1), (2, 2)]
    assert json.loads(_run_row(store, run_id).load_levels_json) == [1, 2]
