"""A changed reading, caught by `history` on the user's ground: nightly sandbox runs over en_hard's year items;
from the last night on the sandbox reads years digit by digit (its drift control); `tts-harness history` exits 1
naming the year category with example readings.

    python benchmarks/perf/hard_text_history.py [--nights 8] [--items 6] [--out DIR]

Measured 2026-11-25 (8 nights, 6 items): history exit 1, "openai/tts-1 Hard text: year accuracy: 0.6667 -> 0
(-100%) ... newest run", "e.g. year: year-001 read 'one eight eight seven' (year-digit-by-digit)"; 19 s.

Goal: that — history exits 1 and names the year category with a digit-by-digit example; a run that misses it says so
and exits 1. The newest-run gate needs five nights before the newest, so the smoke run makes six (two items each:
one item's plain reading may already fail, and a category at 0 cannot drop).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import goals  # beside this script
import httpx
import smoke_mode  # beside this script
from typer.testing import CliRunner

from harness import benchmark
from harness.cli import app
from harness.core.corpora import available
from harness.runner.plan.config import BenchConfig
from harness.sandbox import running


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nights", type=int, default=8, help="runs in all; the last one reads years digit by digit")
    parser.add_argument("--items", type=int, default=6, help="year items a night")
    parser.add_argument("--out", type=Path, default=None)
    args = smoke_mode.parse(parser, argv, nights=6, items=2)
    out = args.out or Path(tempfile.mkdtemp(prefix="hard-text-history-"))
    corpus = json.loads(available()["en_hard"].read_text(encoding="utf-8"))
    corpus["items"] = [item for item in corpus["items"] if item["category"] == "year"][: args.items]
    corpus["name"] = f"en_hard_year{args.items}"
    path = out / f"{corpus['name']}.json"
    out.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(corpus), encoding="utf-8")
    with running("fast", 7, providers=("openai",)) as served:
        for night in range(args.nights):
            if night == args.nights - 1:
                httpx.post(served.url + "/_sandbox/drift", json={"misread": ["year-digit-by-digit"]}).raise_for_status()
            benchmark.run(
                BenchConfig(
                    out=out,
                    providers=("openai",),
                    models=("tts-1",),  # type: ignore[call-arg]
                    corpus=(str(path),),
                    target=served.url,
                    budget=1.0,
                    score=True,
                    dnsmos=False,
                    report=False,
                    concurrency=2,
                )
            )
    result = CliRunner().invoke(app, ["history", "--db", str(out / "runs.db"), "--out", str(out / "history.html")])
    print(f"history exit {result.exit_code}")
    named = [line for line in result.output.splitlines() if "Hard text" in line or "e.g." in line]
    print("\n".join(named))
    missed = [] if result.exit_code == 1 else [f"history exited {result.exit_code}, not 1"]
    if not any("Hard text: year" in line for line in named):
        missed.append("history named no change of the year category")
    if not any("e.g. year:" in line and "year-digit-by-digit" in line for line in named):
        missed.append("history gave no digit-by-digit example")
    return goals.verdict(missed)


if __name__ == "__main__":
    raise SystemExit(main())
