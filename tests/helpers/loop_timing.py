"""How late an event loop's timers fire right now: the tolerance of a timing assertion on a shared
machine is measured, not guessed (a loaded CI runner wakes timers later than an idle laptop), and it is
measured while the timed work runs, not only before it (a stall that starts mid-replay is the loop's,
not the replay's)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

FLOOR_MS = 5.0  # the tolerance on an idle machine


async def timer_lateness_ms(samples: int = 20, interval_s: float = 0.005) -> float:
    """The worst lateness of `samples` timer waits of `interval_s`, in ms, on the running loop."""
    worst = 0.0
    for _ in range(samples):
        due = time.monotonic() + interval_s
        await asyncio.sleep(interval_s)
        worst = max(worst, time.monotonic() - due)
    return worst * 1000.0


async def tolerance_ms() -> float:
    """The floor plus three times the loop's current worst lateness (a release and a read each wait on it)."""
    return FLOOR_MS + 3.0 * await timer_lateness_ms()


class Watch:
    """The worst timer lateness seen so far by a watcher task (see `watched`), in ms."""

    def __init__(self) -> None:
        self.worst_ms = 0.0


@contextlib.asynccontextmanager
async def watched(interval_s: float = 0.002) -> AsyncIterator[Watch]:
    """Watch the running loop's timer lateness for the duration of the block: any stall of the process
    (descheduled, a GC pause, a neighbour's burst) delays this watcher's timers as much as the work's."""
    watch = Watch()

    async def tick() -> None:
        while True:
            due = time.monotonic() + interval_s
            await asyncio.sleep(interval_s)
            watch.worst_ms = max(watch.worst_ms, (time.monotonic() - due) * 1000.0)

    task = asyncio.create_task(tick())
    try:
        yield watch
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
