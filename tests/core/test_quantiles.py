"""One quantile convention (Hyndman–Fan type 7, numpy's "linear") for the summary, the report and the poller."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.core.quantiles import NUMPY_METHOD, quantile, sorted_quantile

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


def test_type_7_by_hand() -> None:
    assert quantile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.5  # h = 1.5: halfway between 2 and 3
    assert quantile(range(1, 21), 0.95) == pytest.approx(19.05)  # h = 18.05 over 1..20
    assert quantile([7.0], 0.95) == 7.0
    assert quantile([1.0, 9.0], 0.0) == 1.0 and quantile([1.0, 9.0], 1.0) == 9.0
    assert quantile([], 0.5) is None


def test_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        quantile([1.0, 2.0], 95)  # a percent where a fraction belongs
    with pytest.raises(ValueError, match="no values"):
        sorted_quantile([], 0.5)


@settings(deadline=None)  # the first example imports numpy
@given(st.lists(finite, min_size=1, max_size=60), st.floats(min_value=0.0, max_value=1.0))
def test_numpy_agrees(values: list[float], q: float) -> None:
    np = pytest.importorskip("numpy")
    expected = float(np.quantile(values, q, method=NUMPY_METHOD))
    assert quantile(values, q) == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_the_summary_and_the_report_use_it() -> None:
    pytest.importorskip("scipy")
    from harness.checks.response_time import quantiles
    from harness.report.stats import quantile_interval

    latencies = [812.0, 1093.0, 951.0, 2210.0, 1204.0, 990.0, 1501.0]
    # The summary prints the latency check's figures (as the leaderboard does), whose quantiles are the core's.
    assert quantiles(latencies)["p95"][0] == quantile(latencies, 0.95)
    for q in (0.5, 0.95, 0.99):
        # one computation: the same float, not one within numpy's last bit
        assert quantile_interval(latencies, q).value == quantile(latencies, q)


@settings(deadline=None)  # the first example imports numpy and scipy
@given(st.lists(st.floats(min_value=1.0, max_value=1e5), min_size=1, max_size=60), st.sampled_from((0.5, 0.95, 0.99)))
def test_the_checks_quantiles_are_the_cores_to_the_bit(values: list[float], q: float) -> None:
    """A check's quantile with its interval (the response-time check's, the pooled medians') is the core's, bit for
    bit, so the summary and the leaderboard print one number."""
    np = pytest.importorskip("numpy")
    pytest.importorskip("scipy")
    from harness.measurement import quantile_interval_exact

    assert quantile_interval_exact(np.asarray(values), q)[0] == quantile(values, q)
