"""The README's first command, its first screen (issue 69): the plan's price provenance folded to one note a kind
(it printed 98 `note:` lines, one a model, before the plan and a paragraph as long after the summary), and the
list in full where asked, `tts-harness providers --prices`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness import benchmark
from harness.bench.config import BenchConfig
from harness.bench.pricing import LISTED_BY, Price, doubt_lines, plan_notes
from tests.helpers.cli_runs import in_process


def _first_plan_prices(tmp_path: Path) -> dict[str, Price]:
    """Each offering's price in the README's run (every built-in one, the default corpus), as its plan prices it."""
    planned = benchmark.dry_run(BenchConfig(out=tmp_path))
    prices: dict[str, Price] = {}
    for job in planned.plan.jobs:
        if not job.invalid:
            prices.setdefault(job.selection.label, job.price)
    return prices


def test_the_readme_plan_says_its_price_doubts_in_at_most_ten_lines(tmp_path: Path) -> None:
    prices = _first_plan_prices(tmp_path)
    notes = plan_notes(prices)
    assert len(prices) > 100 and 3 <= len(notes) <= 10, notes
    weak = sum(1 for p in prices.values() if p.weak)
    counted = [int(n.split()[0]) for n in notes if " from " in n and n.endswith(LISTED_BY)]
    assert sum(counted) >= weak > 50  # every weak price counted (one with two weaknesses, under each)
    stale = [n for n in notes if "longer ago than --price-max-age" in n]
    assert stale == [f"{sum(p.stale for p in prices.values())} prices read longer ago than --price-max-age (or never "
                     f"dated): {LISTED_BY}"]


def test_doubts_fold_by_kind_and_nothing_to_doubt_says_nothing() -> None:
    lines = doubt_lines([(True, "a third party's page"), (False, "a third party's page"),
                         (False, "a reseller's page; no read date"), (False, "")])
    assert lines == [f"2 prices from a third party's page: {LISTED_BY}", f"1 price from a reseller's page: {LISTED_BY}",
                     f"1 price from no read date: {LISTED_BY}", f"1 price read longer ago than --price-max-age (or "
                     f"never dated): {LISTED_BY}"]
    assert doubt_lines([(False, "")]) == []


def test_providers_prices_lists_each_price_with_its_whole_source_and_its_doubts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    done = in_process("providers", "--prices", "google", "deepgram", cwd=tmp_path, monkeypatch=monkeypatch,
                      capsys=capsys, env={"COLUMNS": "400"})
    assert done.returncode == 0, done.stderr
    rows = {m.group(1): line for line in done.stdout.splitlines() if (m := re.match(r"│ (\S+/\S+)\s", line))}
    assert "google/standard" in rows and "deepgram/aura-2-thalia-en" in rows and "openai/tts-1" not in rows
    assert "https://www.codesota.com/" in rows["google/standard"] and "stale" in rows["google/standard"]
    assert "weak: a reseller's page" in rows["deepgram/aura-2-thalia-en"]
    assert "endpoint" not in done.stdout  # the prices alone, not every provider's endpoints
