"""The probes of the client's own health (`harness.core.health_probes`): a loop blocked on purpose shows as lag."""

from __future__ import annotations

import asyncio
import time

import pytest

from harness.core.health_probes import CpuFigures, CpuReading, LoopLag


def test_a_blocked_loop_shows_its_block_as_lag() -> None:
    """The loop is blocked for 0.3 s once its timer has ticked: the next tick runs at least that late. Only a lower
    bound is asserted (a busy machine makes a tick later, never earlier)."""

    async def scenario() -> list[tuple[float, float]]:
        lag = LoopLag(interval_s=0.02)
        lag.start()
        while not len(lag):  # the timer runs: wait for its first tick (an event, not a guess)
            await asyncio.sleep(0)
        time.sleep(0.3)  # blocks the loop, as a long callback would
        before = len(lag)
        while len(lag) == before:
            await asyncio.sleep(0)
        lag.stop()
        return lag.drain()

    ticks = asyncio.run(scenario())
    assert max(lag for _, lag in ticks) >= 0.3 - 0.02 - 0.005
    assert all(lag >= 0 for _, lag in ticks)


def test_ticks_are_kept_bounded_and_drained_once() -> None:
    lag = LoopLag(interval_s=1.0)
    for k in range(700):
        lag.record(float(k), 0.001)
    assert len(lag.drain()) == 600  # ten minutes of ticks at most
    assert lag.drain() == []
    with pytest.raises(ValueError):
        LoopLag(interval_s=0)


def test_cpu_figures_between_two_readings() -> None:
    earlier = CpuReading(10.0, 3.0, (1000, 4000), 2.0)
    later = CpuReading(12.0, 4.0, (1300, 4400), 5.0)
    assert later.since(earlier) == CpuFigures(0.5, 0.75, 1.5)
    assert CpuReading(12.0, 4.0, None, None).since(CpuReading(10.0, 3.0, None, None)) == CpuFigures(0.5, None, None)
    reading = CpuReading.now()  # whatever this machine offers; never an error
    assert reading.process_s >= 0
