"""Every series of a history tested for changes (`harness.history.changes`), and what the newest run started."""

from __future__ import annotations

from dataclasses import dataclass

from harness.history.changes import ALPHA, ChangePoint, find_changes
from harness.history.values import History, Point, Scale, Series

METHOD = (f"Change points: binary segmentation by a CUSUM statistic with permutation p-values, and the newest "
          f"run against a Student t prediction interval of the runs since the last change; each test at "
          f"{ALPHA / 2:.1%}, so a series without a change is flagged with probability at most {ALPHA:.0%} "
          f"(latency, cost and polls tested on a log scale).")


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
        return (f"{self.label} {self.series.label}: {self.change.before:.4g} -> {self.change.after:.4g} ({by}) "
                f"from run {self.point.run_id} ({self.point.created_at[:10]}), confidence "
                f"{self.change.confidence:.1%}, {self.change.method}")


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


def analyse(history: History, alpha: float = ALPHA) -> Analysis:
    flagged = [Flagged(series, change) for series in history.series
               for change in find_changes(series.values, series.scale is Scale.LOG, alpha)]
    flagged.sort(key=lambda f: (f.point.created_at, f.label, f.series.key))
    return Analysis(history, tuple(flagged))
