"""Probes of this process's own health while it measures something else: how late its event loops run their
timers, and how much CPU it and the machine use, and how long its threads wait for one.

A benchmark client that shares its cores with the system it times (the runner and the embedded sandbox in one
process, on a machine other work also uses) measures its own stalls as the provider's latency. These probes say
when that happened (`harness.core.client_health` turns their readings into the verdict). They cost little: one
timer every `TICK_S` on each loop watched, a few /proc reads a second; no dependency beyond the standard library
(psutil would read the same files).

    lag = LoopLag(); lag.start()          # on the running loop (or `await lag.run()` in a task of one's own)
    ticks = lag.drain()                   # [(when, lag_s), ...] since the last drain
    cpu = CpuReading.now()                # and `cpu.since(earlier)`: the figures over the time between

Where /proc is missing (not Linux) the CPU figures are None; the loop's lag is measured everywhere.
"""

from __future__ import annotations

import asyncio
import collections
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TICK_S = 0.05  # a timer every 50 ms: a stall of a tenth of a second shows, at 20 wakeups a second
Tick = tuple[float, float]  # (when the timer ran, seconds past its due time), on `time.perf_counter`


class LoopLag:
    """A periodic timer on one event loop; how late each tick ran past its due time is the loop's lag then.

    A loop that is busy (a long callback, a thread holding the GIL, a process starved of CPU) runs its timers
    late by exactly as long as it could not run anything else, so the lag is what every other callback of that
    loop met too: a response read, a frame written. Thread-safe: ticks are recorded on the loop, drained from
    any thread."""

    def __init__(self, interval_s: float = TICK_S, clock: Callable[[], float] = time.perf_counter) -> None:
        if interval_s <= 0:
            raise ValueError(f"a tick interval is positive, got {interval_s}")
        self.interval_s = interval_s
        self.clock = clock
        # Bounded (ten minutes of ticks): a loop nobody drains must not grow without end.
        self._ticks: collections.deque[Tick] = collections.deque(maxlen=round(600 / interval_s))
        self._lock = threading.Lock()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> asyncio.Task[None]:
        """Tick on the running loop until `stop` (or until the task is cancelled)."""
        self._task = asyncio.get_running_loop().create_task(self.run(), name="loop-lag")
        return self._task

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def record(self, when: float, lag_s: float) -> None:
        with self._lock:
            self._ticks.append((when, max(0.0, lag_s)))

    def __len__(self) -> int:
        """Ticks recorded and not drained yet."""
        with self._lock:
            return len(self._ticks)

    def drain(self) -> list[Tick]:
        """The ticks since the last drain, oldest first."""
        with self._lock:
            ticks = list(self._ticks)
            self._ticks.clear()
        return ticks

    async def run(self) -> None:
        """Tick until cancelled."""
        due = self.clock() + self.interval_s
        while True:
            await asyncio.sleep(max(0.0, due - self.clock()))
            now = self.clock()
            self.record(now, now - due)
            due = now + self.interval_s


_PROC = Path("/proc")


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:
        return None


def _machine_jiffies() -> tuple[int, int] | None:
    """(busy, total) CPU time of the whole machine from /proc/stat's first line (every core), in jiffies."""
    text = _read(_PROC / "stat")
    if not text or not text.startswith("cpu "):
        return None
    values = [int(v) for v in text.split("\n", 1)[0].split()[1:]]
    # user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is counted in user already
    total = sum(values[:8])
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return total - idle, total


def _run_delay_s() -> float | None:
    """Seconds this process's threads have waited on a run queue for a CPU, summed over its live threads
    (/proc/self/task/*/schedstat, second field, in ns). Threads that ended take their waits with them, so this
    is read over short windows (a second), where few do."""
    tasks = _PROC / "self" / "task"
    try:
        names = os.listdir(tasks)
    except OSError:
        return None
    waited = 0
    for name in names:
        text = _read(tasks / name / "schedstat")
        if text:
            parts = text.split()
            if len(parts) >= 2:
                waited += int(parts[1])
    return waited / 1e9


@dataclass(frozen=True, slots=True)
class CpuReading:
    """Cumulative CPU counters at one instant; `since` turns two of them into the figures between."""

    at: float  # time.perf_counter()
    process_s: float  # CPU seconds of this process, every thread (os.times)
    machine: tuple[int, int] | None  # (busy, total) jiffies of every core (/proc/stat)
    run_delay_s: float | None  # seconds its threads waited for a CPU (/proc/self/task/*/schedstat)

    @classmethod
    def now(cls) -> CpuReading:
        times = os.times()
        return cls(time.perf_counter(), times.user + times.system, _machine_jiffies(), _run_delay_s())

    def since(self, earlier: CpuReading) -> CpuFigures:
        span = self.at - earlier.at
        if span <= 0:
            return CpuFigures(None, None, None)
        machine = None
        if self.machine is not None and earlier.machine is not None:
            total = self.machine[1] - earlier.machine[1]
            machine = (self.machine[0] - earlier.machine[0]) / total if total > 0 else None
        waiting = None
        if self.run_delay_s is not None and earlier.run_delay_s is not None:
            waiting = max(0.0, self.run_delay_s - earlier.run_delay_s) / span
        return CpuFigures((self.process_s - earlier.process_s) / span, machine, waiting)


@dataclass(frozen=True, slots=True)
class CpuFigures:
    """CPU over a stretch of time: this process's use in cores, the machine's busy share (0–1, all cores), and
    how many of this process's threads waited for a CPU on average (0: none ever waited)."""

    process_cores: float | None
    machine_busy: float | None
    waiting_threads: float | None
