"""The sandbox's notion of time: every job timeline, rate-limit window and webhook retry reads it.

Job states are *computed* from a timeline and the current clock reading, never slept through, so the
same code serves three needs: a real monotonic clock for servers and benchmarks, and a `ManualClock` that
tests advance explicitly (over the control API or in process) to walk a job through its states without
waiting. Readings are seconds on a monotonic scale; `wall()` maps a reading to the UTC datetime the
server reports in its timestamps, so server timestamps and true state-change times agree exactly.

Asynchronous waiters (`sleep_until`) are woken by a manual clock's `advance` from any thread.
"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """What the sandbox needs of time."""

    def now(self) -> float:
        """Seconds on a monotonic scale."""
        ...

    def wall(self, reading: float | None = None) -> datetime:
        """The aware UTC datetime of a reading (default: now)."""
        ...

    async def sleep_until(self, reading: float) -> None:
        """Return once `now() >= reading`."""
        ...


class RealClock:
    """The process's monotonic clock, anchored to the wall clock once so timestamps never jump."""

    def __init__(self) -> None:
        self._mono0 = time.monotonic()
        self._wall0 = datetime.now(UTC)

    def now(self) -> float:
        return time.monotonic()

    def wall(self, reading: float | None = None) -> datetime:
        at = self.now() if reading is None else reading
        return self._wall0 + timedelta(seconds=at - self._mono0)

    async def sleep_until(self, reading: float) -> None:
        delay = reading - self.now()
        if delay > 0:
            await asyncio.sleep(delay)


class ManualClock:
    """A clock that moves only when told to: `advance(seconds)` or `set(reading)`. Thread-safe.

    It starts at reading 0.0, which maps to `start` (default: the real time of creation, so timestamps
    look current). Coroutines sleeping on it are woken on their own event loops when time passes them.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._reading = 0.0
        self._wall0 = (start or datetime.now(UTC)).astimezone(UTC)
        self._lock = threading.Lock()
        self._waiters: list[tuple[float, asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    def now(self) -> float:
        with self._lock:
            return self._reading

    def wall(self, reading: float | None = None) -> datetime:
        at = self.now() if reading is None else reading
        return self._wall0 + timedelta(seconds=at)

    def advance(self, seconds: float) -> float:
        """Move forward by `seconds` (>= 0); returns the new reading."""
        if seconds < 0:
            raise ValueError(f"a clock only moves forward; got advance({seconds})")
        with self._lock:
            self._reading += seconds
            reading = self._reading
        self._wake(reading)
        return reading

    def set(self, reading: float) -> float:
        """Jump to `reading`, which must not be in the past."""
        with self._lock:
            if reading < self._reading:
                raise ValueError(f"a clock only moves forward; it reads {self._reading}, asked for {reading}")
            self._reading = reading
        self._wake(reading)
        return reading

    async def sleep_until(self, reading: float) -> None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if self._reading >= reading:
                return
            self._waiters.append((reading, loop, future))
        try:
            await future
        finally:
            with self._lock:
                self._waiters = [w for w in self._waiters if w[2] is not future]

    def _wake(self, reading: float) -> None:
        with self._lock:
            due = [w for w in self._waiters if w[0] <= reading]
            self._waiters = [w for w in self._waiters if w[0] > reading]
        for _, loop, future in due:
            # The waiter's loop may already be closed when a server has stopped; nothing to wake then.
            if not loop.is_closed():
                loop.call_soon_threadsafe(_resolve, future)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
