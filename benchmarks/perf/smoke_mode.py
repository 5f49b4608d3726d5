"""`--smoke`, every perf script's small mode: the whole measurement path at its smallest size (seconds, on the
fast sandbox profile where a sandbox serves), so the suite runs each script (tests/perf/test_perf_scripts_smoke.py)
and an interface change that breaks one fails CI. Its figures are a small sample; the full run is the measurement.

    args = smoke_mode.parse(parser, argv, items=1, profile="fast")
    ...
    return smoke_mode.verdict(missed_goals)     # each script's stated goal, checked on what it measured

With `--smoke` the given values become the options' defaults: an option the command line names still wins. Every
script checks its stated goal on what it measured, full run or smoke run alike (`verdict`: one line per goal
missed, exit 1), so a goal missed is a failing test, not a figure nobody reads.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

HELP = "a smoke run: every step at its smallest size, in seconds (figures meaningless)"


def parse(parser: argparse.ArgumentParser, argv: list[str] | None, **smallest: Any) -> argparse.Namespace:
    """The script's options from `argv` (the command line where None), the smoke run's sizes as defaults under
    `--smoke`."""
    parser.add_argument("--smoke", action="store_true", help=HELP)
    given = sys.argv[1:] if argv is None else argv
    if "--smoke" in given:
        parser.set_defaults(**smallest)
    return parser.parse_args(given)


def verdict(missed: list[str]) -> int:
    """Say each goal missed (stderr, one line each) and return the exit code: 0 when every goal held, else 1."""
    for line in missed:
        print(f"goal missed: {line}", file=sys.stderr)
    if not missed:
        print("goals held", file=sys.stderr)
    return 1 if missed else 0
