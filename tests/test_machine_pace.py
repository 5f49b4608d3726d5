"""The suite's summary says the machine's pace beside its time (tests.helpers.machine_pace)."""

from __future__ import annotations

from tests.helpers.machine_pace import ADDITIONS, loop_cpu_ms, say


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def write_line(self, line: str) -> None:
        self.lines.append(line)


def test_the_loop_takes_cpu_time_and_the_line_says_both_ends() -> None:
    taken = loop_cpu_ms()
    assert 1.0 < taken < 60_000.0  # two million additions: never free, never a minute
    written = _Lines()
    say(written, 312.4, 298.6)
    assert written.lines == [
        f"machine pace: {ADDITIONS:,} additions in pure Python took 312 ms of CPU at the session's start and 299 ms "
        "at its end (compare suite times at like paces: docs/measurements.md)"
    ]
