"""Latency under load, with intervals: the curves a load sweep draws (`bench run --concurrency 1,4,16`).

One curve per provider × model; one point per level, placed at the mean number of the provider's jobs
really in flight as the level's jobs started (what was asked is a cap, not a load). Each point carries
p50 and p95 latency with percentile-bootstrap 95% intervals and the error rate with a Wilson interval
(`harness.report.stats`, the conventions of every other figure of the report), and the 429 answers and
retries the level met. The points' raw values come from `harness.results.load_points`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.report.stats import Interval, proportion_interval, quantile_interval
from harness.results import LoadPoint, RunRows, load_points


@dataclass(frozen=True, slots=True, kw_only=True)
class CurvePoint:
    level: int
    in_flight: float  # where the point is drawn: the mean in flight (the level when it was not recorded)
    max_in_flight: int | None
    p50: Interval
    p95: Interval
    errors: Interval  # share of sent jobs that failed
    sent: int
    rate_limited: int
    retries: int

    @classmethod
    def of(cls, point: LoadPoint) -> CurvePoint:
        latencies = point.latencies_ms
        return cls(
            level=point.level,
            in_flight=point.mean_in_flight if point.mean_in_flight is not None else float(point.level),
            max_in_flight=point.max_in_flight,
            p50=quantile_interval(latencies, 0.5),
            p95=quantile_interval(latencies, 0.95),
            errors=proportion_interval(point.failed, point.sent),
            sent=point.sent,
            rate_limited=point.rate_limited,
            retries=point.retries,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "in_flight": self.in_flight,
            "max_in_flight": self.max_in_flight,
            "p50_ms": self.p50.to_json(),
            "p95_ms": self.p95.to_json(),
            "error_rate": self.errors.to_json(),
            "sent": self.sent,
            "rate_limited": self.rate_limited,
            "retries": self.retries,
        }


@dataclass(frozen=True, slots=True)
class Curve:
    provider: str
    model: str
    points: tuple[CurvePoint, ...]

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model}"

    def to_json(self) -> dict[str, Any]:
        return {"provider": self.provider, "model": self.model, "points": [p.to_json() for p in self.points]}


def load_curves(rows: RunRows) -> tuple[Curve, ...]:
    """One curve per model of a load sweep; empty for a run at one level."""
    curves: dict[tuple[str, str], list[CurvePoint]] = {}
    for point in load_points(rows):
        curves.setdefault((point.provider, point.model), []).append(CurvePoint.of(point))
    return tuple(Curve(provider, model, tuple(points)) for (provider, model), points in curves.items())
