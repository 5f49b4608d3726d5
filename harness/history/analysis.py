"""Every series of a history tested for changes (`harness.history.changes`), and what the newest run started."""

from __future__ import annotations

from dataclasses import dataclass

from harness.checks import Worse
from harness.history.changes import ALPHA, ChangePoint, find_changes
from harness.history.checks import CheckChanged, CountedWorse
from harness.history.series import CHECK_PREFIX
from harness.history.values import History, Point, Scale, Series
from harness.results import Dearer

# Measured by benchmarks/perf/history_detection.py (docs/history.md has the tables): false alarms per series
# under heavy-tailed noise, where the newest-run gate's normal calibration does not hold.
HEAVY_TAILED_ALARMS = 0.035  # Student t noise, 3 degrees of freedom
SKEWED_ALARMS = 0.07  # lognormal shocks, heavy on the slow side

METHOD = (
    f"Change points on robust statistics. Transient runs (one or two far from their neighbours' median) are "
    f"set aside, and binary segmentation by a CUSUM of median/MAD-clipped values dates changes, with "
    f"permutation p-values; the newest run is tested against the runs since the last change, up to two "
    f"transients left out, by a t prediction statistic calibrated by simulation. Each test at {ALPHA / 2:.1%}: "
    f"a series without a change is flagged with probability at most {ALPHA:.0%} under normal run-to-run noise, "
    f"transients or not (measured: at most {HEAVY_TAILED_ALARMS:.1%} under heavy-tailed Student t noise, "
    f"{SKEWED_ALARMS:.0%} under lognormal shocks). Measured power at 5% noise over 20 runs: a step at the "
    f"newest run of +20% is flagged that night in 60% of series, +50% and x10 in over 99%; three runs back, "
    f"+20% is dated in about 80%, +50% and x10 in about 98%. Sizes are medians before and after; latency, "
    f"cost and polls on a log scale (docs/history.md)."
)


@dataclass(frozen=True, slots=True)
class Flagged:
    """A change found in one series, at the run it starts in."""

    series: Series
    change: ChangePoint

    @property
    def point(self) -> Point:
        return self.series.points[self.change.index]

    @property
    def label(self) -> str:
        return f"{self.series.provider}/{self.series.model}"

    def describe(self) -> str:
        size = self.change.relative
        by = f"{size:+.0%}" if size is not None else f"{self.change.size:+.3g}"
        return (
            f"{self.label} {self.series.title}: {self.change.before:.4g} -> {self.change.after:.4g} ({by}) "
            f"from run {self.point.run_id} ({self.point.created_at[:10]}), confidence "
            f"{self.change.confidence:.1%}, {self.change.method}"
        )


@dataclass(frozen=True, slots=True)
class Analysis:
    history: History
    flagged: tuple[Flagged, ...]

    def of(self, series: Series) -> list[Flagged]:
        return [f for f in self.flagged if f.series is series]

    @property
    def newest(self) -> tuple[Flagged, ...]:
        """Changes the store's newest run starts (the nightly gate's failures)."""
        if not self.history.runs:
            return ()
        newest = self.history.runs[-1].run_id
        return tuple(f for f in self.flagged if f.point.run_id == newest)

    @property
    def dearer(self) -> tuple[Dearer, ...]:
        """What the newest run was billed more for, for the same text, than before (the gate fails on it too)."""
        return self.history.dearer

    @property
    def counted_worse(self) -> tuple[tuple[str, tuple[CountedWorse, ...]], ...]:
        """Per registered counted check, the offerings whose newest run its rule flags (the gate fails on them too:
        `harness.history.checks`)."""
        return self.history.counted_worse

    @property
    def own_worse(self) -> tuple[tuple[str, tuple[Worse, ...]], ...]:
        """Per registered check with views of its own, the offerings whose newest run its gate rule flags (the gate
        fails on them too: `harness.history.checks`)."""
        return self.history.own_worse

    @property
    def own_kept(self) -> tuple[tuple[str, tuple[Worse, ...]], ...]:
        """Per registered check with views of its own, the offerings whose newest run still breaks its rule as the
        run before did: no new failure, so the gate passes, but no face may say every offering kept the rule."""
        return self.history.own_kept

    @property
    def checks_changed(self) -> tuple[CheckChanged, ...]:
        """The offerings whose newest run changed a registered check beyond its declared rule (the gate fails on
        them too: `harness.history.checks`)."""
        return self.history.checks_changed

    @property
    def fails(self) -> bool:
        """The nightly gate: the newest run starts a change, a provider billed it more for the same text, or a
        registered check's rule flags it (a model answering in
        another language than asked among them)."""
        return bool(
            self.newest
            or self.dearer
            or any(worse for _, worse in self.counted_worse)
            or any(worse for _, worse in self.own_worse)
            or self.checks_changed
        )


def analyse(history: History, alpha: float = ALPHA) -> Analysis:
    """Every series tested for changes, but a registered check's: its own declared rule judges it (`checks_changed`),
    one judge per figure."""
    flagged = [
        Flagged(series, change)
        for series in history.series
        if not series.key.startswith(CHECK_PREFIX)
        for change in find_changes(series.values, series.scale is Scale.LOG, alpha)
    ]
    flagged.sort(key=lambda f: (f.point.created_at, f.label, f.series.key))
    return Analysis(history, tuple(flagged))
