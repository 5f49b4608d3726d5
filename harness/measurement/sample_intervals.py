"""Intervals of a figure over a run's clips that hold at two clips as at thirty: a quantile's from its order
statistics, a score's mean from Student's t, and none where no such interval exists.

A percentile bootstrap over the clips of an offering said "1,483 ms (1,420–1,546)" for a p50 of two jobs: resampling
two values can only return them, so its "95%" interval is their range, and it holds the true median half the time
(the simulation in tests/measurement/test_sample_intervals.py: 45–55% at two clips, 75–84% at five). What holds:

* a quantile: the distribution-free interval between two order statistics whose binomial coverage is at least 95%
  (``scipy.stats.quantile_test``'s confidence interval), exact for any continuous distribution at any size. It
  exists only where the sample can hold it: a median from six values, a p95 from about ninety; below that there is
  no interval, and none is shown (not a narrower one);
* the mean of a bounded score (similarity, DNSMOS): Student's t, which holds for light-tailed scores from two
  values on (its width at two, 12.7 standard errors, is what two values can say);
* the mean of a skewed figure (latency): none. No interval of a mean holds at a few values of a long-tailed
  distribution (Student's t covers 82% of lognormal means at five); the quantiles carry its intervals.

Each returns (value, low, high, n), NaN bounds where there is no interval, as `percentile_interval` does.
"""

from __future__ import annotations

import functools
import importlib
import math
from typing import Any

import numpy as np

from harness.core.quantiles import sorted_quantile
from harness.measurement.bootstrap import BOOTSTRAP_CONFIDENCE, FloatArray

NO_INTERVAL = (math.nan, math.nan)


def _scipy_stats() -> Any:
    return importlib.import_module("scipy.stats")


def quantile_interval_exact(data: FloatArray, q: float) -> tuple[float, float, float, int]:
    """The q-quantile (the harness's convention, `harness.core.quantiles`) with its distribution-free 95% interval
    between order statistics; NaN bounds where the sample is too small to hold one on both sides."""
    values = np.asarray(data, dtype=np.float64)
    if not values.size:
        return math.nan, *NO_INTERVAL, 0
    ordered = np.sort(values)
    # the core's pure-Python quantile, not numpy's: the same convention, but numpy's arithmetic differs in the last
    # bit for some quantiles, and the summary and the contract suite (no numpy there) take theirs from the core
    value = sorted_quantile(ordered.tolist(), q)
    ranks = _order_statistics(int(values.size), float(q))
    if ranks is None:
        return value, *NO_INTERVAL, int(values.size)
    return value, float(ordered[ranks[0]]), float(ordered[ranks[1]]), int(values.size)


@functools.lru_cache(maxsize=1024)
def _order_statistics(size: int, q: float) -> tuple[int, int] | None:
    """Which order statistics (0-based) bound the q-quantile's 95% interval in a sample of this size: scipy's
    interval asked of the ranks themselves (they depend on the size and q alone); None where it has no two sides."""
    if size < 2:
        return None
    found = (
        _scipy_stats()
        .quantile_test(np.arange(size, dtype=np.float64), q=0.0, p=q)
        .confidence_interval(BOOTSTRAP_CONFIDENCE)
    )
    if not (math.isfinite(found.low) and math.isfinite(found.high)):
        return None
    return int(found.low), int(found.high)


def score_mean_interval(data: FloatArray) -> tuple[float, float, float, int]:
    """The mean of a bounded, light-tailed score with Student's t 95% interval (NaN bounds under two values; a
    constant sample's interval is the value itself)."""
    values = np.asarray(data, dtype=np.float64)
    if not values.size:
        return math.nan, *NO_INTERVAL, 0
    value = float(np.mean(values))
    if values.size < 2:
        return value, *NO_INTERVAL, int(values.size)
    spread = float(np.std(values, ddof=1))
    if spread == 0.0:
        return value, value, value, int(values.size)
    half = _t_quantile(int(values.size) - 1) * spread / math.sqrt(values.size)
    return value, value - half, value + half, int(values.size)


@functools.lru_cache(maxsize=1024)
def _t_quantile(degrees_of_freedom: int) -> float:
    return float(_scipy_stats().t.ppf(0.5 + BOOTSTRAP_CONFIDENCE / 2, degrees_of_freedom))


def mean_without_interval(data: FloatArray) -> tuple[float, float, float, int]:
    """The mean of a skewed figure (a latency), with no interval: none holds at a few values."""
    values = np.asarray(data, dtype=np.float64)
    return (float(np.mean(values)) if values.size else math.nan), *NO_INTERVAL, int(values.size)
