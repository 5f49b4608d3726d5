"""The provider gate: the first wave of a provider's jobs starts spread over the ramp, not in one burst."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from harness.runner.deliver import admission
from harness.runner.deliver.admission import ProviderGate


def _waits(monkeypatch: pytest.MonkeyPatch, span: float, wave: int, jobs: int) -> list[float]:
    """The delays the gate asks for, in start order (the clock is frozen: nothing really sleeps).

    `admission.time` and `admission.asyncio` are the process's modules: another thread of this worker (a sandbox a
    module fixture keeps running) keeps the real clock and sleeps, and its sleeps are not the gate's."""
    asked: list[float] = []
    this_thread = threading.get_ident()
    real_sleep, real_clock = asyncio.sleep, time.perf_counter

    async def sleep(delay: float) -> None:
        if threading.get_ident() != this_thread:
            await real_sleep(delay)
            return
        asked.append(delay)

    monkeypatch.setattr(
        admission.time, "perf_counter", lambda: 100.0 if threading.get_ident() == this_thread else real_clock()
    )
    monkeypatch.setattr(admission.asyncio, "sleep", sleep)

    async def run() -> None:
        gate = ProviderGate(wave)
        for _ in range(jobs):
            await gate.ramp(span, wave)

    asyncio.run(run())
    return asked


def test_the_first_wave_starts_at_even_steps_and_later_jobs_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The first starts at once; the next three wait one, two and three steps of 0.2 / 4 s; the rest do not wait.
    assert _waits(monkeypatch, 0.2, 4, 7) == pytest.approx([0.05, 0.10, 0.15])


def test_no_ramp_means_no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _waits(monkeypatch, 0.0, 8, 8) == []
    assert _waits(monkeypatch, 1.0, 1, 3) == []


def test_in_flight_counts_the_peak_and_the_time_weighted_mean(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([0.0, 1.0, 3.0, 4.0])  # enter, enter, leave, leave
    monkeypatch.setattr(admission.time, "perf_counter", lambda: next(clock))
    count = admission.InFlight()
    assert (count.enter(), count.enter()) == (1, 2)
    count.leave()
    count.leave()
    # One job for 1 s, two for 2 s, one for 1 s: 6 job-seconds over 4 busy seconds.
    assert (count.peak, count.count, count.mean) == (2, 0, pytest.approx(1.5))
    assert admission.InFlight().mean is None


def test_a_sweeps_next_level_gets_fresh_caps_but_keeps_a_closed_gate() -> None:
    earlier = admission.Gates(1)
    earlier["pixazo"].close_for(30.0)
    earlier["pixazo"].in_flight.enter()
    later = earlier.resized(4)
    assert later.concurrency == 4 and later["pixazo"].closed_until == earlier["pixazo"].closed_until
    assert later["pixazo"].in_flight.peak == 0  # what was in flight is counted per level
