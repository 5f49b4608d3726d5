"""The values a history is made of: series of per-run points, findings by the run they first appeared in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from harness.checks import Worse
from harness.history.checks import CheckChanged, CountedWorse
from harness.results import Dearer


class Scale(StrEnum):
    LOG = "log"  # positive figures that scale (latency, cost): a change is a ratio
    LINEAR = "linear"


@dataclass(frozen=True, slots=True, kw_only=True)
class Point:
    run_id: str
    created_at: str
    value: float
    low: float | None = None
    high: float | None = None
    sample_size: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Series:
    provider: str
    model: str
    key: str
    label: str
    unit: str
    scale: Scale
    points: tuple[Point, ...]
    corpus: str = ""  # the corpora its runs read for the model ("en_read", "en_read+hard_money"): kept apart

    @property
    def values(self) -> list[float]:
        return [p.value for p in self.points]

    @property
    def title(self) -> str:
        """The figure and the corpus its points were measured on."""
        return f"{self.label} ({self.corpus})" if self.corpus else self.label


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryFinding:
    """A finding (a clip's flag under its kind, drift, error class) and the run it first appeared in."""

    provider: str
    model: str
    kind: str  # a clip flag's kind ("contract" | "language" | "transcript" | "signal"), "drift", "error", ...
    what: str
    first_run: str
    first_at: str
    runs: int  # runs it appeared in


@dataclass(frozen=True, slots=True)
class RunInfo:
    run_id: str
    created_at: str
    status: str
    target: str
    # each registered check of the run's own measuring that names the run (its note's line: harness.checks.run_notes),
    # as (its view's `page_id`, the line); the jobs it disowns are left out of the latency points
    named: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class History:
    runs: tuple[RunInfo, ...]
    series: tuple[Series, ...]
    findings: tuple[HistoryFinding, ...]
    dearer: tuple[Dearer, ...] = ()  # what the newest run was billed more for, for the same text
    left_out: tuple[str, ...] = ()  # rows of the store no figure could be read from, each in one line
    # per registered counted check (by name), the offerings whose newest run its rule flags (history.checks)
    counted_worse: tuple[tuple[str, tuple[CountedWorse, ...]], ...] = ()
    # per registered check with views of its own (by name), the offerings whose newest run its gate rule flags
    own_worse: tuple[tuple[str, tuple[Worse, ...]], ...] = ()
    # per registered check with views of its own (by name), the offerings whose newest run still breaks its rule as
    # the run before did: no failure, but said
    own_kept: tuple[tuple[str, tuple[Worse, ...]], ...] = ()
    checks_changed: tuple[CheckChanged, ...] = ()  # offerings whose newest run changed a check beyond its rule

    def models(self) -> list[tuple[str, str]]:
        return sorted({(s.provider, s.model) for s in self.series})

    def of(self, provider: str, model: str) -> list[Series]:
        return [s for s in self.series if (s.provider, s.model) == (provider, model)]
