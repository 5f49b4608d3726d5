"""`compare` over hard-text runs: a category read worse on the same items is a regression (one-sided exact
McNemar beyond the threshold), one read the same is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from scipy.stats import binomtest

from harness.core.hard_text import HardTextVerdict
from harness.report.compare import Metric, Ruling, compare_runs
from harness.results import SpanScoreRow, connect_writer, read_run, write_span_scores
from tests.helpers.history_runs import write_nights

PASS, FAIL = HardTextVerdict.PASS, HardTextVerdict.FAIL


def _judge(db: Path, run_id: str, year_wrong: int) -> None:
    rows = []
    for index in range(12):
        for category in ("year", "money"):
            item = f"{category}-{index:03}"
            wrong = category == "year" and index < year_wrong
            common = {
                "provider": "acme",
                "model": "clear",
                "item_id": item,
                "category": category,
                "run_id": run_id,
                "asr_model": "tiny.en#abc",
            }
            rows.append(SpanScoreRow(**common, control=True, verdict=PASS, clip_id=f"{run_id}{item}c"))
            rows.append(
                SpanScoreRow(
                    **common,
                    control=False,
                    verdict=FAIL if wrong else PASS,
                    clip_id=f"{run_id}{item}",
                    heard="one nine eight four" if wrong else "",
                    error="year-digit-by-digit" if wrong else None,
                )
            )
    conn = connect_writer(db)
    try:
        write_span_scores(conn, rows)
    finally:
        conn.close()


@pytest.fixture
def runs(tmp_path: Path) -> tuple[Path, list[str]]:
    db = tmp_path / "runs.db"
    ids = write_nights(db, nights=2, seed=1)
    _judge(db, ids[0], year_wrong=1)
    _judge(db, ids[1], year_wrong=9)
    return db, ids


def test_a_category_read_worse_on_the_same_items_is_a_regression(runs: tuple[Path, list[str]]) -> None:
    db, (base, new) = runs
    comparison = compare_runs(read_run(db, base), read_run(db, new), fail_on=(Metric.HARD_TEXT,))
    checks = {c.statistic: c for c in comparison.checks if c.metric is Metric.HARD_TEXT}
    year, money = checks["hard text: year accuracy"], checks["hard text: money accuracy"]
    assert year.verdict is Ruling.REGRESSION and money.verdict is Ruling.OK
    assert year.difference is not None and (year.difference.base, year.difference.new) == (11 / 12, 3 / 12)
    assert year.difference.p_value == pytest.approx(binomtest(8, 8, 0.5, alternative="greater").pvalue)
    assert year.details[0] == "year-000 read 'one nine eight four' (year-digit-by-digit)"
    assert comparison.exit_code == 1
    assert compare_runs(read_run(db, new), read_run(db, base), fail_on=(Metric.HARD_TEXT,)).exit_code == 0
