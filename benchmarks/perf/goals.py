"""Every perf script's stated goal, checked on what it measured — the full run and the smoke run alike
(tests/perf/test_perf_scripts_smoke.py asserts it on the smoke run's small sample) — and the measuring process's own
health while it measured.

    with goals.Watch() as watch:
        ...                                              # the measurement
    return goals.verdict(missed, timing=late, watch=watch)

A goal states its direction (`Goal`: at least a bound, or no worse than one): `asr_throughput.py` once called its
accuracy goal missed when the default path was *better* than openai-whisper (a WER goal written as a distance, with
no direction).

`missed` are goals that hold on any machine (a count, a coverage, an exact match); `timing` are goals about how
fast or how precisely time was measured, which a process starved of CPU misses through no fault of what it measures.
A `Watch` times a timer on a thread of its own (`harness.core.health_probes.LoopLag`, on a loop of its own) in
one-second windows, judged by the client-health rule (`harness.core.client_health`): when the process was
saturated while it measured, the timing goals are reported as not judged, with the line saying why, instead of
as missed; the other goals are judged always.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import TracebackType

from harness.core.client_health import WINDOW_S, HealthWindow, RunHealth, lay_ticks
from harness.core.health_probes import LoopLag
from harness.core.quantiles import quantile


class Direction(StrEnum):
    """Which side of its bound a goal holds on: every goal says it, so a better value never misses it."""

    AT_LEAST = "at least"  # higher is better: a speed, a ratio, a share caught
    NO_WORSE_THAN = "no worse than"  # lower is better: an error rate, a difference from a reference, a time


@dataclass(frozen=True, slots=True)
class Goal:
    """A measured figure's goal: `what` is measured, in `unit`, and holds `direction` of `bound`."""

    what: str
    direction: Direction
    bound: float
    unit: str = ""

    def holds(self, value: float) -> bool:
        return value >= self.bound if self.direction is Direction.AT_LEAST else value <= self.bound

    def line(self, value: float, digits: int = 2) -> str:
        """ "default against openai-whisper 9.90x (goal: at least 4x)": the value and the goal with its direction."""
        return f"{self.what} {value:.{digits}f}{self.unit} (goal: {self.direction} {self.bound:g}{self.unit})"

    def missed(self, value: float, digits: int = 2) -> list[str]:
        """The goal's line where `value` misses it, else nothing (what `verdict` takes)."""
        return [] if self.holds(value) else [self.line(value, digits)]


class Watch:
    """The measuring process's health while the block runs (`health`, `saturated`, `line`)."""

    def __init__(self) -> None:
        self._lag = LoopLag()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="perf-watch", daemon=True)
        self._started = threading.Event()
        self.origin = 0.0
        self.health = RunHealth(windows=())
        self.noted: list[str] = []  # saturation seen by another probe (a run's own stored health)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.call_soon(self._started.set)
        self._loop.run_until_complete(self._ticking())

    async def _ticking(self) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            await self._lag.run()

    def __enter__(self) -> Watch:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> Watch:
        """Start watching (what `with` does; for a measurement that is not one block)."""
        self.origin = time.perf_counter()
        self._thread.start()
        self._started.wait()
        return self

    def stop(self) -> None:
        """Stop watching and judge what was seen (`health`)."""
        end = time.perf_counter()
        self._loop.call_soon_threadsafe(lambda: [task.cancel() for task in asyncio.all_tasks(self._loop)])
        self._thread.join()
        self._loop.close()
        ticks = self._lag.drain()
        span = end - self.origin
        windows = [
            HealthWindow(start_s=start, end_s=min(span, start + WINDOW_S))
            for start in (i * WINDOW_S for i in range(max(1, int(span / WINDOW_S + 0.999999))))
        ]
        lay_ticks(windows, ticks, self.origin)
        lags = [lag * 1000 for _, lag in ticks]
        self.health = RunHealth(windows=tuple(windows), lag_p50_ms=quantile(lags, 0.5), lag_p95_ms=quantile(lags, 0.95))

    def note(self, line: str | None) -> None:
        """Saturation another probe saw while this one watched (a benchmark run's own `runs.client_saturated`,
        `harness.results.saturation`): the process was saturated when either says so."""
        if line:
            self.noted.append(line)

    @property
    def saturated(self) -> bool:
        return self.health.named or bool(self.noted)

    def line(self) -> str:
        """Why the timing goals were not judged, in words."""
        if self.noted and not self.health.named:
            return self.noted[0].split(": latency here")[0]
        share, worst = self.health.share or 0.0, self.health.worst()
        lag = "" if self.health.lag_p50_ms is None else f"; its timer late by {self.health.lag_p50_ms:,.0f} ms p50"
        most = f", up to {worst['lag_max_ms'] / 1000:,.1f} s" if "lag_max_ms" in worst else ""
        return f"the measuring process was saturated for {share:.0%} of its time{lag}{most}"


def verdict(
    missed: Sequence[str], timing: Sequence[str] = (), watch: Watch | None = None, unjudged: Sequence[str] = ()
) -> int:
    """Say each goal missed (stderr, one line each) and return the exit code: 0 when every goal judged held, else 1.
    `timing` goals missed while `watch` saw the process saturated are said as not judged, and do not fail;
    `unjudged` names goals the sample is too small to judge at all (a smoke run's), with why."""
    for line in unjudged:
        print(f"goal not judged: {line}", file=sys.stderr)
    failed = list(missed)
    if timing and watch is not None and watch.saturated:
        for line in timing:
            print(f"goal not judged ({watch.line()}): {line}", file=sys.stderr)
    else:
        failed += timing
    for line in failed:
        print(f"goal missed: {line}", file=sys.stderr)
    if not failed:
        print(
            "goals held"
            + (
                " (the timing goals not judged: the client was saturated)"
                if timing and watch is not None and watch.saturated
                else ""
            ),
            file=sys.stderr,
        )
    return 1 if failed else 0
