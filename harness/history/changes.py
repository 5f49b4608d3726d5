"""Change points in a series of per-run figures, by a stated method with a stated false-alarm rate, robust to
the transient runs real nightly series have (a cold start, a provider's bad hour, a CI machine under load).

Two tests, each at half the false-alarm rate `ALPHA` (so a series without a change is flagged with
probability at most `ALPHA`, 1%), run on the metric's scale (`log` for figures that only scale — latency,
cost, polls —, so a doubling is the same size at 200 ms and at 2 s):

* **Segmentation** (where the series changed): transient runs are set aside first — a Hampel filter
  (`transients`): a run farther than `FENCE` run-to-run standard deviations from the median of the
  `SPIKE_WINDOW` runs around it; one or two runs together are transients, three are a level. Then binary
  segmentation by a CUSUM of Huber-clipped values: each run's distance from the segment's median in robust
  standard deviations (the MAD's), clipped at +-`CLIP`, so what the filter missed weighs at most `CLIP`; the
  statistic `max_k |mean(c[:k]) - mean(c[k:])| * sqrt(k (n - k) / n)` over splits with at least `MIN_SEGMENT`
  runs on each side, its p-value from `RESAMPLES` random permutations of the segment. A segment whose runs are
  exchangeable (no change) is flagged with probability at most `ALPHA / 2` whatever the noise's distribution:
  the permutation test conditions on the values seen (the filter, which looks at neighbours, makes this nearly
  rather than exactly so; benchmarks/perf/history_detection.py measures 0.4-0.9% with heavy tails and
  transients). A flagged segment is split at the change and each side tested again, after j changes found at
  level `ALPHA / 2 / (j + 1)` (the more tests, the stricter each). A change is dated once `MIN_SEGMENT` runs
  show it and the series is long enough for three runs to be rare (about twenty runs). Ranks were measured
  instead of clipped values (a rank CUSUM, the standardised Mann–Whitney statistic): a rank caps a run's weight
  at the rank range, and at 20 runs it dated none of 50 steps of x10 three runs back (clipped values: 98%).
* **The newest run** (whether it starts a change: the nightly gate): the newest value against the last
  `WINDOW` runs since the last change (at least `MIN_HISTORY`). Up to two transients are left out of that
  history (`_left_out`: the runs farthest from its median, each when farther than `GATE_FENCE` standard
  deviations of the other runs from their mean); the newest value is then measured against the rest as a
  Student t prediction (`|x - mean| / (sd sqrt(1 + 1/k))`), and its p-value read from that statistic's
  distribution over `CALIBRATION` simulated histories of normal noise of the same length, transients left out
  the same way: the false-alarm rate is `ALPHA / 2` per series per night under normal run-to-run noise on the
  metric's scale (lognormal for latency), whatever its level, with or without transients in the history.
  Heavier tails raise it (Student t with 3 degrees of freedom: about 3% in all; lognormal shocks, heavy on the
  slow side: 5-7%; docs/history.md): a newest run far out in a tail is a transient the first night cannot tell
  from a change. The next night's gate leaves it out, and segmentation dates a change once `MIN_SEGMENT` runs
  show it. Calibrating on Student t noise instead would hold the rate there, at the cost of most first-night
  detections of +20% (docs/history.md).

Sizes are read from robust levels: the median of the runs before a change and of the runs after it, transients
left out (for the newest run, the median of the history it was measured against, and the newest value), so one
transient does not set the "before".

ruptures (PELT, binary segmentation) was considered: its penalties do not state a false-alarm rate, which
the page must, so the tests above are used instead (numpy and scipy only). `benchmarks/perf/
history_detection.py` measures both rates and the detection power on heavy-tailed series with transients.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

ALPHA = 0.01  # false-alarm rate per series: half to each test
RESAMPLES = 4999  # p-values down to 1 / 5,000: three runs at a new level after 17 are 1 arrangement in 570
MIN_SEGMENT = 3  # runs on each side of a change found by segmentation: two transients together are not one
MIN_HISTORY = 5  # runs before the newest for the newest-run check
WINDOW = 30  # at most this many runs before the newest: the level it is compared with is the recent one
FENCE = 5.0  # robust standard deviations from its neighbours' median beyond which a run is a transient
CLIP = 5.0  # robust standard deviations at which segmentation clips a run: the most one run weighs
GATE_FENCE = 6.0  # the newest-run gate: standard deviations of the other runs beyond which a run is a transient
MAX_TRANSIENTS = 2  # transients the newest-run gate leaves out of its history
SPIKE_WINDOW = 7  # runs around each run whose median says whether it is a transient (segmentation)
CALIBRATION = 19_999  # simulated histories per history length: p-values down to 1 / 20,000
SEED = 20261122


@dataclass(frozen=True, slots=True)
class ChangePoint:
    """A change starting at run `index` (0-based in the series): the robust level (median) before and after,
    on the figure's own scale, and the test's p-value."""

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


def transients(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Which runs are transients (a Hampel identifier): farther than `FENCE` run-to-run standard deviations from
    the median of the `SPIKE_WINDOW` runs centred on them (reflected at the ends). The standard deviation is
    robust to steps and transients alike: the MAD of successive differences, scaled to the normal, over
    sqrt(2). Two runs together in a window of seven are transients; three are a level."""
    from numpy.lib.stride_tricks import sliding_window_view
    from scipy import stats

    data = np.asarray(values, dtype=float)
    half = SPIKE_WINDOW // 2
    if len(data) <= half:
        return np.zeros(len(data), dtype=bool)
    local = np.median(sliding_window_view(np.pad(data, half, mode="reflect"), SPIKE_WINDOW), axis=1)
    spread = float(stats.median_abs_deviation(np.diff(data), scale="normal")) / np.sqrt(2.0)
    return np.asarray(np.abs(data - local) > FENCE * spread + 1e-12 * np.maximum(1.0, np.abs(local)))


def _clipped(values: np.ndarray) -> np.ndarray:
    """Huber's clipping: each run's distance from the segment's median in robust standard deviations (the MAD's,
    scaled to the normal), clipped at +-`CLIP`, so a run counts at most `CLIP` however far out it is. Where more
    than half the segment is one value there is no robust spread, and the values are used as they are."""
    from scipy import stats

    median = float(np.median(values))
    spread = float(stats.median_abs_deviation(values, scale="normal"))
    return np.clip((values - median) / spread, -CLIP, CLIP) if spread > 0.0 else values - median


def _split(values: np.ndarray, rng: np.random.Generator, alpha: float) -> tuple[int, float] | None:
    """The most likely change of `values` and its permutation p-value, when that is at most `alpha`."""
    n = len(values)
    if n < 2 * MIN_SEGMENT or float(np.ptp(values)) == 0.0:
        return None
    clipped = _clipped(values)
    low, high = MIN_SEGMENT, n - MIN_SEGMENT
    observed = _cusum(clipped[None, :], low, high)[0]
    best = int(np.argmax(observed))
    shuffled = rng.permuted(np.tile(clipped, (RESAMPLES, 1)), axis=1)
    null = _cusum(shuffled, low, high).max(axis=1)
    p_value = (1 + int(np.sum(null >= observed[best] - 1e-9))) / (RESAMPLES + 1)
    return (low + best, p_value) if p_value <= alpha else None


def segment(values: Sequence[float] | np.ndarray, alpha: float = ALPHA, seed: int = SEED) -> list[tuple[int, float]]:
    """Every change found by binary segmentation of the runs that are not transients: (index in `values` where
    the new level starts, p-value), in order."""
    data = np.asarray(values, dtype=float)
    kept = np.flatnonzero(~transients(data))
    clean = data[kept]
    rng = np.random.default_rng(seed)
    found: list[tuple[int, float]] = []
    pending = [(0, len(clean))]
    while pending:
        start, end = pending.pop()
        split = _split(clean[start:end], rng, alpha / (1 + len(found)))
        if split is None:
            continue
        index, p_value = start + split[0], split[1]
        found.append((index, p_value))
        pending.extend([(start, index), (index, end)])
    return sorted((int(kept[index]), p_value) for index, p_value in found)


def _left_out(histories: np.ndarray) -> np.ndarray:
    """Per row, the history's transients. The `_most_left_out` runs farthest from the history's median are
    candidates; each is left out when it is farther than `GATE_FENCE` standard deviations of the other runs (the
    candidates set aside, so two transients do not hide each other) from their mean. Those runs' standard
    deviation is the efficient one, unlike a MAD of a few runs that reads small by chance and would leave out
    plain noise. Where the other runs are all one value (an error rate that is mostly 0) nothing is left out: the
    few other values are the figure's noise."""
    median = np.median(histories, axis=1, keepdims=True)
    distance = np.abs(histories - median)
    farthest_first = np.argsort(np.argsort(-distance, axis=1, kind="stable"), axis=1)
    candidate = farthest_first < _most_left_out(histories.shape[1])
    others = ~candidate
    count = others.sum(axis=1, keepdims=True)
    mean = np.where(others, histories, 0.0).sum(axis=1, keepdims=True) / count
    sd = np.sqrt((np.where(others, histories - mean, 0.0) ** 2).sum(axis=1, keepdims=True) / (count - 1))
    return candidate & (np.abs(histories - mean) > GATE_FENCE * sd) & (sd > 0.0)


def _most_left_out(history_length: int) -> int:
    """Two transients at most, and one in five runs: leaving out more of a short history makes its spread read
    small by chance, which costs the gate more power than the transients it would leave out."""
    return min(MAX_TRANSIENTS, history_length // 5)


def _prediction_statistic(histories: np.ndarray, newest: np.ndarray) -> np.ndarray:
    """Per row: the newest value against its history with the transients left out (`_left_out`), as a t
    prediction statistic `|x - mean| / (sd sqrt(1 + 1/k))` of the k runs kept. A row whose kept runs are all one
    value gives 0 for that value and inf for any other."""
    kept = ~_left_out(histories)
    count = kept.sum(axis=1)
    mean = np.where(kept, histories, 0.0).sum(axis=1) / count
    deviations = np.where(kept, histories - mean[:, None], 0.0)
    sd = np.sqrt((deviations**2).sum(axis=1) / (count - 1))
    distance = np.abs(newest - mean)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = distance / (sd * np.sqrt(1.0 + 1.0 / count))
    return np.where(sd > 0.0, statistic, np.where(distance > 1e-12 * np.maximum(1.0, np.abs(mean)), np.inf, 0.0))


@cache
def _null(history_length: int) -> np.ndarray:
    """The statistic's distribution, sorted, over simulated histories of normal noise of this length (it does not
    depend on the noise's level or mean: the statistic is location and scale free)."""
    rng = np.random.default_rng(SEED + history_length)
    draws = rng.standard_normal((CALIBRATION, history_length + 1))
    return np.sort(_prediction_statistic(draws[:, :-1], draws[:, -1]))


def newest_p_value(history: Sequence[float] | np.ndarray, newest: float) -> float | None:
    """Two-sided p-value of `newest` against the robust prediction from `history` (None: too few runs)."""
    data = np.asarray(history, dtype=float)[-WINDOW:]
    if len(data) < MIN_HISTORY:
        return None
    statistic = float(_prediction_statistic(data[None, :], np.array([newest]))[0])
    null = _null(len(data))
    exceeding = len(null) - int(np.searchsorted(null, statistic - 1e-9, side="left"))
    return (1 + exceeding) / (len(null) + 1) if np.isfinite(statistic) else 0.0


def find_changes(
    values: Sequence[float], log_scale: bool = False, alpha: float = ALPHA, seed: int = SEED
) -> list[ChangePoint]:
    """The changes of a series of per-run figures (oldest first): segmentation's, then the newest run's
    when it starts one. `log_scale`: test the logarithm (positive figures that scale)."""
    raw = np.asarray(values, dtype=float)
    scale = np.log(np.maximum(raw, 1e-12)) if log_scale else raw
    changes: list[ChangePoint] = []
    found = segment(scale, alpha / 2, seed)
    steady = ~transients(scale)  # a segment's level is read without its transients
    bounds = [0, *(index for index, _ in found), len(raw)]
    for position, (index, p_value) in enumerate(found, start=1):
        before, after = (
            _level(raw[a:b], steady[a:b]) for a, b in ((bounds[position - 1], index), (index, bounds[position + 1]))
        )
        changes.append(ChangePoint(index, before, after, p_value, "segmentation"))
    if len(raw) >= 2:
        since = max(bounds[-2] if len(bounds) > 2 else 0, len(raw) - 1 - WINDOW)
        newest = newest_p_value(scale[since:-1], float(scale[-1]))
        if newest is not None and newest <= alpha / 2:
            kept = ~_left_out(scale[since:-1][None, :])[0]  # the level the newest run was measured against
            changes.append(ChangePoint(len(raw) - 1, _level(raw[since:-1], kept), float(raw[-1]), newest, "newest run"))
    return changes


def _level(values: np.ndarray, steady: np.ndarray) -> float:
    """The median of a segment's runs that are not transients (of all of them, were every one a transient)."""
    return float(np.median(values[steady] if steady.any() else values))
