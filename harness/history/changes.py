"""Change points in a series of per-run figures, by a stated method with a stated false-alarm rate.

Two tests, each at half the false-alarm rate `ALPHA` (so a series without a change is flagged with
probability at most `ALPHA`, 1%), run on the metric's scale (`log` for figures that only scale — latency,
cost, polls —, so a doubling is the same size at 200 ms and at 2 s):

* **Segmentation** (where the series changed): binary segmentation by the CUSUM statistic
  `max_k |mean(x[:k]) - mean(x[k:])| * sqrt(k (n - k) / n)`, with at least `MIN_SEGMENT` runs on each side,
  its p-value from `RESAMPLES` random permutations of the series. A series whose runs are exchangeable (no
  change) is flagged with probability at most `ALPHA / 2` — exact, whatever the noise's distribution, because
  the permutation test conditions on the values seen. A flagged series is split at the change and each side
  tested again, after j changes found at level `ALPHA / 2 / (j + 1)` (the more tests, the stricter each).
* **The newest run** (whether it starts a change: the nightly gate): the newest value against the runs since
  the last change, by a Student t prediction interval (`ALPHA / 2` two-sided, at least `MIN_HISTORY` runs
  before it). Under normal run-to-run noise on the metric's scale its false-alarm rate is `ALPHA / 2` per
  series per night. A single newest run cannot be told from an outlier; the next night's segmentation says
  which it was.

ruptures (PELT, binary segmentation) was considered: its penalties do not state a false-alarm rate, which
this page must, so the permutation test above is used instead (numpy and scipy only).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ALPHA = 0.01  # false-alarm rate per series: half to each test
RESAMPLES = 999
MIN_SEGMENT = 2  # runs on each side of a change found by segmentation
MIN_HISTORY = 5  # runs before the newest for the newest-run check
SEED = 20261122


@dataclass(frozen=True, slots=True)
class ChangePoint:
    """A change starting at run `index` (0-based in the series): the mean before and after, on the figure's
    own scale, and the test's p-value."""

    index: int
    before: float
    after: float
    p_value: float
    method: str  # "segmentation" | "newest run"

    @property
    def size(self) -> float:
        return self.after - self.before

    @property
    def relative(self) -> float | None:
        return self.size / abs(self.before) if self.before else None

    @property
    def confidence(self) -> float:
        return 1.0 - self.p_value


def _cusum(matrix: np.ndarray, low: int, high: int) -> np.ndarray:
    """The weighted CUSUM statistic of each row at every split k in [low, high] (columns)."""
    n = matrix.shape[1]
    sums = np.cumsum(matrix, axis=1)
    total = sums[:, -1:]
    k = np.arange(low, high + 1)
    left = sums[:, k - 1] / k
    right = (total - sums[:, k - 1]) / (n - k)
    return np.abs(left - right) * np.sqrt(k * (n - k) / n)


def _split(values: np.ndarray, rng: np.random.Generator, alpha: float) -> tuple[int, float] | None:
    """The most likely change of `values` and its permutation p-value, when that is at most `alpha`."""
    n = len(values)
    if n < 2 * MIN_SEGMENT or float(np.ptp(values)) == 0.0:
        return None
    low, high = MIN_SEGMENT, n - MIN_SEGMENT
    observed = _cusum(values[None, :], low, high)[0]
    best = int(np.argmax(observed))
    shuffled = rng.permuted(np.tile(values, (RESAMPLES, 1)), axis=1)
    null = _cusum(shuffled, low, high).max(axis=1)
    p_value = (1 + int(np.sum(null >= observed[best] - 1e-12))) / (RESAMPLES + 1)
    return (low + best, p_value) if p_value <= alpha else None


def segment(values: Sequence[float] | np.ndarray, alpha: float = ALPHA, seed: int = SEED) -> list[tuple[int, float]]:
    """Every change found by binary segmentation: (index where the new level starts, p-value), in order."""
    data = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    found: list[tuple[int, float]] = []
    pending = [(0, len(data))]
    while pending:
        start, end = pending.pop()
        split = _split(data[start:end], rng, alpha / (1 + len(found)))
        if split is None:
            continue
        index, p_value = start + split[0], split[1]
        found.append((index, p_value))
        pending.extend([(start, index), (index, end)])
    return sorted(found)


def newest_p_value(history: Sequence[float] | np.ndarray, newest: float) -> float | None:
    """Two-sided p-value of `newest` against a t prediction interval of `history` (None: too few runs)."""
    data = np.asarray(history, dtype=float)
    m = len(data)
    if m < MIN_HISTORY:
        return None
    spread = float(np.std(data, ddof=1))
    if spread == 0.0:
        return 1.0 if newest == float(data[0]) else 0.0
    from scipy import stats

    t = (newest - float(np.mean(data))) / (spread * math.sqrt(1.0 + 1.0 / m))
    return float(2.0 * stats.t.sf(abs(t), df=m - 1))


def find_changes(values: Sequence[float], log_scale: bool = False, alpha: float = ALPHA,
                 seed: int = SEED) -> list[ChangePoint]:
    """The changes of a series of per-run figures (oldest first): segmentation's, then the newest run's
    when it starts one. `log_scale`: test the logarithm (positive figures that scale)."""
    raw = np.asarray(values, dtype=float)
    scale = np.log(np.maximum(raw, 1e-12)) if log_scale else raw
    changes: list[ChangePoint] = []
    found = segment(scale, alpha / 2, seed)
    bounds = [0, *(index for index, _ in found), len(raw)]
    for position, (index, p_value) in enumerate(found, start=1):
        before, after = raw[bounds[position - 1]:index], raw[index:bounds[position + 1]]
        changes.append(ChangePoint(index, float(np.mean(before)), float(np.mean(after)), p_value, "segmentation"))
    if len(raw) >= 2:
        since = bounds[-2] if len(bounds) > 2 else 0
        history = scale[since:-1]
        newest = newest_p_value(history, float(scale[-1]))
        if newest is not None and newest <= alpha / 2:
            changes.append(ChangePoint(len(raw) - 1, float(np.mean(raw[since:-1])), float(raw[-1]), newest,
                                  "newest run"))
    return changes
