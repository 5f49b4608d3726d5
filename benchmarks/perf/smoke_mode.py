"""`--smoke`, every perf script's small mode: the whole measurement path at its smallest size (seconds, on the
fast sandbox profile where a sandbox serves), so the suite runs each script (tests/perf/test_perf_scripts_smoke.py)
and an interface change that breaks one fails CI. Its figures are a small sample; the full run is the measurement.

    args = smoke_mode.parse(parser, argv, items=1, profile="fast")

With `--smoke` the given values become the options' defaults: an option the command line names still wins. Every
script checks its stated goal on what it measured, the smoke run's small sample included (`goals.verdict`: one line
per goal missed, exit 1), so a goal missed is a failing test, not a figure nobody reads.
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
