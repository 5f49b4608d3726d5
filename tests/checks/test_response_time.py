"""The response-time check's declaration and views (`harness/checks/response_time.py`, docs/checks.md#response-time):
a timed clip's stored times read as they are, each offering's quantiles as the leaderboard gives them, and the rule
compare judges latency by. Made-up rows: no run, no audio."""

from __future__ import annotations

import math
from pathlib import Path

from harness.checks import generic, registered, with_views
from harness.checks.response_time import CHECK, DECLARATION, P50_RISE, P95_RISE, VIEWS, measure, offering_figures
from harness.core.checks import Better, ChangeTest, Pooling
from harness.core.quantiles import quantile
from harness.history import METRICS, read_history
from harness.history.series import UNTROUBLED_KEYS
from harness.history.values import Scale
from harness.report.compare import METHODS, GateThresholds, Metric, Ruling, compare_runs
from harness.report.leaderboard import build_leaderboard
from harness.report.stats import Interval, quantile_interval, skewed_mean
from harness.results import RequestRow, RunRows, StoredRun
from harness.results.figures import floats, timed
from tests.helpers.history_runs import write_nights
from tests.helpers.request_rows import request_row


def _clip(index: int, e2e: float, *, model: str = "m", stream: bool = False, **given: object) -> RequestRow:
    streamed: dict[str, object] = (
        {
            "ttfa_ms": e2e / 4,
            "ttfa_lo_ms": e2e / 4 - 5,
            "ttfa_hi_ms": e2e / 4 + 5,
            "perceived_ttfa_ms": e2e / 3,
            "last_audio_ms": e2e - 50,
            "gap_p95_ms": 60.0 + index,
            "real_time_factor": 0.4,
            "underruns": index % 3,
        }
        if stream
        else {}
    )
    return request_row(
        **{
            "job_key": f"{model}-{index}",
            "model": model,
            "outcome": "ok",
            "e2e_ms": e2e,
            "e2e_bracket_ms": 20.0 + index,
            **streamed,
            **given,
        }
    )


def test_the_declaration_names_todays_rule_and_thresholds() -> None:
    e2e = DECLARATION.field_named("e2e")
    assert (e2e.pooling, e2e.better, e2e.unit, DECLARATION.key(e2e)) == (
        Pooling.QUANTILES,
        Better.LOWER,
        "ms",
        "latency_ms",
    )
    assert (
        DECLARATION.thresholds
        == {"latency_p50": P50_RISE, "latency_p95": P95_RISE}
        == {
            "latency_p50": 0.10,
            "latency_p95": 0.20,
        }
    )
    rule = DECLARATION.change
    assert rule is not None and (rule.test, rule.name, rule.relative) == (ChangeTest.QUANTILE_RISE, "latency", 0.10)
    assert "Mann-Whitney" in DECLARATION.change_said()


def test_a_timed_clip_is_read_from_its_stored_row() -> None:
    values = measure(_clip(1, 800.0, stream=True)).values
    assert values["e2e"] == 800.0 and values["ttfa"] == 200.0 and values["ttfa_width"] == 10.0
    assert (values["underruns"], values["underrun_streams"], values["streams"]) == (1.0, 1.0, 1.0)
    assert "streams" not in measure(_clip(1, 800.0)).values  # no listener's figures: no stream counted
    # an answer that failed or a resumed job (its clock did not run once): nothing
    assert measure(_clip(1, 800.0, outcome="error")).values == {}
    assert measure(_clip(1, 800.0, resumed=1)).values == {}


def test_an_offering_pools_its_times_as_the_leaderboard_pooled_them() -> None:
    """The check's figures are the timed clips' stored times (those `harness.results.figures` pooled before the
    check was declared) pooled as the leaderboard pooled them (each quantile with its order-statistic interval, the
    mean without one), and the leaderboard's JSON gives them under their keys, where they stood."""
    rows = [_clip(i, 500.0 + 37.0 * (i * 7 % 11), stream=True) for i in range(12)]
    [figures] = offering_figures(rows)
    clocked = timed(rows)
    for key, samples in (
        ("latency_ms", floats(r.e2e_ms for r in clocked)),
        ("ttfa_ms", floats(r.ttfa_ms for r in clocked)),
        ("perceived_ttfa_ms", floats(r.perceived_ttfa_ms for r in clocked)),
        ("last_audio_ms", floats(r.last_audio_ms for r in clocked)),
        ("jitter_p95_ms", floats(r.gap_p95_ms for r in clocked)),
        ("real_time_factor", floats(r.real_time_factor for r in clocked)),
    ):
        assert len(samples) == 12, key
        expected = {f"p{round(q * 100)}": quantile_interval(samples, q) for q in (0.5, 0.95, 0.99)}
        expected["mean"] = skewed_mean(samples)
        assert set(figures.values[key]) == set(expected)
        for name, interval in expected.items():
            found = Interval(*figures.values[key][name])
            assert all(
                a == b or (math.isnan(a) and math.isnan(b))
                for a, b in zip(
                    (found.value, found.low, found.high, found.sample_size),
                    (interval.value, interval.low, interval.high, interval.sample_size),
                    strict=True,
                )
            )
    counts = [r.underruns for r in clocked if r.underruns is not None]
    assert (figures.values["underruns"], figures.values["underrun_streams"], figures.values["streams"]) == (
        sum(counts),
        sum(1 for n in counts if n),
        len(counts),
    )
    assert figures.values["latency_width_ms"] == quantile(floats(r.e2e_bracket_ms for r in clocked), 0.5)
    [entry] = build_leaderboard(_run("r", rows)).entries
    keys = list(entry.to_json())
    assert keys[keys.index("success") + 1 : keys.index("success") + 3] == ["latency_ms", "ttfa_ms"]
    assert keys[keys.index("polls_mean") + 1 : keys.index("polls_mean") + 3] == [
        "latency_width_ms",
        "perceived_ttfa_ms",
    ]
    latency = floats(r.e2e_ms for r in clocked)
    assert entry.to_json()["latency_ms"]["p50"] == quantile_interval(latency, 0.5).to_json()


def _run(run_id: str, rows: list[RequestRow]) -> RunRows:
    return RunRows(run=StoredRun(run_id=run_id, status="finished"), requests=tuple(rows))


def test_it_is_registered_and_compare_reads_its_views() -> None:
    assert CHECK in registered() and CHECK.views is VIEWS and (CHECK, VIEWS) in with_views()
    assert CHECK not in generic()  # the generic machinery never pools or shows it a second time
    # its metric, thresholds and methods where latency stood before it was declared: first, before cost
    assert [m.value for m in Metric][:3] == ["latency", "wer", "cost"]
    assert list(GateThresholds().named())[:4] == ["latency_p50", "latency_p95", "wer", "cost"]
    assert list(METHODS)[2:6] == ["latency_p50", "latency_p95", "wer", "cost"]
    assert GateThresholds().declared["latency_p50"] == P50_RISE


def test_compare_judges_the_p50_and_p95_through_the_views() -> None:
    base = _run("b", [_clip(i, 500.0 + 10.0 * i) for i in range(24)])
    new = _run("n", [_clip(i, 800.0 + 10.0 * i) for i in range(24)])
    checks = [c for c in compare_runs(base, new).checks if c.metric == Metric("latency")]
    assert [(c.statistic, c.threshold, c.unit, c.verdict) for c in checks] == [
        ("latency p50 (ms)", "+10% relative", "ms", Ruling.REGRESSION),
        ("latency p95 (ms)", "+20% relative", "ms", Ruling.REGRESSION),
    ]
    # the declared thresholds, by their names in --threshold
    wide = compare_runs(base, new, thresholds=GateThresholds().with_overrides({"latency_p50": "2", "latency_p95": "2"}))
    assert all(c.verdict is Ruling.OK for c in wide.checks if c.metric == Metric("latency"))
    # too few clips for a p95: said, never judged
    few = compare_runs(_run("b", list(base.requests[:8])), _run("n", list(new.requests[:8])))
    [tail] = [c for c in few.checks if c.statistic == "latency p95 (ms)"]
    assert tail.verdict is Ruling.INSUFFICIENT and tail.details == ("8 BASE and 8 NEW timed jobs; need 20 each",)


def test_history_draws_its_quantiles_through_the_views(tmp_path: Path) -> None:
    """The series "Latency p50", "Latency p95" and "First audio p50", first among a model's series as before the
    check was declared, from each run's entry's figures the views name, on a log scale."""
    assert [m.key for m in METRICS][:4] == ["latency_p50", "latency_p95", "ttfa_p50", "wer"]
    assert {"latency_p50", "latency_p95", "ttfa_p50"} == UNTROUBLED_KEYS
    ids = write_nights(tmp_path / "runs.db", nights=2)
    history = read_history(tmp_path / "runs.db")
    [series] = [one for one in history.series if one.key == "latency_p50"]
    assert (series.label, series.unit, series.scale) == ("Latency p50", "ms", Scale.LOG)
    assert [point.run_id for point in series.points] == ids and all(p.sample_size == 4 for p in series.points)
