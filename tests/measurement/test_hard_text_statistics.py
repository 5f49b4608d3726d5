"""The hard-text figures' statistics are scipy's, asked where they are computed, and every face asks one owner.

The Wilson interval and the exact McNemar tests were closed forms in the results store (standard library only);
they are `scipy.stats.binomtest` in `harness.measurement.hard_text`, and the results store imports no scipy.
"""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pytest
import scipy.stats
from scipy.stats import binomtest

from harness import measurement
from harness.core.hard_text import HardTextVerdict
from harness.measurement import hard_text
from harness.results.tables import SpanScoreRow

PASS, FAIL = HardTextVerdict.PASS, HardTextVerdict.FAIL

HARNESS = Path(hard_text.__file__).resolve().parents[1]


def _calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    seen: list[tuple[object, ...]] = []

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(args)
        return binomtest(*args, **kwargs)

    monkeypatch.setattr(scipy.stats, "binomtest", spy)
    return seen


def test_the_interval_and_the_paired_tests_are_scipys_binomial_test(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _calls(monkeypatch)
    interval = hard_text.wilson(7, 10)
    expected = binomtest(7, 10).proportion_ci(method="wilson")
    assert (interval.low, interval.high) == (expected.low, expected.high)
    assert hard_text.mcnemar_exact(5, 1) == binomtest(5, 6, 0.5).pvalue
    assert hard_text.mcnemar_worse(5, 1) == binomtest(5, 6, 0.5, alternative="greater").pvalue
    assert seen == [(7, 10), (5, 6, 0.5), (5, 6, 0.5)]
    assert math.isnan(hard_text.wilson(0, 0).low) and hard_text.mcnemar_exact(0, 0) == 1.0
    assert hard_text.mcnemar_worse(0, 0) == 1.0 and len(seen) == 3  # no pair, no test


def test_the_category_figures_ask_the_same_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _calls(monkeypatch)
    readings = (
        ("year-001", False, PASS),
        ("year-001", True, PASS),
        ("year-002", False, FAIL),
        ("year-002", True, PASS),
    )
    rows = [
        SpanScoreRow(provider="a", model="m", item_id=item, category="year", control=control, verdict=verdict)
        for item, control, verdict in readings
    ]
    [year] = measurement.category_figures(rows)
    assert seen == [(1, 2)] and year.accuracy.low == binomtest(1, 2).proportion_ci(method="wilson").low


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_one_owner_the_results_store_computes_no_statistics_and_imports_no_scipy() -> None:
    results = HARNESS / "results"
    assert not any(name.startswith("scipy") for path in results.rglob("*.py") for name in _imports(path))
    source = (results / "hard_text.py").read_text()
    assert "def wilson" not in source and "math.comb" not in source
    # the terminal summary, the report and compare ask harness.measurement; history's hard-text series and compare's
    # hard-text test ask it through the check's views (harness/checks/read_right.py)
    for face in ("runner/summary/figures.py", "report/render.py", "report/compare.py", "checks/read_right.py"):
        assert "harness.measurement" in _imports(HARNESS / face), face
