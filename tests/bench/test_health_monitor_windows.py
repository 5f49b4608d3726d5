"""`HealthMonitor`: every window of a run with an embedded sandbox says how that sandbox's loop fared."""

from __future__ import annotations

import asyncio
import time

from harness.core.client_health import saturated
from harness.runner.deliver.client_health import HealthMonitor
from harness.sandbox import SandboxHealth
from harness.sandbox.job_audio import RenderReading


class QuietSandbox:
    """An embedded sandbox whose loop reports one tick, on time, at the first look after the run began, and none
    after: the windows closed later had no sandbox tick run in them (what a last window of a few milliseconds,
    shorter than the loop's 50 ms timer, meets)."""

    def __init__(self) -> None:
        self.looks = 0

    def health(self) -> SandboxHealth:
        self.looks += 1
        ticks = [(time.perf_counter(), 0.0)] if self.looks == 2 else []
        return SandboxHealth(ticks=ticks, renders=RenderReading(waiting_now=0, waiting_peak=0, finished=()))

    def renders_waiting(self) -> int:
        return 0


def test_a_window_no_sandbox_tick_ran_in_says_the_loop_stalled_none_of_it() -> None:
    """A window the sandbox was watched through, with no tick of its loop in it, stalled 0 of it: known, not
    missing (the run's rows said nothing of the sandbox for such a window, and a reader could not tell a
    watched quiet second from an unwatched one)."""
    sandbox = QuietSandbox()

    async def run() -> HealthMonitor:
        monitor = HealthMonitor(sandbox, origin=time.perf_counter(), window_s=3600)  # windows closed by hand
        async with monitor:
            monitor._close()  # the reader thread's close, without waiting a window for it
            monitor._close()
        return monitor

    monitor = asyncio.run(run())
    windows = monitor.health().windows
    assert len(windows) == 3
    assert all(w.sandbox_stalled == 0.0 and w.sandbox_lag_max_ms == 0.0 for w in windows)
    assert all("sandbox_stalled" in w.to_json() for w in windows)
    assert windows[0].sandbox_lag_p50_ms == 0.0 and windows[1].sandbox_lag_p50_ms is None  # no tick: no median
    assert not any(saturated(w) for w in windows)


def test_without_an_embedded_sandbox_the_windows_say_nothing_of_one() -> None:
    async def run() -> HealthMonitor:
        monitor = HealthMonitor(None, origin=time.perf_counter(), window_s=3600)
        async with monitor:
            monitor._close()
        return monitor

    windows = asyncio.run(run()).health().windows
    assert windows and all(w.sandbox_stalled is None and "sandbox_stalled" not in w.to_json() for w in windows)
