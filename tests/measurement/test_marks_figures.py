"""The onset-error figures of a clip's marks against the aligner's (`harness.measurement.marks`, issue 65): median
and p95 with bootstrap intervals, and no figure at all (never 0) where no word was paired."""

from __future__ import annotations

import math

from harness.measurement import onset_figures


def test_onset_error_median_and_p95_with_intervals() -> None:
    pairs = [(i * 0.5 + shift, i * 0.5) for i, shift in enumerate([0.01, -0.02, 0.03, 0.04, -0.05, 0.15] * 4)]
    figures = onset_figures(pairs, coverage=0.9)
    assert figures is not None and figures.words == 24 and figures.coverage == 0.9
    value, low, high = figures.median_ms
    assert math.isclose(value, 35.0, abs_tol=0.01) and low <= value <= high
    # 24 words hold a median's interval, not a p95's: none rather than one that would not hold
    assert figures.p95_ms[0] > 100 and math.isnan(figures.p95_ms[1]) and math.isnan(figures.p95_ms[2])
    many = onset_figures(pairs * 5, coverage=0.9)
    assert many is not None and many.p95_ms[1] <= many.p95_ms[0] <= many.p95_ms[2]  # 120 words do


def test_no_pair_is_no_figure() -> None:
    assert onset_figures([], coverage=0.0) is None
    one = onset_figures([(1.0, 1.1)], coverage=1.0)
    assert one is not None and math.isnan(one.median_ms[1])  # one word: no interval, said as NaN
