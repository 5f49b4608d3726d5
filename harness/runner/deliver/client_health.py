"""The client's health during a run: the runner's event-loop lag, the embedded sandbox's loop and render queue,
and the CPU, read in windows of about a second (`harness.core.client_health` decides what is saturated).

A reader thread closes each window (so a stalled loop cannot hold the window open: its stall is laid over the
windows it covered), reading the probes of `harness.core.health_probes`: a `LoopLag` timer on the runner's
loop, the embedded sandbox's `SandboxHandle.health` (its own loop's timer and its renders), and the CPU
counters. When the run ends (`RunHealth`), each job's share of saturated time is derived from the windows and
its span (`job_spans`).

    async with HealthMonitor(sandbox, origin=runner.run_start) as monitor:
        ...                                   # the run
    health = monitor.health()                 # its windows, the run's lag p50/p95

`RenderRoom` keeps the embedded sandbox's sockets fed: a job does not start — its clock does not start — while the
sandbox's renders pile up, since a job started then would time the sandbox's render queue (the client's own work)
and, on a busy machine, time out on it ("no frame for 30 s") instead of measuring the imitated provider.
"""

from __future__ import annotations

import asyncio
import threading
import time
from types import TracebackType
from typing import Protocol

from harness.core.client_health import WINDOW_S, HealthWindow, RunHealth, lay_ticks, lay_waits
from harness.core.health_probes import CpuReading, LoopLag
from harness.core.quantiles import quantile
from harness.sandbox import SandboxHealth


class Watched(Protocol):
    """What the monitor reads of an embedded sandbox (`SandboxHandle.health`, `renders_waiting`)."""

    def health(self) -> SandboxHealth: ...

    def renders_waiting(self) -> int: ...


RENDER_ROOM = 2  # renders waiting at most when a job may start: its own render then waits behind two at most
ROOM_POLL_S = 0.02


class RenderRoom:
    """Holds each job back, before its clock starts, while `room` or more of the embedded sandbox's renders wait
    (None: no embedded sandbox, nothing held); counts the jobs held and the seconds they waited in all.

    Jobs pass one at a time, `poll_s` apart: a job's render reaches the sandbox's queue a moment after the job
    starts, and jobs let through together before any had would pile up behind the first (a run starts most of its
    jobs in its first second: measured, 190 of 260 passed an unspaced check before the queue held one)."""

    def __init__(self, sandbox: Watched | None, room: int = RENDER_ROOM, poll_s: float = ROOM_POLL_S) -> None:
        self.sandbox = sandbox
        self.room = room
        self.poll_s = poll_s
        self.held = 0
        self.held_s = 0.0
        self._turn = asyncio.Lock()

    async def wait(self) -> None:
        if self.sandbox is None:
            return
        await self._turn.acquire()
        try:
            if self.sandbox.renders_waiting() >= self.room:
                began = time.perf_counter()
                self.held += 1
                while self.sandbox.renders_waiting() >= self.room:
                    await asyncio.sleep(self.poll_s)  # the renders run on the sandbox's threads: polled
                self.held_s += time.perf_counter() - began
        finally:  # the next job's turn comes once this one's render has had a moment to be asked for
            asyncio.get_running_loop().call_later(self.poll_s, self._turn.release)


class HealthMonitor:
    """Watches the runner's loop (entered on it), the embedded sandbox (None: none, or one elsewhere) and the CPU
    from `origin` (a `time.perf_counter()` reading: the run's start) until the block ends."""

    def __init__(self, sandbox: Watched | None, origin: float, window_s: float = WINDOW_S) -> None:
        self.sandbox = sandbox
        self.origin = origin
        self.window_s = window_s
        self.lag = LoopLag()
        self.windows: list[HealthWindow] = []
        self._lags: list[float] = []  # every tick of the runner's loop, for the run's p50 and p95
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._cpu = CpuReading.now()
        self._closed_at = time.perf_counter()

    async def __aenter__(self) -> HealthMonitor:
        if self.sandbox is not None:
            self.sandbox.health()  # starts timing its loop; what came before the run is not the run's
        self._cpu = CpuReading.now()
        self._closed_at = time.perf_counter()
        self.lag.start()
        self._thread = threading.Thread(target=self._watch, name="tts-harness-health", daemon=True)
        self._thread.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """Close the last window and stop watching (idempotent)."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._thread = None
        self._close()
        self.lag.stop()

    def _watch(self) -> None:
        while not self._stop.wait(self.window_s):
            self._close()

    def _close(self) -> None:
        """End the current window now: its CPU figures and renders, then the ticks that ran in it."""
        now, cpu = time.perf_counter(), CpuReading.now()
        figures = cpu.since(self._cpu)
        window = HealthWindow(
            start_s=self._closed_at - self.origin,
            end_s=now - self.origin,
            process_cores=figures.process_cores,
            machine_busy=figures.machine_busy,
            waiting_threads=figures.waiting_threads,
        )
        self._cpu, self._closed_at = cpu, now
        reading = self.sandbox.health() if self.sandbox is not None else None
        if reading is not None:  # watched: a window no sandbox tick ran in (a short last one) stalled 0, not unknown
            window.renders_waiting = reading.renders.waiting_peak
            window.render_wait_max_ms = 0.0
            window.sandbox_stalled = 0.0
            window.sandbox_lag_max_ms = 0.0
        self.windows.append(window)
        ticks = self.lag.drain()
        self._lags.extend(lag * 1000 for _, lag in ticks)
        lay_ticks(self.windows, ticks, self.origin)
        if reading is not None:
            lay_ticks(self.windows, reading.ticks, self.origin, sandbox=True)
            lay_waits(self.windows, [(asked, waited) for asked, waited, _ in reading.renders.finished], self.origin)

    def health(self, room: RenderRoom | None = None) -> RunHealth:
        """The run's health; `room`: the jobs it held back for the sandbox's renders."""
        return RunHealth(
            windows=tuple(self.windows),
            lag_p50_ms=quantile(self._lags, 0.5),
            lag_p95_ms=quantile(self._lags, 0.95),
            held_jobs=room.held if room else 0,
            held_s=room.held_s if room else 0.0,
        )
