"""The machine's pace, said beside the suite's time: this project's 2-core machines ran the same pure-Python loop
between 1.9 and 3.5 s in one day (a shared host's speed moves by half, minute to minute), and the suite's time moved
with it (docs/measurements.md, "The suite's time"). A suite's time read without the pace it ran at compares two
machines, not two checkouts. The controller of a parallel session (`python -m pytest`) times the loop at the session's
start and end and says both in its summary (the root conftest); a pytest a test starts, in one process, does not."""

from __future__ import annotations

import time
from typing import Protocol

ADDITIONS = 2_000_000  # inside a function (fast local names): 59–145 ms of CPU on this project's 2-core machines


class Writer(Protocol):
    def write_line(self, line: str) -> None: ...


def loop_cpu_ms() -> float:
    """The CPU milliseconds this process takes to add ADDITIONS integers in pure Python: CPU time, not the wall
    clock, so the suite's own workers competing for the cores do not make the machine look slower than it is."""
    start = time.process_time()
    total = 0
    for number in range(ADDITIONS):
        total += number
    return (time.process_time() - start) * 1000.0


def say(writer: Writer, start_ms: float, end_ms: float) -> None:
    """The summary's line: the loop's CPU time at the session's start and at its end."""
    writer.write_line(
        f"machine pace: {ADDITIONS:,} additions in pure Python took {start_ms:.0f} ms of CPU at the session's start "
        f"and {end_ms:.0f} ms at its end (compare suite times at like paces: docs/measurements.md)"
    )
