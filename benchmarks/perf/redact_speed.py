"""Print how fast the redactor cleans text: seconds per megabyte, and how the time grows with the size.

Every body, header and error the harness writes passes through `harness.core.redact.Redactor`, so it must
stay linear in the text's length (a quadratic scan of a 1 MB body takes minutes). Run:
python benchmarks/perf/redact_speed.py [--repeat N] [--smoke]. Prints medians of N runs; nothing is asserted. The
growth ratio (4 MB against 1 MB) is about 4 for a linear scan, 16 for a quadratic one.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import time

import smoke_mode  # beside this script

from harness.core.redact import Redactor


def _median_s(redactor: Redactor, text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        redactor.text(text)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--megabyte", type=int, default=1_000_000, help="characters in the unit of size")
    args = smoke_mode.parse(parser, argv, repeat=1, megabyte=10_000)
    repeat = args.repeat
    rng = random.Random(7)
    keys = ["".join(rng.choice(string.ascii_letters + string.digits) for _ in range(40)) for _ in range(9)]
    redactor = Redactor(tuple(keys))
    figures = {}
    for megabytes in (1, 4):
        text = "".join(rng.choice(string.printable) for _ in range(megabytes * args.megabyte))
        planted = text[:len(text) // 2] + keys[0][:10] + text[len(text) // 2:]  # a fragment, mid-text
        figures[megabytes] = _median_s(redactor, planted, repeat)
        print(f"{megabytes * args.megabyte / 1e6:g} MB with one planted key fragment   {figures[megabytes]:8.3f} s "
              f"(median of {repeat})")
    print(f"growth, 4 MB / 1 MB                      {figures[4] / figures[1]:8.2f}   (linear: 4)")


if __name__ == "__main__":
    main()
