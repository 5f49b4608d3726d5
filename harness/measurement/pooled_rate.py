"""The one interval of a rate pooled over clips (WER, CER: the sum of errors over the sum of reference lengths),
for every face that shows one: the report's leaderboard, the summary's per-language rates (terminal, JSON,
Markdown), the language self-test.

Why not the bootstrap over utterances used before: over two clips it resamples two numbers, and gave "8.0%
(7.7–8.3%)" where two sentences can tell almost nothing; at five clips it still covered the true rate far less
often than 95%. Errors cluster by sentence (one hard sentence holds most of a voice's errors), so the clips, not
the words, are the independent draws, and few clips mean few degrees of freedom.

The rule is Korn and Graubard's interval for a proportion estimated from a clustered sample (Survey Methodology
24, 1998; the one NCHS publishes its proportions with): the ratio's variance between clips (its linearisation,
n − 1 degrees of freedom) gives a design effect against the binomial variance of the words, never taken below 1;
the words become an effective count, shrunk again by (z / t)² for the few degrees of freedom, and the
Clopper–Pearson interval of that count is the interval. At two clips it spans nearly 0–100% (one degree of
freedom: what two sentences can honestly tell); it narrows as clips are added. Its coverage, on rates simulated
with clustering between clips, holds at 2, 5 and 30 clips (`tests/measurement/test_pooled_rate.py`). A rate above
1 (more insertions than reference words) also gets the linearised t interval's upper side, so the interval holds
its own point. Below two clips there is no interval (NaN bounds), said so by each face.

Vectorised over leading axes, so the coverage test runs thousands of simulated runs through this same code.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import numpy.typing as npt

CONFIDENCE = 0.95

FloatArray = npt.NDArray[np.float64]


def _stats() -> Any:
    """scipy.stats, imported when an interval is first computed: the import takes most of a second."""
    return importlib.import_module("scipy.stats")


def pooled_rate_bounds(errors: FloatArray, lengths: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(rate, low, high) of sum(errors) / sum(lengths) along the last axis (the clips), at least two clips each."""
    stats = _stats()
    clips = errors.shape[-1]
    total = lengths.sum(axis=-1)
    rate = errors.sum(axis=-1) / total
    residuals = errors - rate[..., None] * lengths
    variance = (residuals**2).sum(axis=-1) / (clips - 1) / clips / lengths.mean(axis=-1) ** 2
    share = np.minimum(rate, 1.0)
    binomial = share * (1.0 - share) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        design_effect = np.maximum(np.where(binomial > 0, variance / binomial, 1.0), 1.0)
    tail = (1.0 - CONFIDENCE) / 2
    t = float(stats.t.ppf(1.0 - tail, clips - 1))
    effective = total / design_effect * (float(stats.norm.ppf(1.0 - tail)) / t) ** 2
    count = share * effective
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(count > 0, stats.beta.ppf(tail, count, effective - count + 1), 0.0)
        high = np.where(count < effective, stats.beta.ppf(1.0 - tail, count + 1, effective - count), 1.0)
    high = np.where(rate > 1.0, np.maximum(high, rate + t * np.sqrt(variance)), high)
    return rate, np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)


def pooled_ratio_interval(numerators: FloatArray, denominators: FloatArray) -> tuple[float, float, float, int]:
    """(the pooled rate, its 95% interval's low and high, the number of clips); NaN bounds below two clips, NaN
    throughout without a denominator."""
    if numerators.shape != denominators.shape:
        raise ValueError(f"expected as many numerators as denominators, got {numerators.size} and {denominators.size}")
    size = int(numerators.size)
    if not size or denominators.sum() <= 0:
        return float("nan"), float("nan"), float("nan"), size
    value = float(numerators.sum() / denominators.sum())
    if size < 2:
        return value, float("nan"), float("nan"), size
    _, low, high = pooled_rate_bounds(numerators.astype(np.float64), denominators.astype(np.float64))
    return value, float(low), float(high), size
