"""The writers' updates of a stored row, typed: each a frozen, keyword-only record of the columns one writer sets on a
row of one table (`table`), built by keyword, so the type checker sees each column and a column named wrong is an
error where the update is built, not a failed UPDATE. `Store.update_run` / `update_job` / `update_jobs` and a job's
update in `Store.write` take them; `tests/results/test_changes.py` holds every one to its table's record (each field a
column of that type). A finished job's update is `harness.results.job_outcome.JobOutcome`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar, cast


class RowChange:
    """A partial update of one row of `table`: the columns its fields name, set to their values."""

    __slots__ = ()
    table: ClassVar[str]

    def columns(self) -> dict[str, Any]:
        """The columns it sets, by name."""
        return {item.name: getattr(self, item.name) for item in fields(cast(Any, self))}


@dataclass(frozen=True, slots=True, kw_only=True)
class RunStatus(RowChange):
    """A run's status as it changes (running, interrupted), stamped."""

    table: ClassVar[str] = "runs"
    status: str
    updated_at: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RunResumed(RunStatus):
    """A run resumed: running again, one more resume."""

    resumes: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RunFinished(RunStatus):
    """A run's last status, when its session ends."""

    finished_at: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RunClientHealth(RowChange):
    """The client's own health over the run (`harness.core.client_health`)."""

    table: ClassVar[str] = "runs"
    client_saturated: float | None
    client_lag_p50_ms: float | None
    client_lag_p95_ms: float | None
    client_health_json: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class JobSubmitting(RowChange):
    """A job about to send its submit (committed first: a crash from here on is an attempt in flight)."""

    table: ClassVar[str] = "jobs"
    state: str
    attempts: int


@dataclass(frozen=True, slots=True, kw_only=True)
class JobFirstSubmitting(JobSubmitting):
    """A job's first attempt about to be sent: when it started."""

    started_at: str


@dataclass(frozen=True, slots=True, kw_only=True)
class JobSubmitted(RowChange):
    """A job the provider accepted: its id and how to ask about it, committed before any waiting."""

    table: ClassVar[str] = "jobs"
    state: str
    provider_job_id: str | None
    status_url: str | None
    http_version: str | None
    connection_reused: int | None
    connect_ms: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class JobSkipped(RowChange):
    """A planned job never sent (a plan's refusal), and why."""

    table: ClassVar[str] = "jobs"
    state: str
    outcome: str
    error_class: str
    error_message: str
    finished_at: str


@dataclass(frozen=True, slots=True, kw_only=True)
class JobClientHealth(RowChange):
    """The share of a job's time the client was saturated, and its loops' longest lateness while it ran."""

    table: ClassVar[str] = "jobs"
    client_saturated: float | None
    client_lag_ms: float | None
