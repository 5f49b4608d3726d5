"""A changed reading, caught: the sandbox read the year items of en_hard, then told (drift control) to read
years digit by digit, read them again; prints the year category's figures of both runs and `compare`'s verdict.

    python benchmarks/perf/hard_text_drift.py [--corpus en_hard] [--items 12] [--out DIR]

Goal: the change is caught — `compare` calls the category a regression (where both runs judged enough items for
it to rule), and on any sample every item the drifted run judged failed as read digit by digit (the reading it was
told to make), where the first run read none so. A run that misses it says so and exits 1.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import goals  # beside this script
import httpx
import smoke_mode  # beside this script

from harness import benchmark
from harness.checks.read_right import figures as hard_text_figures
from harness.core.corpora import available
from harness.report.compare import Comparison, Metric, Ruling, compare_runs, render_text
from harness.results import read_run
from harness.runner.plan.config import BenchConfig
from harness.sandbox import running


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="en_hard", help="a hard-text corpus name or file")
    parser.add_argument("--category", default="year")
    parser.add_argument("--items", type=int, default=12)
    # A fresh folder by default: a store left by another version (another branch's schema) is not this run's
    parser.add_argument("--out", type=Path, default=None, help="the runs' folder (default: a new temporary one)")
    args = smoke_mode.parse(parser, argv, items=2)
    args.out = args.out or Path(tempfile.mkdtemp(prefix="hard-text-drift-"))
    source = available().get(args.corpus) or Path(args.corpus)
    corpus = json.loads(source.read_text(encoding="utf-8"))
    corpus["items"] = [item for item in corpus["items"] if item["category"] == args.category][: args.items]
    corpus["name"] = f"{corpus['name']}_{args.category}"
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{corpus['name']}.json"
    path.write_text(json.dumps(corpus), encoding="utf-8")
    runs = []
    drifted: list[tuple[int, int, int]] = []  # per run: items judged, failing as digit by digit, judged in all
    with running("fast", 7, providers=("openai",)) as served:
        for misread in ([], ["year-digit-by-digit"]):
            httpx.post(served.url + "/_sandbox/drift", json={"misread": misread}).raise_for_status()
            result = benchmark.run(
                BenchConfig(
                    out=args.out,
                    providers=("openai",),
                    models=("tts-1",),  # type: ignore[call-arg]
                    corpus=(str(path),),
                    target=served.url,
                    budget=1.0,
                    dnsmos=False,
                    report=False,
                )
            )
            runs.append(result.run_id)
            # the check's figures per category, from the run's stored rows (the summary computes none of them)
            for figure in hard_text_figures(read_run(result.db_path, result.run_id)):
                accuracy = figure.accuracy
                drifted.append(
                    (accuracy.trials, sum(r.error == "year-digit-by-digit" for r in figure.failures), figure.items)
                )
                print(
                    f"misread={misread or 'none'}: {figure.category} {accuracy.successes}/{accuracy.trials} "
                    f"judged of {figure.items} ({accuracy.low:.2f}-{accuracy.high:.2f}); failing: "
                    + "; ".join(f"{r.item_id} {r.heard!r} ({r.error})" for r in figure.failures[:3])
                )
    db = args.out / "runs.db"
    comparison = compare_runs(read_run(db, runs[0]), read_run(db, runs[1]), fail_on=(Metric.HARD_TEXT,))
    lines = render_text(comparison).splitlines()
    print("\n".join(line for line in lines if "hard text" in line or "regression" in line))
    return goals.verdict(missed(comparison, drifted))


def missed(comparison: Comparison, drifted: list[tuple[int, int, int]]) -> list[str]:
    """Whether the changed reading was caught (see the module's goal)."""
    said = []
    checks = [c for c in comparison.checks if c.metric is Metric.HARD_TEXT]
    if any(c.verdict is Ruling.OK for c in checks) and not comparison.regressions:
        said.append("compare judged the year category and called no regression")
    if len(drifted) != 2:
        return [*said, f"{len(drifted)} runs gave the year category's figures, not 2"]
    (_, before, _), (judged, after, items) = drifted
    if before or not judged or after != judged:
        said.append(
            f"the drifted run: {after} of its {judged} judged items (of {items}) failed as read digit by "
            f"digit, the first run {before}"
        )
    return said


if __name__ == "__main__":
    raise SystemExit(main())
