"""Print how long a large corpus file takes to load, and the memory it takes: seconds and peak RSS per kind.

A corpus is a user's file, and a loader that is quadratic anywhere (a duplicate-id check by `list.count`, a
spoken form expanded to its readings) never finishes on a large one. The goal (issue 59): 150,000 valid items
load in under 30 s. Three kinds of file, each written to a temporary folder and loaded by
`harness.core.corpora.load_corpus` in a fresh process (so each peak RSS is its own):

- ``plain``: read-speech items (id and text);
- ``hard``: en_hard's items over and over under new ids (a category's forms repeat, as in a real corpus);
- ``hard-distinct``: the same, each item's forms made its own (a word added to all of them): every form
  compiled and every misreading compared anew, the loader's worst honest case.

Run: python benchmarks/perf/corpus_load.py [--items 150000] [--kind plain --kind hard ...] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import goals  # beside this script
import smoke_mode  # beside this script

from harness.core.corpora import load_corpus
from harness.core.packaged import CORPORA, data_path

KINDS = ("plain", "hard", "hard-distinct")
_NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def corpus(kind: str, items: int, first: int = 0) -> dict[str, Any]:
    """A valid corpus file's content of ``items`` items of ``kind``, numbered from ``first`` (a hard-distinct file
    numbered apart from another shares no form with it: nothing it loads is cached from the other's load)."""
    if kind == "plain":
        texts = [item["text"] for item in json.loads(data_path(CORPORA, "en_read.json").read_text())["items"]]
        return {
            "name": "large",
            "version": "1",
            "language": "en",
            "items": [{"id": f"read-{n:06d}", "text": texts[n % len(texts)]} for n in range(first, first + items)],
        }
    hard = json.loads(data_path(CORPORA, "en_hard.json").read_text())
    written = []
    for n in range(first, first + items):
        item = dict(hard["items"][n % len(hard["items"])], id=f"hard-{n:06d}")
        if kind == "hard-distinct":  # a word of its own after every form: no form is shared with another item
            own = " ".join(_NUMBER_WORDS[int(digit)] for digit in str(n))
            item["accepted"] = [f"{form} {own}" for form in item["accepted"]]
            item["misreadings"] = [dict(wrong, say=f"{wrong['say']} {own}") for wrong in item["misreadings"]]
        written.append(item)
    return {**hard, "name": "large_hard", "items": written}


def measure(path: Path) -> dict[str, float]:
    """Load ``path`` here: seconds (wall and the loading thread's CPU), items, and this process's peak RSS in MB.

    The loading thread's CPU, not the process's: in the suite's smoke run this process is a test worker whose other
    threads (a run built in the background, a model's pool) work meanwhile, and their CPU is not the loader's. The
    collector is the loader's own business (`load_corpus` pauses it): nothing here collects, freezes or unfreezes.
    It once did (`gc.collect()`, `gc.freeze()`, then `gc.unfreeze()`), and in a test worker that cost more than the
    loads — a full collection of the worker's heap before each of nine loads — and the unfreeze handed the heap the
    suite's conftest had frozen after collection back to every later collection: 9–12 s of the smoke's CPU in the
    suite, 0.9 s alone."""
    started, cpu = time.perf_counter(), time.thread_time()
    loaded = load_corpus(str(path))
    seconds, cpu_seconds = time.perf_counter() - started, time.thread_time() - cpu
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "items": len([item for item in loaded.items if not item.control]),
        "peak_mb": peak_kb / 1024,
    }


# A smoke run's sample loads in a fraction of a second inside a test worker whose cores the suite's other processes
# share: one load read 0.31 s of CPU in CI where the same load takes 0.24 s alone. It loads this many files, each
# numbered apart (nothing cached from another's load), and keeps the fastest, as timeit does.
SMOKE_LOADS = 3


def run(kind: str, items: int, folder: Path, *, fresh_process: bool, loads: int = 1) -> dict[str, float]:
    """``kind``'s figures for ``items`` items: the fastest (least CPU) of ``loads`` loads of files numbered apart."""
    measured = []
    for load in range(loads):
        path = folder / f"{kind}-{load}.json"
        path.write_text(json.dumps(corpus(kind, items, first=load * items)), encoding="utf-8")
        size_mb = path.stat().st_size / 2**20
        if fresh_process:
            said = subprocess.run(
                [sys.executable, __file__, "--measure", str(path)], check=True, capture_output=True, text=True
            ).stdout
            figures: dict[str, float] = json.loads(said)
        else:
            figures = measure(path)
        measured.append({**figures, "file_mb": size_mb})
        path.unlink()
    return min(measured, key=lambda figures: figures["cpu_seconds"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=150_000)
    parser.add_argument("--kind", action="append", choices=KINDS, help="one kind (repeatable); default every kind")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # a fresh process measuring one file
    args = smoke_mode.parse(parser, argv, items=1_500)
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    missed = []
    # The goal: 150,000 items in under 30 s, so 1 s of CPU per 5,000 items; judged on CPU time (a busy machine's
    # wall clock is not the loader's).
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.kind or KINDS:
            loads = SMOKE_LOADS if args.smoke else 1
            figures = run(kind, args.items, Path(folder), fresh_process=not args.smoke, loads=loads)
            print(
                f"{kind:14} {figures['items']:>9,.0f} items  {figures['file_mb']:7.1f} MB file  "
                f"{figures['seconds']:7.2f} s ({figures['cpu_seconds']:.2f} s CPU)  "
                f"peak RSS {figures['peak_mb']:7.0f} MB"
                + (f"  (this process; the fastest of {loads} loads)" if args.smoke else "")
            )
            allowed = 30.0 * figures["items"] / 150_000
            if figures["cpu_seconds"] > allowed:
                missed.append(
                    f"{kind}: {figures['items']:,.0f} items took {figures['cpu_seconds']:.2f} s of CPU, "
                    f"more than {allowed:.2f} s (30 s for 150,000)"
                )
    return goals.verdict(missed)


if __name__ == "__main__":
    sys.exit(main())
