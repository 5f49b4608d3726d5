"""A clip's (or an offering's) timing-mark figures (issue 65): the onset error of the provider's word marks against
where the harness's aligner hears each word, median and p95 in ms with their bootstrap intervals, and coverage.

The pairing of marks with heard words and the invariants are the core's (`harness.core.timing_marks`); this module
turns pairs into figures, with the percentile bootstrap every interval of the harness uses. The aligner's own error
on known truth (docs/measurements.md, benchmarks/perf/aligner_error.py) is the floor these figures cannot go under:
a provider whose marks are true shows about the aligner's error, not zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from harness.measurement.bootstrap import FloatArray, percentile_interval


@dataclass(frozen=True, slots=True)
class OnsetFigures:
    """Median and p95 onset error (ms), each (value, low, high) of its 95% interval (NaN bounds under two words), over
    `words` paired marks; `coverage` words marked / words sent (None: nothing sent)."""

    median_ms: tuple[float, float, float]
    p95_ms: tuple[float, float, float]
    words: int
    coverage: float | None


def _median(data: FloatArray, axis: int = -1) -> FloatArray:
    return np.asarray(np.median(data, axis=axis))


def _p95(data: FloatArray, axis: int = -1) -> FloatArray:
    return np.asarray(np.quantile(data, 0.95, axis=axis, method="linear"))


def onset_figures(pairs: Sequence[tuple[float, float]], coverage: float | None) -> OnsetFigures | None:
    """The figures of (mark start, heard start) pairs in seconds; None where no word was paired (no figure, never 0)."""
    if not pairs:
        return None
    errors = np.abs(np.array([mark - heard for mark, heard in pairs], dtype=np.float64)) * 1000.0
    median = percentile_interval(errors, _median)
    p95 = percentile_interval(errors, _p95)
    return OnsetFigures(median[:3], p95[:3], len(pairs), coverage)
