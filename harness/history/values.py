"""The values a history is made of: series of per-run points, findings by the run they first appeared in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from harness.results import Dearer


class Scale(StrEnum):
    LOG = "log"  # positive figures that scale (latency, cost): a change is a ratio
    LINEAR = "linear"


@dataclass(frozen=True, slots=True)
class Point:
    run_id: str
    created_at: str
    value: float
    low: float | None = None
    high: float | None = None
    sample_size: int | None = None


@dataclass(frozen=True, slots=True)
class Series:
    provider: str
    model: str
    key: str
    label: str
    unit: str
    scale: Scale
    points: tuple[Point, ...]

    @property
    def values(self) -> list[float]:
        return [p.value for p in self.points]


@dataclass(frozen=True, slots=True)
class HistoryFinding:
    """A finding (contract, drift, error class) and the run it first appeared in."""

    provider: str
    model: str
    kind: str  # "contract" | "drift" | "error"
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
    saturation: str | None = None  # the client's health line when it was saturated (its latency points left out)


@dataclass(frozen=True, slots=True)
class History:
    runs: tuple[RunInfo, ...]
    series: tuple[Series, ...]
    findings: tuple[HistoryFinding, ...]
    dearer: tuple[Dearer, ...] = ()  # what the newest run was billed more for, for the same text

    def models(self) -> list[tuple[str, str]]:
        return sorted({(s.provider, s.model) for s in self.series})

    def of(self, provider: str, model: str) -> list[Series]:
        return [s for s in self.series if (s.provider, s.model) == (provider, model)]


