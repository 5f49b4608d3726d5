"""Synchronous answers (audio returned directly) take the model's drawn time, as jobs do: seconds in
the realistic profile, milliseconds in the fast one, and nothing on a manual clock."""

from __future__ import annotations

from harness.providers.ttsai.emulation.models.catalog import CLONE_TIMING
from harness.sandbox import running


def test_realistic_work_takes_seconds_and_fast_work_milliseconds() -> None:
    with running(profile="realistic", providers=("ttsai",), clock="manual") as realistic:
        slow = [realistic.state.draw_work(CLONE_TIMING, 80) for _ in range(20)]
    with running(profile="fast", providers=("ttsai",), clock="manual") as fast:
        quick = [fast.state.draw_work(CLONE_TIMING, 80) for _ in range(20)]
    assert min(slow) > 1.0 and len(set(slow)) == len(slow)
    assert max(quick) < 0.05


def test_the_same_seed_draws_the_same_durations() -> None:
    draws = []
    for _ in range(2):
        with running(profile="realistic", seed=11, providers=("ttsai",), clock="manual") as sb:
            draws.append([sb.state.draw_work(CLONE_TIMING, 40) for _ in range(5)])
    assert draws[0] == draws[1]
