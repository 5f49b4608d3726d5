"""How well `tts-harness history` finds a change on series like real nightly ones, measured with the code the
command runs (`harness.history.changes.find_changes`, latency's log scale):

    false alarms   series without a change, three kinds of run-to-run noise on the log scale (normal; Student t
                   with 3 degrees of freedom, heavy tails; lognormal shocks, heavy on the slow side only), with
                   0, 1 and 2 transient runs (+1 s on a 0.8 s level: a cold start, a provider's bad hour) at
                   random places of the history: the share of series flagged, against the stated rate (`ALPHA`)
    detection      steps of +20%, +50% and x10 starting at the newest run (found on the first night: the newest
                   run flagged) and 3 runs back (found at its run, +-1: segmentation dates it), the same noises
                   and transients
    first night    the smallest step the newest-run gate finds in 90% of series, by noise level and history
                   length (normal noise, one transient in the history)
    calibration    the newest-run gate's statistic calibrated on normal noise (what it does) or on Student t
                   noise (3 degrees of freedom): its false alarms and first-night detection on each noise

Every table is printed as Markdown (docs/history.md quotes them). Goals, checked by every run (the smoke run's few
series too; the draws are seeded, so a run's verdict is its own every time): under normal noise without transients,
no more series flagged than the stated rate allows (`ALPHA`, at the 0.1% tail of the binomial over the series run),
and a x10 step at the newest run found that night in 99% of series (the rate `harness.history.analysis.METHOD`
states, at the same tail). A run that misses one says so and exits 1. Runs in about two minutes on 2 cores:

    python benchmarks/perf/history_detection.py [--runs 20] [--repeats 2000] [--workers 2] [--smoke]
"""

from __future__ import annotations

import argparse
import time
import zlib
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass

import goals  # beside this script
import numpy as np
import smoke_mode  # beside this script

from harness.history.changes import ALPHA, _prediction_statistic, find_changes

LEVEL_S = 0.8  # a latency level (seconds)
TRANSIENT_S = 1.0  # added to a transient run
SIGMA = 0.05  # run-to-run noise on the log scale: 5%
STEPS = {"+20%": 1.2, "+50%": 1.5, "x10": 10.0}
TRANSIENT_COUNTS = (0, 1, 2)
POWER = 0.9  # "found": in this share of series
FIRST_NIGHT_SIGMAS = (0.02, 0.05, 0.10, 0.20)
FIRST_NIGHT_HISTORIES = (5, 10, 20, 30)
LARGEST_STEP = 20.0  # the first night's bisection looks no further


def _normal(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.standard_normal(size)


def _student_t(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.standard_t(3, size)


def _lognormal_shocks(rng: np.random.Generator, size: int) -> np.ndarray:
    return np.exp(rng.standard_normal(size)) - 1.0  # median 0, a long tail on the slow side


NOISES: dict[str, Callable[[np.random.Generator, int], np.ndarray]] = {
    "normal": _normal,
    "Student t (3 df)": _student_t,
    "lognormal shocks": _lognormal_shocks,
}


@dataclass(frozen=True, slots=True)
class Cell:
    noise: str
    transients: int
    runs: int
    repeats: int
    sigma: float = SIGMA
    factor: float = 1.0
    step_at: int | None = None  # index where the new level starts


def _series(cell: Cell, rng: np.random.Generator) -> np.ndarray:
    values = LEVEL_S * np.exp(cell.sigma * NOISES[cell.noise](rng, cell.runs))
    end = cell.step_at if cell.step_at is not None else cell.runs - 1  # transients are in the history
    values[rng.choice(end, size=cell.transients, replace=False)] += TRANSIENT_S
    if cell.step_at is not None:
        values[cell.step_at :] *= cell.factor
    return values


def run_cell(cell: Cell) -> dict[str, float]:
    """Shares of `cell.repeats` series: any change flagged; flagged by each test; the step found where it starts
    (+-1 run); the newest run flagged."""
    # The same draws for every step size of a cell (the factor is left out of the seed): power then grows with
    # the step on every series, which the first night's bisection needs.
    rng = np.random.default_rng(
        zlib.crc32(repr((cell.noise, cell.transients, cell.runs, cell.sigma, cell.step_at)).encode())
    )
    counts = dict.fromkeys(("any", "segmentation", "newest run", "dated", "newest"), 0)
    for repeat in range(cell.repeats):
        changes = find_changes(list(_series(cell, rng)), log_scale=True, seed=repeat)
        counts["any"] += bool(changes)
        for method in ("segmentation", "newest run"):
            counts[method] += any(c.method == method for c in changes)
        counts["newest"] += any(c.index == cell.runs - 1 for c in changes)
        if cell.step_at is not None:
            counts["dated"] += any(abs(c.index - cell.step_at) <= 1 for c in changes)
    return {key: value / cell.repeats for key, value in counts.items()}


def smallest_first_night_step(sigma: float, history: int, repeats: int) -> float:
    """The smallest factor found on the first night in `POWER` of series, by bisection on its logarithm."""
    low, high = 0.0, np.log(LARGEST_STEP)
    for _ in range(9):
        middle = (low + high) / 2
        power = run_cell(Cell("normal", 1, history + 1, repeats, sigma, float(np.exp(middle)), history))["newest"]
        low, high = (low, middle) if power >= POWER else (middle, high)
    return float(np.exp(high))


def _percent(share: float) -> str:
    return f"{share:.1%}"


def false_alarm_table(runs: int, repeats: int, pool: Executor) -> list[str]:
    cells = [Cell(noise, count, runs, repeats) for noise in NOISES for count in TRANSIENT_COUNTS]
    rows = [
        f"| noise (5% scale) | transients | flagged (stated: at most {ALPHA:.0%}) | by segmentation | "
        "by the newest-run gate |",
        "| --- | --- | --- | --- | --- |",
    ]
    for cell, shares in zip(cells, pool.map(run_cell, cells), strict=True):
        rows.append(
            f"| {cell.noise} | {cell.transients} | {_percent(shares['any'])} | "
            f"{_percent(shares['segmentation'])} | {_percent(shares['newest run'])} |"
        )
    return rows


def detection_table(runs: int, repeats: int, pool: Executor) -> list[str]:
    where = {"newest run (first night: flagged)": runs - 1, "3 runs back (dated at its run +-1)": runs - 3}
    cells = [
        Cell(noise, count, runs, repeats, SIGMA, factor, at)
        for noise in NOISES
        for count in TRANSIENT_COUNTS
        for at in where.values()
        for factor in STEPS.values()
    ]
    shares = dict(zip(cells, pool.map(run_cell, cells), strict=True))
    header = " | ".join(f"{name} {label}" for label in ("now", "3 back") for name in STEPS)
    rows = [f"| noise (5% scale) | transients | {header} |", "| --- | --- |" + " --- |" * 2 * len(STEPS)]
    for noise in NOISES:
        for count in TRANSIENT_COUNTS:
            found = []
            for at in where.values():
                key = "newest" if at == runs - 1 else "dated"
                found += [
                    _percent(shares[Cell(noise, count, runs, repeats, SIGMA, factor, at)][key])
                    for factor in STEPS.values()
                ]
            rows.append(f"| {noise} | {count} | " + " | ".join(found) + " |")
    return rows


def _step(factor: float) -> str:
    return f"above x{LARGEST_STEP:.0f}" if factor >= LARGEST_STEP * 0.999 else f"+{factor - 1:.0%}"


def first_night_table(repeats: int, pool: Executor) -> list[str]:
    pairs = [(sigma, history) for sigma in FIRST_NIGHT_SIGMAS for history in FIRST_NIGHT_HISTORIES]
    found = dict(
        zip(pairs, pool.map(smallest_first_night_step, *zip(*pairs, strict=True), [repeats] * len(pairs)), strict=True)
    )
    rows = [
        "| run-to-run noise | " + " | ".join(f"{h} runs before" for h in FIRST_NIGHT_HISTORIES) + " |",
        "| --- |" + " --- |" * len(FIRST_NIGHT_HISTORIES),
    ]
    for sigma in FIRST_NIGHT_SIGMAS:
        rows.append(f"| {sigma:.0%} | " + " | ".join(_step(found[(sigma, h)]) for h in FIRST_NIGHT_HISTORIES) + " |")
    return rows


def calibration_table(runs: int, repeats: int) -> list[str]:
    """The gate alone (its statistic, vectorised), on `runs - 1` runs of history with one transient: the critical
    value at `ALPHA / 2` from normal noise or from Student t noise, and what each gives on every noise."""
    rng = np.random.default_rng(zlib.crc32(b"calibration"))
    history = runs - 1

    def statistic(noise: str, factor: float) -> np.ndarray:
        draws = NOISES[noise](rng, repeats * runs).reshape(repeats, runs)
        values = LEVEL_S * np.exp(SIGMA * draws)
        values[np.arange(repeats), rng.integers(0, history, repeats)] += TRANSIENT_S
        values[:, -1] *= factor
        logs = np.log(values)
        return _prediction_statistic(logs[:, :-1], logs[:, -1])

    critical = {}
    for noise in ("normal", "Student t (3 df)"):
        draws = NOISES[noise](rng, 4 * repeats * runs).reshape(4 * repeats, runs)
        critical[noise] = float(np.quantile(_prediction_statistic(draws[:, :-1], draws[:, -1]), 1 - ALPHA / 2))
    rows = [
        "| calibrated on | noise (5% scale) | false alarms (newest-run gate) | +20% first night | +50% first night |",
        "| --- | --- | --- | --- | --- |",
    ]
    for calibration, value in critical.items():
        for noise in NOISES:
            shares = [float(np.mean(statistic(noise, factor) > value)) for factor in (1.0, *STEPS.values())][:3]
            rows.append(f"| {calibration} | {noise} | " + " | ".join(map(_percent, shares)) + " |")
    return rows


STATED_X10_FIRST_NIGHT = 0.99  # harness.history.analysis.METHOD: "+50% and x10 in over 99%"
TAIL = 0.001  # how far into the binomial's tail a count may fall before the stated rate is called missed


def missed(runs: int, repeats: int, detection_repeats: int) -> list[str]:
    """The two stated rates, measured on this run's series (see the module's goals)."""
    from scipy import stats

    said = []
    alarms = round(run_cell(Cell("normal", 0, runs, repeats))["any"] * repeats)
    allowed = int(stats.binom.ppf(1 - TAIL, repeats, ALPHA))
    if alarms > allowed:
        said.append(f"{alarms} of {repeats} series without a change flagged (at most {allowed} at {ALPHA:.0%})")
    found = round(
        run_cell(Cell("normal", 0, runs, detection_repeats, SIGMA, STEPS["x10"], runs - 1))["newest"]
        * detection_repeats
    )
    needed = int(stats.binom.ppf(TAIL, detection_repeats, STATED_X10_FIRST_NIGHT))
    if found < needed:
        said.append(
            f"a x10 step at the newest run found that night in {found} of {detection_repeats} series "
            f"(at least {needed} at {STATED_X10_FIRST_NIGHT:.0%})"
        )
    return said


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=20, help="runs in each series (the newest included)")
    parser.add_argument("--repeats", type=int, default=2000, help="series per false-alarm cell")
    parser.add_argument("--detection-repeats", type=int, default=400, help="series per detection cell")
    parser.add_argument("--first-night-repeats", type=int, default=300, help="series per bisection step")
    parser.add_argument("--workers", type=int, default=2)
    options = smoke_mode.parse(parser, argv, runs=8, repeats=2, detection_repeats=1, first_night_repeats=1, workers=1)
    started = time.perf_counter()
    # One worker: this process's own thread, no fork (a smoke run inside the test suite's threaded workers).
    pool: Executor = ProcessPoolExecutor(options.workers) if options.workers > 1 else ThreadPoolExecutor(1)
    with pool:
        print(f"False alarms: {options.repeats} series of {options.runs} runs per row, no change\n")
        print("\n".join(false_alarm_table(options.runs, options.repeats, pool)))
        print(f"\nDetection: {options.detection_repeats} series of {options.runs} runs per cell, the step found\n")
        print("\n".join(detection_table(options.runs, options.detection_repeats, pool)))
        print(
            f"\nFirst night: the smallest step the newest-run gate finds in {POWER:.0%} of series "
            f"(normal noise, one transient in the history; {options.first_night_repeats} series a step)\n"
        )
        print("\n".join(first_night_table(options.first_night_repeats, pool)))
    print(f"\nThe gate's calibration: {options.repeats * 10} series of {options.runs} runs per row, one transient\n")
    print("\n".join(calibration_table(options.runs, options.repeats * 10)))
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return goals.verdict(missed(options.runs, options.repeats, max(options.detection_repeats, 1)))


if __name__ == "__main__":
    raise SystemExit(main())
