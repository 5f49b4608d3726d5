"""The one quantile convention of every figure the harness prints (the run summary, the report, the
perf scripts) and of the adaptive poller's duration model.

Hyndman & Fan's type 7: sort the n values, take position h = q·(n − 1), and interpolate linearly between
the order statistics either side of h. It is numpy's default (`np.quantile(..., method="linear")`, named
here as `NUMPY_METHOD` for the report's vectorised bootstrap) and R's default, so p50 and p95 here are the
numbers a reader recomputes from the exported rows with either tool (numpy's arithmetic differs in the last bit for
about 2% of quantiles). Pure Python: the contract suite runs without numpy (the timing marks' medians), so this is
the one computation of every quantile a face prints — the checks' too (`harness.measurement.quantile_interval_exact`
takes its value from here); numpy's is only the bootstrap's, over whole arrays of resamples.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Final

NUMPY_METHOD: Final = "linear"  # the same convention, for code that must hand numpy whole arrays of resamples


def sorted_quantile(ordered: Sequence[float], q: float) -> float:
    """The q-quantile (q in [0, 1]) of values already in ascending order."""
    if not ordered:
        raise ValueError("the quantile of no values is undefined")
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"a quantile is between 0 and 1, got {q}")
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def quantile(values: Iterable[float], q: float) -> float | None:
    """The q-quantile (q in [0, 1]) of `values` in any order; None when there are none."""
    ordered = sorted(values)
    return sorted_quantile(ordered, q) if ordered else None
