"""The response-time check's declaration and views (`harness/checks/response_time.py`, docs/checks.md#response-time):
a timed clip's stored times read as they are, each offering's quantiles as the leaderboard gives them, and the rule
compare judges latency by. Made-up rows: no run, no audio."""

from __future__ import annotations

import math

from harness.checks import generic, registered, with_views
from harness.checks.response_time import CHECK, DECLARATION, P50_RISE, P95_RISE, VIEWS, measure, offering_figures
from harness.core.checks import Better, ChangeTest, Pooling
from harness.report.leaderboard import build_leaderboard
from harness.results import RequestRow, RunRows, StoredRun
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


def test_an_offering_pools_its_times_as_the_leaderboard_does() -> None:
    rows = [_clip(i, 500.0 + 37.0 * (i * 7 % 11), stream=True) for i in range(12)]
    [figures] = offering_figures(rows)
    [entry] = build_leaderboard(RunRows(run=StoredRun(run_id="r", status="finished"), requests=tuple(rows))).entries
    for key, pooled in (
        ("latency_ms", entry.latency),
        ("ttfa_ms", entry.ttfa),
        ("perceived_ttfa_ms", entry.perceived_ttfa),
        ("last_audio_ms", entry.last_audio),
        ("jitter_p95_ms", entry.jitter),
        ("real_time_factor", entry.real_time_factor),
    ):
        assert set(figures.values[key]) == set(pooled) == {"p50", "p95", "p99", "mean"}
        for name, interval in pooled.items():
            found = figures.values[key][name]
            expected = (interval.value, interval.low, interval.high, interval.sample_size)
            assert all(a == b or (math.isnan(a) and math.isnan(b)) for a, b in zip(found, expected, strict=True))


def test_it_is_registered_with_views_of_its_own() -> None:
    assert CHECK in registered() and CHECK.views is VIEWS and (CHECK, VIEWS) in with_views()
    assert CHECK not in generic()  # the generic machinery never pools or shows it a second time
