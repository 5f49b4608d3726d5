"""Print how fast the redactor cleans text: seconds per megabyte, and how the time grows with the size.

Every body, header and error the harness writes passes through `harness.core.redact.Redactor`, so it must
stay linear in the text's length (a quadratic scan of a 1 MB body takes minutes). Run:
python benchmarks/perf/redact_speed.py [--repeat N] [--smoke]. Prints medians of N runs (CPU seconds of the scanning
thread). The growth ratio (4 MB
against 1 MB) is about 4 for a linear scan, 16 for a quadratic one. Goal: linear, a growth of at most 8 (halfway to
quadratic), and a whole key cut at every size.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import time

import goals  # beside this script
import smoke_mode  # beside this script

from harness.core.redact import Redactor


def _median_s(redactor: Redactor, text: str, repeat: int) -> float:
    """The median CPU time of this thread over `repeat` scans: the growth is the scan's complexity, and a wall clock
    counts the scheduler's too (in a fresh clone's suite, medians of 3 and then of 15 wall-clock runs read as 8.2x and
    10.8x growth, a preempted scan's)."""
    times = []
    for _ in range(repeat):
        started = time.thread_time()
        redactor.text(text)
        times.append(time.thread_time() - started)
    return statistics.median(times)


GROWTH_GOAL = 8.0  # linear is 4, quadratic 16


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--megabyte", type=int, default=1_000_000, help="characters in the unit of size")
    # The smoke's texts take milliseconds: fifteen runs of 0.1 and 0.4 MB cost 0.5 s (their CPU time: above).
    args = smoke_mode.parse(parser, argv, repeat=15, megabyte=100_000)
    repeat = args.repeat
    rng = random.Random(7)
    keys = ["".join(rng.choice(string.ascii_letters + string.digits) for _ in range(40)) for _ in range(9)]
    redactor = Redactor(tuple(keys))
    figures = {}
    leaked = []
    with goals.Watch() as watch:
        for megabytes in (1, 4):
            text = "".join(rng.choice(string.printable) for _ in range(megabytes * args.megabyte))
            planted = text[: len(text) // 2] + keys[0][:10] + text[len(text) // 2 :]  # a fragment, mid-text
            figures[megabytes] = _median_s(redactor, planted, repeat)
            if keys[1] in redactor.text(planted + keys[1]):  # a whole key, appended (not timed): it must go
                leaked.append(f"a key survived redaction of {megabytes * args.megabyte:,} characters")
            print(
                f"{megabytes * args.megabyte / 1e6:g} MB with one planted key fragment   "
                f"{figures[megabytes]:8.3f} CPU-s (median of {repeat})"
            )
    growth = figures[4] / figures[1]
    print(f"growth, 4 MB / 1 MB                      {growth:8.2f}   (linear: 4)")
    slow = [f"growth {growth:.1f} > {GROWTH_GOAL:g}: not linear"] if growth > GROWTH_GOAL else []
    return goals.verdict(leaked, slow, watch)


if __name__ == "__main__":
    raise SystemExit(main())
