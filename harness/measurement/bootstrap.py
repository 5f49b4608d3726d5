"""The percentile bootstrap compare's differences between two runs come from (an interval over one run's clips
is `sample_intervals`': a bootstrap over two clips returns their range as its 95%): scipy's ``bootstrap``, 2,000
resamples at 95%, a fixed seed so the same rows always give the same interval. Percentile rather than BCa: BCa's
jackknife is unstable for quantiles of small samples and undefined for constant data. `harness.report.stats` builds
its tests on it.

A pooled ratio's *difference* between two runs (compare's WER check, at five clips a side or more) is resampled by
utterance: each resample draws utterance indices, so an utterance's numerator and denominator travel together. A
pooled ratio's own interval is not bootstrapped (over two clips it is far too narrow): `pooled_rate`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

BOOTSTRAP_CONFIDENCE = 0.95
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20261122  # fixed: the same rows always give the same intervals

FloatArray = npt.NDArray[np.float64]
Statistic = Callable[[FloatArray, int], FloatArray]  # a statistic of samples along an axis, vectorised


def _scipy_stats() -> Any:
    """scipy.stats, imported when an interval is first computed: the import takes most of a second."""
    return importlib.import_module("scipy.stats")


def bootstrap_rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def percentile_interval(
    data: FloatArray, statistic: Statistic, seed: int = BOOTSTRAP_SEED
) -> tuple[float, float, float, int]:
    """(the statistic, its 95% interval's low and high, the sample size); NaN bounds below two values."""
    value = float(statistic(data, -1)) if data.size else float("nan")
    if data.size < 2:
        return value, float("nan"), float("nan"), int(data.size)
    result = _scipy_stats().bootstrap(
        (data,),
        statistic,
        n_resamples=BOOTSTRAP_RESAMPLES,
        confidence_level=BOOTSTRAP_CONFIDENCE,
        method="percentile",
        vectorized=True,
        axis=-1,
        rng=bootstrap_rng(seed),
    )
    low, high = result.confidence_interval
    return value, float(low), float(high), int(data.size)


def ratio_from_indices(numerators: FloatArray, denominators: FloatArray) -> Statistic:
    """A statistic over resampled utterance *indices*, so numerator and denominator travel together."""

    def statistic(indices: FloatArray, axis: int = -1) -> FloatArray:
        picked = indices.astype(np.int64)
        total = denominators[picked].sum(axis=axis)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(numerators[picked].sum(axis=axis) / total)

    return statistic
