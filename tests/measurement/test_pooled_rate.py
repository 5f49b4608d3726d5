"""The pooled rate's interval holds at two clips: its coverage, on error counts simulated with errors clustered by
sentence, is at least the nominal 95% (less the simulation's own noise) at 2, 5 and 30 clips.

The simulation: each clip 6–30 words long, its own error rate drawn from a beta distribution around the true rate
(intra-clip correlation 0.02 and 0.1: one hard sentence holds a share of a voice's errors), its errors binomial
over its words; the true pooled rate is the beta's mean. 3,000 simulated runs per cell, vectorised through the
same function every face calls, so the whole test takes well under a second.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from harness.measurement import pooled_rate_bounds, pooled_ratio_interval, wilson

RUNS = 3000
FLOOR = 0.93  # 95% nominal; 3,000 runs measure a coverage within about ±0.008 (two standard errors)


def _simulate(rng: np.random.Generator, clips: int, rate: float, correlation: float) -> tuple[np.ndarray, np.ndarray]:
    lengths = rng.integers(6, 31, size=(RUNS, clips))
    spread = (1 - correlation) / correlation
    rates = rng.beta(rate * spread, (1 - rate) * spread, size=(RUNS, clips))
    return rng.binomial(lengths, rates).astype(np.float64), lengths.astype(np.float64)


@pytest.mark.parametrize("clips", [2, 5, 30])
def test_coverage_holds_at_few_and_many_clips(clips: int) -> None:
    rng = np.random.default_rng(68 + clips)
    for rate in (0.02, 0.08, 0.25):
        for correlation in (0.02, 0.1):
            errors, lengths = _simulate(rng, clips, rate, correlation)
            _, low, high = pooled_rate_bounds(errors, lengths)
            coverage = float(np.mean((low <= rate) & (rate <= high)))
            assert coverage >= FLOOR, (clips, rate, correlation, coverage)


def test_the_simulation_catches_an_interval_that_counts_words_as_independent() -> None:
    """The test above can fail: the binomial (Wilson) interval over the words, blind to the clustering, covers
    far less than 95% of the same simulated runs at 30 clips."""
    rng = np.random.default_rng(7)
    errors, lengths = _simulate(rng, 30, 0.08, 0.1)
    covered = 0
    for run in range(300):
        share = wilson(int(errors[run].sum()), int(lengths[run].sum()))
        covered += share.low <= 0.08 <= share.high
    assert covered / 300 < 0.85


def test_two_clips_say_little_and_more_clips_narrow_it() -> None:
    """The README's first run: two sentences, 2 errors in 25 words. The old bootstrap said 8.0% (7.7–8.3%)."""
    value, low, high, size = pooled_ratio_interval(np.array([1.0, 1.0]), np.array([12.0, 13.0]))
    assert (value, size) == (pytest.approx(0.08), 2)
    assert low < 0.01 and high > 0.9
    value, low, high, _ = pooled_ratio_interval(np.array([1.0, 1.0] * 15), np.array([12.0, 13.0] * 15))
    assert 0.04 < low < value < high < 0.13


def test_one_clip_has_no_interval_and_a_clean_run_an_upper_bound() -> None:
    value, low, high, size = pooled_ratio_interval(np.array([3.0]), np.array([20.0]))
    assert value == pytest.approx(0.15) and size == 1 and math.isnan(low) and math.isnan(high)
    value, low, high, _ = pooled_ratio_interval(np.zeros(30), np.full(30, 15.0))
    assert value == 0.0 and low == 0.0 and 0.0 < high < 0.02


def test_a_rate_above_one_stays_inside_its_interval() -> None:
    value, low, high, _ = pooled_ratio_interval(np.array([9.0, 7.0, 8.0]), np.array([4.0, 5.0, 6.0]))
    assert low <= value <= high
