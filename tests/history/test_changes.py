"""Changes found, not eyeballed: a step is found where it starts, the newest run's change is the gate's,
and over series without a change the false alarms stay within the stated rate."""

from __future__ import annotations

import numpy as np
from scipy import stats

from harness.history.changes import ALPHA, find_changes


def _series(seed: int, step_at: int | None = None, factor: float = 1.5, n: int = 30) -> list[float]:
    rng = np.random.default_rng(seed)
    values = 800.0 * np.exp(rng.normal(0, 0.05, n))
    if step_at is not None:
        values[step_at:] *= factor
    return list(values)


def test_a_step_is_found_where_it_starts_with_its_size_and_confidence() -> None:
    for seed in range(20):
        (change,) = find_changes(_series(seed, step_at=20), log_scale=True)
        assert abs(change.index - 20) <= 1 and change.method == "segmentation"
        assert 0.4 < change.relative < 0.6 and change.confidence >= 1 - ALPHA / 2  # type: ignore[operator]


def test_the_newest_run_starting_a_change_is_flagged_as_such() -> None:
    values = _series(3, step_at=29, factor=2.0)
    changes = find_changes(values, log_scale=True)
    assert [(c.index, c.method) for c in changes] == [(29, "newest run")]
    assert find_changes(values[:-1], log_scale=True) == []


def test_false_alarms_over_series_without_a_change_are_within_the_stated_rate() -> None:
    seeds = 300
    alarms = sum(bool(find_changes(_series(1000 + seed), log_scale=True, seed=seed)) for seed in range(seeds))
    # At most ALPHA per series: more than the binomial's 99.9% quantile would refute the stated rate.
    assert alarms <= stats.binom.ppf(0.999, seeds, ALPHA)
    heavy = sum(bool(find_changes(list(np.random.default_rng(seed).standard_t(3, 30) + 10), seed=seed))
                for seed in range(seeds))  # heavy tails: the permutation test still holds, the t test nearly
    assert heavy <= stats.binom.ppf(0.999, seeds, 2 * ALPHA)


def test_a_constant_series_then_a_new_value_is_a_change() -> None:
    assert [c.index for c in find_changes([0.0] * 10 + [0.2])] == [10]
    assert find_changes([0.0] * 11) == []
