"""Latency under load: a load sweep's rows, per provider × model × level (the curve's points).

A sweep (`bench run --concurrency 1,4,16`) runs the same plan at each level; every job row says the level
it ran at (`load_level`, the per-provider cap) and how many of its provider's jobs were in flight as it
started (`in_flight_at_submit`). A point holds the raw values a face needs: the timed latencies (ok, not
resumed: the same rule as every latency figure, `harness.results.figures.timed`), what was sent and what
failed, the 429 answers and retries the level met, and what was really in flight. Intervals are the
report's (`harness.report.load`); this module stays standard library.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from harness.results.figures import floats, group, mean, sent, timed
from harness.results.rows import RunRows
from harness.results.run_records import RequestRow

RATE_LIMITED = 429


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadPoint:
    """One model at one level of a sweep."""

    provider: str
    model: str
    level: int  # the per-provider cap asked for
    sent: int  # jobs sent (ok or failed)
    failed: int
    latencies_ms: tuple[float, ...]  # e2e_ms of the timed jobs
    mean_in_flight: float | None  # mean of in_flight_at_submit over the level's jobs (None: not recorded)
    max_in_flight: int | None
    rate_limited: int  # 429 answers the level's jobs met (retried or not)
    retries: int  # submits beyond each job's first

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model}"

    @property
    def error_rate(self) -> float | None:
        return self.failed / self.sent if self.sent else None


def sweep_levels(rows: Iterable[RequestRow]) -> tuple[int, ...]:
    """The levels the rows ran at, lowest first; empty when they are not a sweep's."""
    levels = {int(level) for row in rows if (level := row.load_level) is not None}
    return tuple(sorted(levels)) if len(levels) > 1 else ()


def at_level(rows: Iterable[RequestRow], level: int) -> list[RequestRow]:
    return [row for row in rows if row.load_level == level]


def _point(provider: str, model: str, level: int, rows: Sequence[RequestRow], limited: Counter[str]) -> LoadPoint:
    went = sent(rows)
    in_flight = [int(value) for row in rows if (value := row.in_flight_at_submit) is not None]
    return LoadPoint(
        provider=provider,
        model=model,
        level=level,
        sent=len(went),
        failed=sum(1 for row in went if row.outcome != "ok"),
        latencies_ms=tuple(floats(r.e2e_ms for r in timed(rows))),
        mean_in_flight=mean([float(n) for n in in_flight]),
        max_in_flight=max(in_flight, default=None),
        rate_limited=sum(limited[row.job_key] for row in rows),
        retries=sum(max(0, int(row.attempts or 0) - 1) for row in went),
    )


def load_points(rows: RunRows) -> tuple[LoadPoint, ...]:
    """Every model's point at every level of a sweep, by model then level; empty for a one-level run."""
    levels = sweep_levels(rows.requests)
    if not levels:
        return ()
    limited = Counter(str(error.job_key) for error in rows.errors if error.http_status == RATE_LIMITED)
    return tuple(
        _point(provider, model, level, at_level(members, level), limited)
        for (provider, model), members in group(rows.requests).items()
        for level in levels
        if at_level(members, level)
    )
