"""History on the user's ground: 30 real benchmark runs against a running sandbox, the provider changed at run 20
through the sandbox's control API (`POST /_sandbox/drift`) — once slower (every answer 0.6 s later), once another
voice behind the same name (every voice 5 semitones off: the same words and pace) — and `history` flags each at
run 20 (±1) in the series it belongs to. (Series without a change, and the stated false-alarm rate across seeds,
are tests/history/test_history.py's, over stored runs.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.bench.config import BenchConfig
from harness.bench.session import run_bench_session
from harness.history import analyse, read_history

NIGHTS, STEP = 30, 20  # the change arrives with the 20th run (index 19)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running("fast", 7, providers=("openai",)) as served:
        yield served


def _drift(sandbox: Any, **change: float) -> None:
    token = {"X-Sandbox-Token": sandbox.control_token} if sandbox.control_token else {}  # none on loopback
    answer = httpx.post(sandbox.url + "/_sandbox/drift", json=change, headers=token)
    assert answer.status_code == 200, answer.text


def _nights(sandbox: Any, out: Path, **change: float) -> tuple[Any, list[str]]:
    """30 runs into one store, the change made before run STEP; the run indexes history flags, by series."""
    _drift(sandbox, added_latency_s=0.0, pitch_shift=0.0)
    for night in range(1, NIGHTS + 1):
        if night == STEP:
            _drift(sandbox, **change)
        run_bench_session(BenchConfig(out=out, providers=("openai",), models=("tts-1",), corpus=("en_read:2",),
                                  score=False, report=False, target=sandbox.url, budget=1.0, concurrency=1))
    _drift(sandbox, added_latency_s=0.0, pitch_shift=0.0)
    analysis = analyse(read_history(out / "runs.db"))
    runs = [run.run_id for run in analysis.history.runs]
    assert len(runs) == NIGHTS
    return analysis, runs


def _flagged_at(analysis: Any, runs: list[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for flagged in analysis.flagged:
        found.setdefault(flagged.series.key, []).append(runs.index(flagged.point.run_id) + 1)
    return found


def test_a_provider_that_became_slower_is_flagged_at_its_run(sandbox: Any, tmp_path: Path) -> None:
    # 0.6 s on top of answers of ~0.1 s: a step no load on a shared 2-core machine imitates (the real clock
    # runs here; on a manual clock a synchronous answer takes no time at all, so there is nothing to step).
    analysis, runs = _nights(sandbox, tmp_path, added_latency_s=0.6)
    found = _flagged_at(analysis, runs)
    assert "latency_p50" in found, found
    assert all(abs(night - STEP) <= 1 for night in found["latency_p50"]), found
    assert "self_similarity" not in found and "duration_ratio" not in found, found


def test_another_voice_behind_the_same_name_is_flagged_at_its_run(sandbox: Any, tmp_path: Path) -> None:
    pytest.importorskip("harness.scoring.similarity", reason="the speaker encoder is the score extra")
    analysis, runs = _nights(sandbox, tmp_path, pitch_shift=5.0)
    found = _flagged_at(analysis, runs)
    assert "self_similarity" in found, found
    assert all(abs(night - STEP) <= 1 for night in found["self_similarity"]), found


@pytest.mark.parametrize("body", [{"pitch_shift": 99}, {"added_latency_s": -1}, {"speed": 2}, {}])
def test_a_drift_out_of_range_is_one_line(sandbox: Any, body: dict[str, float]) -> None:
    answer = httpx.post(sandbox.url + "/_sandbox/drift", json=body)
    assert answer.status_code == 400 and "expected" in answer.json()["error"], answer.text
    assert httpx.get(sandbox.url + "/_sandbox/drift").json() == {"added_latency_s": 0.0, "pitch_shift": 0.0}
