"""Latency under load in the report and the gate: a load sweep's curves, per model and level, with intervals;
`compare` checks a curve point by point. Synthetic sweeps (`tests.helpers.report_runs.make_run(levels=...)`)
whose latency climbs past a knee of 4 workers, one with a planted regression at a single level."""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

import pytest

from harness.report.compare import Metric, Ruling, compare_runs
from harness.report.load import load_curves
from harness.report.render import render_html, write_report
from harness.results import load_points, read_run
from tests.helpers import browser
from tests.helpers.report_runs import DEFAULT_MODELS, make_run

LEVELS = (1, 4, 16)


@pytest.fixture(scope="module")
def sweeps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("sweeps") / "runs.db"
    make_run(db, "sweep", seed=3, items=24, levels=LEVELS, audio=False)
    make_run(db, "sweep_again", seed=3, items=24, levels=LEVELS, audio=False)
    make_run(db, "sweep_slow_at_16", seed=3, items=24, levels=LEVELS, slow_level=16, audio=False)
    make_run(db, "flat", seed=3, items=6, audio=False)
    return db


def test_one_curve_per_model_with_a_point_per_level(sweeps: Path) -> None:
    curves = load_curves(read_run(sweeps, "sweep"))
    assert [c.label for c in curves] == sorted(f"{m.provider}/{m.model}" for m in DEFAULT_MODELS)
    for curve in curves:
        assert [p.level for p in curve.points] == list(LEVELS)
        assert [p.in_flight for p in curve.points] == [1.0, 4.0, 16.0]
        p50 = [p.p50 for p in curve.points]
        assert all(i.low <= i.value <= i.high for i in p50)
        # Past the knee (4 workers) latency climbs: 16 in flight is about 4 times 4 in flight.
        assert p50[2].low > p50[1].high
        # 24 jobs a level hold a median's interval, not a p95's (harness.measurement.sample_intervals): none shown
        assert all(math.isnan(p.p95.low) and p.p95.value > p.p50.value for p in curve.points)
        assert 3.0 < curve.points[2].p50.value / curve.points[1].p50.value < 5.5
        assert all(0.0 <= p.errors.low <= p.errors.value <= p.errors.high <= 1.0 for p in curve.points)


def test_a_run_at_one_level_has_no_curve(sweeps: Path) -> None:
    rows = read_run(sweeps, "flat")
    assert load_points(rows) == () and load_curves(rows) == ()
    assert 'id="load"' not in render_html(rows, {})


def test_the_report_draws_the_curves_and_prints_each_point(sweeps: Path) -> None:
    page = render_html(read_run(sweeps, "sweep"), {})
    assert 'id="chart-load"' in page and 'id="load"' in page
    data = json.loads(re.search(r'<script type="application/json" id="load-data">(.*?)</script>', page, re.S)[1])  # type: ignore[index]
    assert len(data) == len(DEFAULT_MODELS) and all(len(c["points"]) == len(LEVELS) for c in data)
    assert page.count("data-curve=") == len(DEFAULT_MODELS) * len(LEVELS)
    assert "1, 4, 16 per provider" in page  # the run's caps as asked


def test_compare_checks_a_curve_point_by_point(sweeps: Path) -> None:
    same = compare_runs(read_run(sweeps, "sweep"), read_run(sweeps, "sweep_again"))
    assert same.regressions == ()
    slow = compare_runs(read_run(sweeps, "sweep"), read_run(sweeps, "sweep_slow_at_16"))
    flagged = {(c.level, c.statistic.split(" at ")[0]) for c in slow.regressions if c.metric is Metric.LATENCY}
    assert flagged and {level for level, _ in flagged} == {16}  # only the point that moved
    levels = {c.level for c in slow.checks if c.level is not None}
    assert levels == set(LEVELS)
    assert all(c.verdict is not Ruling.REGRESSION for c in slow.checks if c.level in (1, 4))


def test_the_curve_chart_draws_one_legend_group_per_model(sweeps: Path, tmp_path: Path) -> None:
    if browser.chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run must apt-get install chromium")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    page = write_report(read_run(sweeps, "sweep"), tmp_path / "index.html")
    report = browser.inspect_report(page, tmp_path / "load.png")
    assert report.console_errors == []
    (chart,) = [c for c in report.charts if c["id"] == "chart-load"]
    assert chart["drawn"]
    assert sorted(chart["groups"]) == sorted(f"{m.provider}/{m.model}" for m in DEFAULT_MODELS)
    assert chart["traces"] == 3 * len(DEFAULT_MODELS)  # p95, p50 and error rate of each model
