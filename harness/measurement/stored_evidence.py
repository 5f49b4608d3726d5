"""A run's stored rows as `JobEvidence`: the one reading of what `marks`, `polls`, `chunks` and the evidence
columns of `jobs` mean.

A run stored before the evidence columns existed (schema < 7) lacks what each status answer said of the job,
whether the provider shows its queue, its declared stamp convention and each job's start at full precision:
those are read from the provider's declaration when it is installed (the same lifecycle the runner used), and
the start from `started_at` (milliseconds).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import TypeVar

from harness.core.lifecycle import Lifecycle
from harness.core.registry import providers
from harness.core.timestamps import parse_timestamp
from harness.measurement.evidence import Chunk, JobEvidence, Mark, Seen, ServerStamps, StatusAnswer
from harness.results import ChunkRow, JobRow, MarkRow, PollRow

EvidenceRow = TypeVar("EvidenceRow", MarkRow, PollRow, ChunkRow)

_MARKS = {mark.value: mark for mark in Mark}
_SEEN = {seen.value: seen for seen in Seen}


def _grouped(rows: Sequence[EvidenceRow]) -> dict[str, list[EvidenceRow]]:
    by_job: dict[str, list[EvidenceRow]] = defaultdict(list)
    for row in rows:
        by_job[row.job_key].append(row)
    return by_job


def _start(job: JobRow) -> float | None:
    if job.clock_origin_s is not None:
        return job.clock_origin_s
    started = parse_timestamp(job.started_at)
    return None if started is None else started.timestamp()


def declared_waiting(provider: str, endpoint: str) -> tuple[Lifecycle | None, str | None]:
    """For a run stored before schema 7: the status lifecycle and the stamp convention the provider's
    declaration gives an endpoint's jobs (None, None: the provider is not installed here)."""
    spec = providers().get(provider)
    if spec is None:
        return None, None
    try:
        submit = spec.endpoint(endpoint)
        binding = submit.job
        if binding is None:
            return submit.lifecycle, None
        return spec.endpoint(binding.status_endpoint).lifecycle or submit.lifecycle, binding.stamp_convention
    except KeyError:
        return None, None


def _seen(poll: PollRow, lifecycle: Lifecycle | None) -> Seen | None:
    if poll.seen is not None:
        return _SEEN.get(poll.seen)
    state, status = poll.provider_status, poll.http_status
    if lifecycle is None or state is None or poll.error_class is not None or status is None or status >= 300:
        return None
    if state in lifecycle.terminal:
        return Seen.FINISHED
    return Seen.QUEUED if state in lifecycle.initial else Seen.RUNNING


def _start_observable(job: JobRow, lifecycle: Lifecycle | None) -> bool:
    if job.start_observable is not None:
        return bool(job.start_observable)
    return lifecycle is not None and any(
        state not in lifecycle.initial and state not in lifecycle.terminal for state in lifecycle.states
    )


def job_evidence(
    job: JobRow, marks: Sequence[MarkRow], polls: Sequence[PollRow], chunks: Sequence[ChunkRow], epoch: float
) -> JobEvidence | None:
    """One job's evidence from its rows, on the run's clock whose zero is the wall time `epoch`; None for a job
    that has none (planned, or skipped before it was sent)."""
    origin = _start(job)
    if origin is None or not marks:
        return None
    start = origin - epoch
    legacy = job.start_observable is None  # stored before schema 7
    lifecycle, convention = declared_waiting(job.provider, job.endpoint) if legacy else (None, job.declared_convention)

    def at(t_ms: float | None) -> float | None:
        return None if t_ms is None else start + t_ms / 1000.0

    return JobEvidence(
        job_key=job.job_key,
        provider=job.provider,
        start=start,
        epoch=epoch,
        marks={_MARKS[mark.name]: start + mark.t_ms / 1000.0 for mark in marks if mark.name in _MARKS},
        polls=tuple(
            StatusAnswer(poll.seq, start + poll.sent_ms / 1000.0, at(poll.received_ms), _seen(poll, lifecycle))
            for poll in sorted(polls, key=lambda p: p.seq)
        ),
        stamps=ServerStamps(job.server_created_at, job.server_started_at, job.server_completed_at),
        resumed=bool(job.resumed),
        start_observable=_start_observable(job, lifecycle),
        declared_convention=convention,
        chunks=tuple(
            Chunk(
                earliest=start + chunk.earliest_ms / 1000.0,
                latest=start + chunk.latest_ms / 1000.0,
                size=chunk.bytes,
                audio_s=None if chunk.audio_ms is None else chunk.audio_ms / 1000.0,
                onset_s=None if chunk.onset_ms is None else chunk.onset_ms / 1000.0,
                header=chunk.header,
            )
            for chunk in sorted(chunks, key=lambda c: c.seq)
        ),
    )


def run_evidence(
    jobs: Sequence[JobRow], marks: Sequence[MarkRow], polls: Sequence[PollRow], chunks: Sequence[ChunkRow]
) -> list[JobEvidence]:
    """Every job of a run that left evidence, in the order of `jobs`."""
    marks_of, polls_of, chunks_of = _grouped(marks), _grouped(polls), _grouped(chunks)
    # The run's clock starts at the whole second before its first job: readings stay small, so the instants
    # of one job subtract exactly (at epoch magnitudes a double keeps only tenths of a microsecond).
    origins = [origin for job in jobs if (origin := _start(job)) is not None]
    epoch = float(math.floor(min(origins))) if origins else 0.0
    found = []
    for job in jobs:
        key = job.job_key
        evidence = job_evidence(job, marks_of.get(key, []), polls_of.get(key, []), chunks_of.get(key, []), epoch)
        if evidence is not None:
            found.append(evidence)
    return found
