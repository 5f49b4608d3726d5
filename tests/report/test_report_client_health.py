"""A run measured on a saturated client (`harness.core.client_health`) calls no latency change: `compare` leaves its
marked jobs out of the latency checks and names the run; the report names it above the leaderboard and marks each
affected job."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from harness.report.compare import Metric, Ruling, compare_runs, render_text
from harness.report.render import render_html
from harness.results import RowChange
from harness.results.reading import read_run
from tests.helpers.report_runs import make_run
from tests.helpers.saturated import mark_saturated


@dataclass(frozen=True, slots=True, kw_only=True)
class _SaturatedShare(RowChange):
    """A job's saturated share alone (its loops' lateness left as written)."""

    table: ClassVar[str] = "jobs"
    client_saturated: float


def test_a_slower_run_on_a_saturated_client_is_not_a_latency_regression(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    make_run(db, "base", seed=7, audio=False)
    make_run(db, "slow", seed=7, latency_factor=1.3, audio=False)
    flagged = compare_runs(read_run(db, "base"), read_run(db, "slow"))
    assert any(c.metric is Metric.LATENCY for c in flagged.regressions)  # the planted step, on a healthy client

    mark_saturated(db, "slow")
    comparison = compare_runs(read_run(db, "base"), read_run(db, "slow"))
    latency = [c for c in comparison.checks if c.metric is Metric.LATENCY]
    assert latency and all(c.verdict is Ruling.INSUFFICIENT for c in latency)
    assert all(
        any(d.startswith("left out, the client saturated while they ran: 0 BASE and ") for d in c.details)
        for c in latency
    )
    assert not any(c.metric is Metric.LATENCY for c in comparison.regressions)
    assert any(c.metric is Metric.COST for c in comparison.checks if c.verdict is not Ruling.INSUFFICIENT)
    text = render_text(comparison)
    assert "note: NEW: client saturated for 100% of the run (event-loop lag p50 340 ms" in text


def test_part_of_a_run_saturated_leaves_only_those_jobs_out(tmp_path: Path) -> None:
    """Jobs not marked still carry the verdict: a partly saturated NEW keeps its other jobs' latency."""
    db = tmp_path / "runs.db"
    make_run(db, "base", seed=7, audio=False)
    make_run(db, "slow", seed=7, latency_factor=1.3, audio=False)
    from harness.results import Store

    store = Store(db)
    try:
        keys = [row.job_key for row in store.jobs("slow") if row.model == "xtts-v2"]
        store.update_jobs({key: _SaturatedShare(client_saturated=0.9) for key in keys})
    finally:
        store.close()
    comparison = compare_runs(read_run(db, "base"), read_run(db, "slow"))
    by_model = {c.model: c for c in comparison.checks if c.statistic == "latency p50 (ms)"}
    assert by_model["xtts-v2"].verdict is Ruling.INSUFFICIENT
    assert by_model["voice-design"].verdict is Ruling.REGRESSION


def test_the_report_names_the_saturation_and_marks_the_jobs(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    make_run(db, "quiet", seed=7, audio=False, items=6)
    make_run(db, "busy", seed=7, audio=False, items=6)
    mark_saturated(db, "busy", share=0.62)
    busy = render_html(read_run(db, "busy"), {})
    assert 'id="client-health"' in busy and "client saturated for 60% of the run" in busy
    assert "latency here is not the providers" in busy
    assert busy.count('class="job-mark"') == 18  # every job of the three models marked
    quiet = render_html(read_run(db, "quiet"), {})
    assert 'id="client-health"' not in quiet and 'class="job-mark"' not in quiet
