"""How late an event loop's timers fire right now: the tolerance of a timing assertion on a shared
machine is measured, not guessed (a loaded CI runner wakes timers later than an idle laptop)."""

from __future__ import annotations

import asyncio
import time

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
