"""The README's first command, its first screen (issue 69): the plan's price provenance folded to one note a kind
(it printed 98 `note:` lines, one a model, before the plan and a paragraph as long after the summary), and the
list in full where asked, `tts-harness providers --prices`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness import benchmark
from harness.results.store import Store
from harness.runner.plan.config import BenchConfig
from harness.runner.plan.pricing import LISTED_BY, Price, doubt_lines, plan_notes
from harness.runner.run import prepare
from harness.runner.session import benchmarkable
from tests.helpers.cli_runs import in_process
from tests.helpers.default_run import DefaultRun

MOST_NOTES = 10  # the bound: one line a kind of doubt, never one a model


def _first_plan_prices(tmp_path: Path) -> dict[str, Price]:
    """Each offering's price in the README's run (every built-in one, the default corpus), as its plan prices it."""
    return benchmark.dry_run(BenchConfig(out=tmp_path)).plan.prices


def test_the_readme_plan_says_its_price_doubts_in_at_most_ten_lines(tmp_path: Path) -> None:
    prices = _first_plan_prices(tmp_path)
    notes = plan_notes(prices)
    assert len(prices) > 100 and 3 <= len(notes) <= MOST_NOTES, notes
    weak = sum(1 for p in prices.values() if p.weak)
    counted = [int(n.split()[0]) for n in notes if " from " in n and n.endswith(LISTED_BY)]
    assert sum(counted) >= weak > 50  # every weak price counted (one with two weaknesses, under each)
    stale = [n for n in notes if "longer ago than --price-max-age" in n]
    assert stale == [
        f"{sum(p.stale for p in prices.values())} prices read longer ago than --price-max-age (or never "
        f"dated): {LISTED_BY}"
    ]


def test_doubts_fold_by_kind_and_nothing_to_doubt_says_nothing() -> None:
    lines = doubt_lines(
        [
            (True, "a third party's page"),
            (False, "a third party's page"),
            (False, "a reseller's page; no read date"),
            (False, ""),
        ]
    )
    assert lines == [
        f"2 prices from a third party's page: {LISTED_BY}",
        f"1 price from a reseller's page: {LISTED_BY}",
        f"1 price from no read date: {LISTED_BY}",
        f"1 price read longer ago than --price-max-age (or never dated): {LISTED_BY}",
    ]
    assert doubt_lines([(False, "")]) == []


def test_providers_prices_lists_each_price_with_its_whole_source_and_its_doubts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    done = in_process(
        "providers",
        "--prices",
        "google",
        "deepgram",
        cwd=tmp_path,
        monkeypatch=monkeypatch,
        capsys=capsys,
        env={"COLUMNS": "400"},
    )
    assert done.returncode == 0, done.stderr
    rows = {m.group(1): line for line in done.stdout.splitlines() if (m := re.match(r"│ (\S+/\S+)\s", line))}
    assert "google/standard" in rows and "deepgram/aura-2-thalia-en" in rows and "openai/tts-1" not in rows
    assert "https://www.codesota.com/" in rows["google/standard"] and "stale" in rows["google/standard"]
    assert "weak: a reseller's page" in rows["deepgram/aura-2-thalia-en"]
    assert "endpoint" not in done.stdout  # the prices alone, not every provider's endpoints


def test_the_runs_notes_carry_the_folded_doubts_for_the_terminal_and_the_library_alike(tmp_path: Path) -> None:
    """One owner: the run's prepared notes (what `bench run` prints as `note:` lines and `BenchmarkResult.notes`
    keeps) hold the plan's doubts as `plan_notes` folds them, not a line a model."""
    prepared = prepare(BenchConfig(out=tmp_path), benchmarkable(), Store(tmp_path / "runs.db"))
    folded = plan_notes(prepared.plan.prices)
    assert folded and all(note in prepared.notes for note in folded), prepared.notes
    assert len(prepared.notes) <= MOST_NOTES and not any("://" in note for note in prepared.notes), prepared.notes


def _lines_from(output: str, first: str, last: str) -> list[str]:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith(last))
    return lines[start:end]


def test_the_readme_commands_first_screen_and_closing_paragraphs_are_short(default_run: DefaultRun) -> None:
    """What the README's command printed: at most ten `note:` lines (its stderr; the plan's price doubts, one a kind),
    and the summary's closing paragraphs count the stale and weak prices by kind, naming no source."""
    output = default_run.output
    notes = [line for line in output.splitlines() if line.startswith("note:")]
    assert 0 < len(notes) <= MOST_NOTES, notes
    assert any(note.endswith(LISTED_BY) for note in notes) and not any("://" in note for note in notes), notes
    closing = " ".join(" ".join(_lines_from(output, "Spent $", "HTML report:")).split())
    doubts = closing.partition("Prices marked stale or weak above")[2].partition(".")[0]
    assert doubts and len(doubts.split("; ")) <= MOST_NOTES and "://" not in closing, closing
