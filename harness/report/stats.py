"""Intervals and significance tests: the statistics that let a report show uncertainty and a gate not cry wolf.

Most published TTS benchmarks print means with no interval; a CI gate built on such numbers flags noise.
Every figure here comes with a 95% interval, and every regression test with a p-value:

* quantiles (p50/p95/p99) in the harness's one convention (`harness.core.quantiles`: Hyndman–Fan
  type 7, numpy's "linear"): the distribution-free interval between order statistics, and none where the sample
  cannot hold one (a median under six values); a bounded score's mean: Student's t; a latency's mean:
  none (`harness.measurement.sample_intervals`: a percentile bootstrap over an offering's two clips gave their range
  as its "95%" interval, holding the truth half the time);
* pooled ratios (WER = sum of errors / sum of reference words): Korn and Graubard's interval for a clustered
  proportion (`harness.measurement.pooled_rate`), which holds at two clips where a bootstrap over two utterances
  is far too narrow;
* proportions (success rate): Wilson score interval (``scipy.stats.binomtest``);
* differences between two runs: one-sided tests that NEW is worse than BASE: Mann–Whitney U for latency
  distributions, a two-sample percentile bootstrap for quantiles, means and pooled ratios (the
  difference is significant when the one-sided 95% lower bound of NEW − BASE is above zero), and
  Fisher's exact test for success rates;
* many tests at once: Holm's step-down adjustment (family-wise error rate control without assuming
  independence; scipy offers only false-discovery-rate control, so these few lines are ours).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from harness.core.quantiles import NUMPY_METHOD
from harness.measurement import (
    BOOTSTRAP_CONFIDENCE,
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    Statistic,
    mean_without_interval,
    pooled_ratio_interval,
    quantile_interval_exact,
    ratio_from_indices,
    score_mean_interval,
    wilson,
)
from harness.measurement import bootstrap_rng as _rng


def _scipy_stats() -> Any:
    """scipy.stats, imported when a test is first computed: the import takes most of a second, and every process
    that loads the report (each CLI command, each test worker) would pay it up front."""
    return importlib.import_module("scipy.stats")


CONFIDENCE = BOOTSTRAP_CONFIDENCE
RESAMPLES = BOOTSTRAP_RESAMPLES
SEED = BOOTSTRAP_SEED

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Interval:
    """A point estimate with its 95% interval (order statistics, Student's t, Wilson, or for a pooled rate
    Korn–Graubard: `harness.measurement.sample_intervals`); NaN bounds where the sample is too small to hold one."""

    value: float
    low: float
    high: float
    sample_size: int

    def to_json(self) -> dict[str, float | int | None]:
        return {
            "value": _finite(self.value),
            "low": _finite(self.low),
            "high": _finite(self.high),
            "n": self.sample_size,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Difference:
    """NEW − BASE of one statistic, its one-sided lower bound and the test's p-value (small = NEW worse)."""

    base: float
    new: float
    delta: float
    lower_bound: float  # one-sided 95% lower bound of delta (bootstrap) or NaN for rank/exact tests
    p_value: float
    method: str

    def to_json(self) -> dict[str, float | str | None]:
        return {
            "base": _finite(self.base),
            "new": _finite(self.new),
            "delta": _finite(self.delta),
            "lower_bound": _finite(self.lower_bound),
            "p_value": _finite(self.p_value),
            "method": self.method,
        }


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def _array(values: Sequence[float]) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def _quantile_statistic(q: float) -> Statistic:
    def statistic(sample: FloatArray, axis: int = -1) -> FloatArray:
        return np.asarray(np.quantile(sample, q, axis=axis, method=NUMPY_METHOD))

    return statistic


def _mean_statistic(sample: FloatArray, axis: int = -1) -> FloatArray:
    return np.asarray(np.mean(sample, axis=axis))


def quantile_interval(values: Sequence[float], q: float) -> Interval:
    """The q-quantile with its order-statistic interval (none where the sample cannot hold one)."""
    return Interval(*quantile_interval_exact(_array(values), q))


def mean_interval(values: Sequence[float]) -> Interval:
    """A bounded score's mean with Student's t interval (a check pooled by its mean: `harness.checks.pooled`)."""
    return Interval(*score_mean_interval(_array(values)))


def skewed_mean(values: Sequence[float]) -> Interval:
    """A latency's mean, without an interval: none holds at a few values of a long-tailed figure."""
    return Interval(*mean_without_interval(_array(values)))


def ratio_interval(numerators: Sequence[float], denominators: Sequence[float]) -> Interval:
    """Pooled ratio sum(num)/sum(den) (e.g. corpus WER) with the interval that holds at two clips
    (`harness.measurement.pooled_rate`), not a bootstrap: over a few utterances that is far too narrow."""
    return Interval(*pooled_ratio_interval(_array(numerators), _array(denominators)))


def proportion_interval(successes: int, trials: int) -> Interval:
    """Share of successes with the Wilson score interval (sensible at 0% and 100%, unlike the normal one): the one
    Wilson interval of the harness, `harness.measurement.wilson`'s, which the hard-text figures use too."""
    if trials <= 0:
        return Interval(float("nan"), float("nan"), float("nan"), 0)
    share = wilson(successes, trials)
    return Interval(successes / trials, share.low, share.high, trials)


def _bootstrap_p_value(distribution: FloatArray) -> float:
    """Share of resampled worlds in which NEW is not worse, with the +1 correction (never exactly 0)."""
    return float((np.count_nonzero(distribution <= 0.0) + 1) / (distribution.size + 1))


def _bootstrap_difference(
    base: FloatArray, new: FloatArray, statistic: Statistic, seed: int, method: str
) -> Difference:
    base_value, new_value = float(statistic(base, -1)), float(statistic(new, -1))
    delta = new_value - base_value
    if base.size < 2 or new.size < 2:
        return Difference(
            base=base_value, new=new_value, delta=delta, lower_bound=float("nan"), p_value=float("nan"), method=method
        )

    def difference(b: FloatArray, n: FloatArray, axis: int = -1) -> FloatArray:
        return np.asarray(statistic(n, axis) - statistic(b, axis))

    low, p_value = _one_sided_bootstrap((base, new), difference, seed)
    return Difference(base=base_value, new=new_value, delta=delta, lower_bound=low, p_value=p_value, method=method)


def _one_sided_bootstrap(
    samples: tuple[FloatArray, FloatArray], difference: Callable[..., FloatArray], seed: int
) -> tuple[float, float]:
    """(lower confidence bound, p-value) of NEW − BASE > 0: the one resampling setup every test shares."""
    result = _scipy_stats().bootstrap(
        samples,
        difference,
        n_resamples=RESAMPLES,
        confidence_level=CONFIDENCE,
        method="percentile",
        alternative="greater",
        vectorized=True,
        axis=-1,
        rng=_rng(seed),
    )
    return float(result.confidence_interval.low), _bootstrap_p_value(np.asarray(result.bootstrap_distribution))


def quantile_difference(base: Sequence[float], new: Sequence[float], q: float, seed: int = SEED) -> Difference:
    return _bootstrap_difference(
        _array(base), _array(new), _quantile_statistic(q), seed, f"two-sample percentile bootstrap of p{q * 100:g}"
    )


def mean_difference(base: Sequence[float], new: Sequence[float], seed: int = SEED) -> Difference:
    return _bootstrap_difference(_array(base), _array(new), _mean_statistic, seed, "two-sample percentile bootstrap")


def ratio_difference(
    base: tuple[Sequence[float], Sequence[float]], new: tuple[Sequence[float], Sequence[float]], seed: int = SEED
) -> Difference:
    """NEW − BASE of pooled ratios, resampling utterances of each run independently."""
    (bn, bd), (nn, nd) = (_array(base[0]), _array(base[1])), (_array(new[0]), _array(new[1]))
    base_value = float(bn.sum() / bd.sum()) if bd.sum() > 0 else float("nan")
    new_value = float(nn.sum() / nd.sum()) if nd.sum() > 0 else float("nan")
    method = "two-sample percentile bootstrap over utterances of the pooled ratio"
    if bn.size < 2 or nn.size < 2 or not (np.isfinite(base_value) and np.isfinite(new_value)):
        return Difference(
            base=base_value,
            new=new_value,
            delta=new_value - base_value,
            lower_bound=float("nan"),
            p_value=float("nan"),
            method=method,
        )
    base_stat, new_stat = ratio_from_indices(bn, bd), ratio_from_indices(nn, nd)

    def difference(b: FloatArray, n: FloatArray, axis: int = -1) -> FloatArray:
        return np.asarray(new_stat(n, axis) - base_stat(b, axis))

    indices = (np.arange(bn.size, dtype=np.float64), np.arange(nn.size, dtype=np.float64))
    low, p_value = _one_sided_bootstrap(indices, difference, seed)
    return Difference(
        base=base_value, new=new_value, delta=new_value - base_value, lower_bound=low, p_value=p_value, method=method
    )


def mann_whitney_greater(base: Sequence[float], new: Sequence[float]) -> Difference:
    """One-sided Mann–Whitney U: are NEW's values stochastically larger than BASE's? Reports medians."""
    b, n = _array(base), _array(new)
    base_median = float(np.median(b)) if b.size else float("nan")
    new_median = float(np.median(n)) if n.size else float("nan")
    method = "one-sided Mann-Whitney U (NEW > BASE)"
    if not b.size or not n.size:
        p_value = float("nan")
    elif np.ptp(np.concatenate([b, n])) == 0:
        p_value = 1.0  # every value equal: no evidence of a shift (scipy would divide by a zero variance)
    else:
        p_value = float(_scipy_stats().mannwhitneyu(n, b, alternative="greater").pvalue)
    return Difference(
        base=base_median,
        new=new_median,
        delta=new_median - base_median,
        lower_bound=float("nan"),
        p_value=p_value,
        method=method,
    )


def fisher_drop(base_successes: int, base_trials: int, new_successes: int, new_trials: int) -> Difference:
    """One-sided Fisher's exact test: is NEW's success rate lower than BASE's? Deltas are in rate units."""
    base_rate = base_successes / base_trials if base_trials else float("nan")
    new_rate = new_successes / new_trials if new_trials else float("nan")
    method = "one-sided Fisher's exact test (NEW success rate < BASE)"
    if not base_trials or not new_trials:
        return Difference(
            base=base_rate,
            new=new_rate,
            delta=new_rate - base_rate,
            lower_bound=float("nan"),
            p_value=float("nan"),
            method=method,
        )
    table = [[base_successes, base_trials - base_successes], [new_successes, new_trials - new_successes]]
    # Rows BASE, NEW; "greater" asks whether BASE's odds of success exceed NEW's.
    p_value = float(_scipy_stats().fisher_exact(table, alternative="greater").pvalue)
    return Difference(
        base=base_rate,
        new=new_rate,
        delta=new_rate - base_rate,
        lower_bound=float("nan"),
        p_value=p_value,
        method=method,
    )


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm-adjusted p-values, in the input order: reject where adjusted < alpha keeps FWER <= alpha."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted = [1.0] * len(p_values)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted
