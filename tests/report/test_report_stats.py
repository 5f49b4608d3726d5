"""The statistics behind the intervals and the gate: edge cases that must not crash or mislead."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.report.leaderboard import pareto_front
from harness.report.stats import (
    fisher_drop,
    mann_whitney_greater,
    mean_difference,
    mean_interval,
    proportion_interval,
    quantile_difference,
    quantile_interval,
    ratio_difference,
    ratio_interval,
)


def test_intervals_bracket_the_estimate_and_are_reproducible() -> None:
    data = np.random.default_rng(3).lognormal(7.0, 0.4, 400)
    for q in (0.5, 0.95, 0.99):
        interval = quantile_interval(data, q)
        assert interval.low <= interval.value <= interval.high
        assert interval == quantile_interval(data, q)  # the same rows, the same report
    assert mean_interval(data).low < float(np.mean(data)) < mean_interval(data).high
    assert math.isnan(quantile_interval(data[:60], 0.99).low)  # sixty values cannot hold a p99's interval


def test_too_few_values_give_no_interval_rather_than_a_fake_one() -> None:
    one = quantile_interval([1200.0], 0.5)
    assert one.value == 1200.0 and math.isnan(one.low) and math.isnan(one.high)
    assert math.isnan(mean_interval([]).value)
    constant = mean_interval([0.015] * 8)
    assert constant.low == pytest.approx(0.015) and constant.high == pytest.approx(0.015)


def test_pooled_ratio_is_not_the_mean_of_ratios() -> None:
    # One long utterance with no error and one short one with every word wrong.
    interval = ratio_interval([0.0, 2.0], [98.0, 2.0])
    assert interval.value == pytest.approx(0.02)
    assert ratio_interval([], []).sample_size == 0 and math.isnan(ratio_interval([], []).value)
    with pytest.raises(ValueError, match="as many numerators as denominators"):
        ratio_interval([1.0], [1.0, 2.0])


def test_wilson_interval_at_the_edges() -> None:
    all_ok = proportion_interval(20, 20)
    assert all_ok.value == 1.0 and all_ok.high == pytest.approx(1.0) and 0.8 < all_ok.low < 0.9
    assert proportion_interval(0, 20).low == pytest.approx(0.0)
    assert math.isnan(proportion_interval(0, 0).value)


def test_difference_tests_see_shifts_and_not_noise() -> None:
    rng = np.random.default_rng(5)
    base = rng.lognormal(7.0, 0.3, 40)
    assert mann_whitney_greater(base, base * 1.3).p_value < 0.01
    assert mann_whitney_greater(base, base).p_value > 0.4
    assert mann_whitney_greater([5.0] * 6, [5.0] * 6).p_value == 1.0  # no variance, no evidence
    assert quantile_difference(base, base * 1.3, 0.95).lower_bound > 0
    assert quantile_difference(base, base, 0.95).p_value > 0.4
    assert mean_difference([0.015] * 10, [0.02] * 10).p_value < 0.01
    errors, words = [1.0, 0.0, 2.0, 1.0] * 5, [10.0, 12.0, 8.0, 9.0] * 5
    assert ratio_difference((errors, words), ([e + 2 for e in errors], words)).p_value < 0.01
    assert ratio_difference((errors, words), (errors, words)).p_value > 0.4
    assert fisher_drop(40, 40, 30, 40).p_value < 0.01
    assert fisher_drop(40, 40, 40, 40).p_value == 1.0


def test_bootstrap_p_value_is_never_zero() -> None:
    diff = quantile_difference([1.0, 1.1, 0.9, 1.0, 1.05], [9.0, 9.1, 8.9, 9.0, 9.2], 0.5)
    assert 0.0 < diff.p_value < 0.001


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), min_size=1, max_size=12))
def test_pareto_front_is_exactly_the_undominated_points(points: list[tuple[int, int]]) -> None:
    floats = [(float(c), float(e)) for c, e in points]
    front = pareto_front(floats)
    for (cost, err), on_front in zip(floats, front, strict=True):
        dominated = any(c <= cost and e <= err and (c, e) != (cost, err) for c, e in floats)
        assert on_front is not dominated
    assert any(front)  # a non-empty set always has an undominated point


def test_a_success_rate_and_a_hard_text_accuracy_share_one_wilson_interval() -> None:
    """One owner: the report's success rates ask harness.measurement.wilson, which the hard-text tables use."""
    from harness.measurement import wilson

    rate, share = proportion_interval(17, 20), wilson(17, 20)
    assert (rate.low, rate.high) == (share.low, share.high) and rate.value == pytest.approx(0.85)
