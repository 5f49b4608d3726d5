"""The regression gate flags planted regressions and stays quiet for an unchanged configuration."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from harness.core.errors import UsageError
from harness.report.compare import (
    METHODS,
    GateThresholds,
    Metric,
    Ruling,
    compare_runs,
    parse_metrics,
    to_junit,
)
from harness.results.reading import read_run
from tests.helpers.report_runs import make_run

MODELS = {("pixazo", "xtts-v2"), ("pixelapi", "voice-design"), ("ttsai", "kokoro")}


def _regressed(comparison: object, metric: Metric) -> set[tuple[str, str]]:
    return {(c.provider, c.model) for c in comparison.regressions if c.metric is metric}  # type: ignore[attr-defined]


def test_rerun_with_the_seed_fixed_is_not_a_regression(runs_db: Path) -> None:
    comparison = compare_runs(read_run(runs_db, "base"), read_run(runs_db, "same"))
    assert comparison.regressions == ()
    assert comparison.exit_code == 0
    # Every model got every check: nothing was skipped for lack of data.
    assert {(c.provider, c.model) for c in comparison.checks} == MODELS
    assert all(c.verdict is not Ruling.INSUFFICIENT for c in comparison.checks)


def test_false_alarms_stay_rare_across_reruns_with_new_seeds(runs_db: Path, tmp_path: Path) -> None:
    """Runs of one configuration whose random draws differ (a live provider's noise): Holm keeps the
    comparison's family-wise false-alarm rate near 5%, so at most one of twelve reruns may raise one."""
    db = tmp_path / "runs.db"
    alarms = 0
    for pair in range(12):
        base = make_run(db, f"a{pair}", seed=100 + pair, audio=False)
        new = make_run(db, f"b{pair}", seed=200 + pair, audio=False)
        alarms += bool(compare_runs(read_run(db, base), read_run(db, new)).regressions)
    assert alarms <= 1


def test_planted_latency_regression_is_flagged(runs_db: Path) -> None:
    comparison = compare_runs(read_run(runs_db, "base"), read_run(runs_db, "slow"))
    assert _regressed(comparison, Metric.LATENCY) == MODELS
    assert not _regressed(comparison, Metric.WER)
    assert comparison.exit_code == 1
    p50 = next(c for c in comparison.checks if c.statistic.startswith("latency p50") and c.model == "xtts-v2")
    assert p50.change is not None and p50.change > 0.10
    assert p50.difference is not None and p50.difference.p_value < 0.05


def test_planted_wer_regression_is_flagged(runs_db: Path) -> None:
    comparison = compare_runs(read_run(runs_db, "base"), read_run(runs_db, "worse_wer"))
    assert _regressed(comparison, Metric.WER) == MODELS
    assert not _regressed(comparison, Metric.LATENCY)


def test_new_contract_violation_is_flagged(runs_db: Path) -> None:
    comparison = compare_runs(read_run(runs_db, "base"), read_run(runs_db, "violating"))
    flagged = [c for c in comparison.regressions if c.metric is Metric.CONTRACT]
    assert flagged and all("validate type /output/duration" in c.details for c in flagged)


def test_fail_on_limits_the_gate(runs_db: Path) -> None:
    comparison = compare_runs(read_run(runs_db, "base"), read_run(runs_db, "slow"), fail_on=[Metric.WER, Metric.COST])
    assert comparison.exit_code == 0
    # The latency regression is still reported, only not gated.
    assert any(c.verdict is Ruling.REGRESSION and c.metric is Metric.LATENCY for c in comparison.checks)


def test_threshold_alone_is_not_enough(runs_db: Path) -> None:
    """A 30% shift over three samples is beyond the threshold but not significant: insufficient, not regression."""
    thresholds = GateThresholds(min_samples=2)
    base, slow = read_run(runs_db, "base"), read_run(runs_db, "slow")
    few = lambda rows: type(rows)(run=rows.run, requests=rows.requests[:9], errors=rows.errors, drift=rows.drift)  # noqa: E731
    comparison = compare_runs(few(base), few(slow), [Metric.LATENCY], thresholds)
    p50 = [c for c in comparison.checks if c.statistic.startswith("latency p50")]
    assert p50 and all(c.verdict is Ruling.OK for c in p50)
    assert all(c.change is not None and c.change > 0.1 for c in p50)
    # The p95 of three values is their maximum: not tested at all below min_samples_tail.
    p95 = [c for c in comparison.checks if c.statistic.startswith("latency p95")]
    assert p95 and all(c.verdict is Ruling.INSUFFICIENT for c in p95)


def test_json_and_junit_document_the_method(runs_db: Path) -> None:
    comparison = compare_runs(read_run(runs_db, "base"), read_run(runs_db, "slow"))
    document = json.loads(comparison.to_json_text())
    assert document["method"] == METHODS
    assert "Mann-Whitney" in document["method"]["latency_p50"]
    assert document["regressions"] == len(comparison.regressions)
    suite = ElementTree.fromstring(to_junit(comparison))
    assert int(suite.get("failures", "0")) == len(comparison.regressions) == len(suite.findall("testcase/failure"))


def test_bad_options_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="unknown metric 'speed'"):
        parse_metrics("latency,speed")
    with pytest.raises(UsageError, match=r"unknown threshold 'latency' \(did you mean latency_p50 or latency_p95\?\)"):
        GateThresholds().with_overrides({"latency": "0.1"})
    with pytest.raises(UsageError, match=r"unknown metric 'werr' \(did you mean wer\?\) in --fail-on"):
        parse_metrics("werr")
    assert GateThresholds().with_overrides({"wer": "0.05", "min_samples": "3"}).named()["wer"] == 0.05
