"""Evidence written the way the runner records it, for tests of the derivation: marks and polls on the runner's
monotonic clock, turned into `JobEvidence` on the run's clock exactly as `JobRecord.evidence` does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.measurement import (
    JobEvidence,
    Mark,
    ProviderStamps,
    Seen,
    ServerStamps,
    job_figures,
    learn_completion,
)
from harness.runner.record.timing import CLOCK_EPOCH, JobMoments, PollRecord


def polled(
    seq: int,
    sent: float,
    received: float | None,
    status: str | None = None,
    *,
    pending: bool = False,
    queued: bool = False,
    terminal: bool = False,
) -> PollRecord:
    """A status request as the runner records it (`queued` implies pending)."""
    seen = Seen.FINISHED if terminal else Seen.QUEUED if queued else Seen.RUNNING if pending else None
    return PollRecord(
        seq=seq,
        reason="test",
        planned_delay=0.0,
        sent=sent,
        received=received,
        http_status=200,
        provider_status=status,
        seen=seen,
    )


def evidence(
    marks: JobMoments,
    polls: Sequence[PollRecord],
    stamps: ServerStamps = ServerStamps(),
    *,
    finished: float | None = None,
    start_observable: bool = True,
    key: str = "job",
    provider: str = "acme",
) -> JobEvidence:
    values = dict(marks.values)
    if finished is not None:
        values[Mark.FINISHED] = finished
    return JobEvidence(
        job_key=key,
        provider=provider,
        start=marks.start,
        epoch=CLOCK_EPOCH,
        marks=values,
        polls=tuple(p.answer for p in polls),
        stamps=stamps,
        start_observable=start_observable,
    )


def derive(
    marks: JobMoments,
    polls: Sequence[PollRecord],
    stamps: ServerStamps,
    finished: float,
    clock: ProviderStamps | None = None,
) -> dict[str, Any]:
    """One job's figures against `clock` (or, without one, what the job's own stamps say of themselves)."""
    job = evidence(marks, polls, stamps, finished=finished)
    if clock is None:
        clock = ProviderStamps()
        learn_completion(clock, job)
    return job_figures(job, clock)
