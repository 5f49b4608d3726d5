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
from collections.abc import Mapping, Sequence
from typing import Any

from harness.core.lifecycle import Lifecycle
from harness.core.registry import providers
from harness.core.timestamps import parse_timestamp
from harness.measurement.evidence import Chunk, JobEvidence, Mark, Seen, ServerStamps, StatusAnswer

_MARKS = {mark.value: mark for mark in Mark}
_SEEN = {seen.value: seen for seen in Seen}


def _grouped(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    by_job: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        by_job[str(row["job_key"])].append(row)
    return by_job


def _start(job: Mapping[str, Any]) -> float | None:
    if job.get("clock_origin_s") is not None:
        return float(job["clock_origin_s"])
    started = parse_timestamp(job.get("started_at") or "")
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


def _seen(row: Mapping[str, Any], lifecycle: Lifecycle | None) -> Seen | None:
    if row.get("seen") is not None:
        return _SEEN.get(str(row["seen"]))
    state, status = row.get("provider_status"), row.get("http_status")
    if lifecycle is None or state is None or row.get("error_class") is not None or status is None or status >= 300:
        return None
    if state in lifecycle.terminal:
        return Seen.FINISHED
    return Seen.QUEUED if state in lifecycle.initial else Seen.RUNNING


def _start_observable(job: Mapping[str, Any], lifecycle: Lifecycle | None) -> bool:
    if job.get("start_observable") is not None:
        return bool(job["start_observable"])
    return lifecycle is not None and any(
        state not in lifecycle.initial and state not in lifecycle.terminal for state in lifecycle.states)


def job_evidence(job: Mapping[str, Any], marks: Sequence[Mapping[str, Any]], polls: Sequence[Mapping[str, Any]],
                 chunks: Sequence[Mapping[str, Any]], epoch: float) -> JobEvidence | None:
    """One job's evidence from its rows, on the run's clock whose zero is the wall time `epoch`; None for a job
    that has none (planned, or skipped before it was sent)."""
    origin = _start(job)
    if origin is None or not marks:
        return None
    start = origin - epoch
    legacy = job.get("start_observable") is None  # stored before schema 7
    lifecycle, convention = declared_waiting(str(job["provider"]), str(job["endpoint"])) if legacy \
        else (None, job.get("declared_convention"))

    def at(t_ms: Any) -> float | None:
        return None if t_ms is None else start + float(t_ms) / 1000.0

    return JobEvidence(
        job_key=str(job["job_key"]),
        provider=str(job["provider"]),
        start=start,
        epoch=epoch,
        marks={_MARKS[row["name"]]: start + float(row["t_ms"]) / 1000.0 for row in marks if row["name"] in _MARKS},
        polls=tuple(StatusAnswer(int(row["seq"]), start + float(row["sent_ms"]) / 1000.0, at(row["received_ms"]),
                                 _seen(row, lifecycle)) for row in sorted(polls, key=lambda r: int(r["seq"]))),
        stamps=ServerStamps(job.get("server_created_at"), job.get("server_started_at"),
                            job.get("server_completed_at")),
        resumed=bool(job.get("resumed")),
        start_observable=_start_observable(job, lifecycle),
        declared_convention=convention,
        chunks=tuple(Chunk(start + float(row["earliest_ms"]) / 1000.0, start + float(row["latest_ms"]) / 1000.0,
                           int(row["bytes"]), None if row["audio_ms"] is None else float(row["audio_ms"]) / 1000.0,
                           None if row["onset_ms"] is None else float(row["onset_ms"]) / 1000.0,
                           row.get("header"))
                     for row in sorted(chunks, key=lambda r: int(r["seq"]))),
    )


def run_evidence(jobs: Sequence[Mapping[str, Any]], marks: Sequence[Mapping[str, Any]],
                 polls: Sequence[Mapping[str, Any]], chunks: Sequence[Mapping[str, Any]]) -> list[JobEvidence]:
    """Every job of a run that left evidence, in the order of `jobs`."""
    marks_of, polls_of, chunks_of = _grouped(marks), _grouped(polls), _grouped(chunks)
    # The run's clock starts at the whole second before its first job: readings stay small, so the instants
    # of one job subtract exactly (at epoch magnitudes a double keeps only tenths of a microsecond).
    origins = [origin for job in jobs if (origin := _start(job)) is not None]
    epoch = float(math.floor(min(origins))) if origins else 0.0
    found = []
    for job in jobs:
        key = str(job["job_key"])
        evidence = job_evidence(job, marks_of.get(key, []), polls_of.get(key, []), chunks_of.get(key, []), epoch)
        if evidence is not None:
            found.append(evidence)
    return found
