"""Every figure of a run from its evidence, at once: first what the whole run says of each provider's clock,
then each job's figures from its own evidence and that clock. A pure function: the same evidence, in any
order, gives the same figures.

`recompute` is the one path from a store to its figures — the runner calls it when a run ends, `tts-harness
recompute RUN` calls it again on demand, and `--check` compares what it derives with what is stored (the
report, `compare` and `history` read those stored figures, so they read this derivation).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.measurement.audio_findings import audio_findings
from harness.measurement.clock_learning import learn_run_clocks
from harness.measurement.evidence import JobEvidence, Mark
from harness.measurement.intervals import job_figures
from harness.measurement.marks import run_marks_columns
from harness.measurement.stored_evidence import run_evidence
from harness.measurement.stream_intervals import stream_figures
from harness.results import Connection, EvidenceRows, JobRow, read_evidence, write_figures

#: A stored figure equals a derived one to this many ms (or parts of it, for ratios): the store keeps REAL.
TOLERANCE = 1e-6


def figures_of(job: JobEvidence, clock: Any) -> dict[str, Any]:
    """One job's figure columns: its latencies, and for a stream the listener's figures from its chunks (which
    take precedence for ttfa: the first *decodable* audio). A figure whose evidence was not recorded (a run
    stored before it was) is left out, not nulled."""
    figures = job_figures(job, clock)
    if Mark.FINISHED not in job.marks:
        figures.pop("total_ms")
    if job.chunks:
        origin = job.marks.get(Mark.REQUEST_SENT, job.start)
        figures |= stream_figures(job.chunks, origin, job.marks.get(Mark.MEDIA_LAST_BYTE))
    return figures


def derive_run(jobs: Sequence[JobEvidence]) -> dict[str, dict[str, Any]]:
    """`job_key` → figure columns, for every job with evidence."""
    clocks = learn_run_clocks(jobs)
    return {job.job_key: figures_of(job, clocks[job.provider]) for job in sorted(jobs, key=lambda j: j.job_key)}


@dataclass(frozen=True, slots=True)
class FigureMismatch:
    """A stored figure the evidence does not give."""

    job_key: str
    label: str  # provider/model
    column: str
    stored: Any
    derived: Any

    def __str__(self) -> str:
        return (
            f"{self.column} of job {self.job_key} ({self.label}): stored {self.stored!r}, its evidence gives "
            f"{self.derived!r}"
        )


def _same(stored: Any, derived: Any) -> bool:
    if stored is None or derived is None:
        return stored is None and derived is None
    if isinstance(derived, (int, float)) and isinstance(stored, (int, float)):
        return math.isclose(float(stored), float(derived), rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    return str(stored) == str(derived)


def mismatches(jobs: Sequence[JobRow], derived: Mapping[str, Mapping[str, Any]]) -> list[FigureMismatch]:
    """Every stored figure that differs from its derivation, job by job in the run's order (each derived figure by
    the name of its column)."""
    found = []
    for job in jobs:
        for column, value in derived.get(job.job_key, {}).items():
            stored = getattr(job, column)
            if not _same(stored, value):
                found.append(FigureMismatch(job.job_key, f"{job.provider}/{job.model}", column, stored, value))
    return found


@dataclass(frozen=True, slots=True)
class Recomputation:
    """What re-deriving a run found: the figures, and the stored ones that differ from them."""

    run_id: str
    figures: dict[str, dict[str, Any]]
    differences: list[FigureMismatch] = field(default_factory=list)
    written: int = 0


def derive_rows(rows: EvidenceRows) -> dict[str, dict[str, Any]]:
    return derive_run(run_evidence(rows.jobs, rows.marks, rows.polls, rows.chunks))


def recompute(conn: Connection, run_id: str, *, write: bool = True, audio_root: Path | None = None) -> Recomputation:
    """Re-derive every figure of `run_id` from its stored evidence; with `write`, store them (one transaction).
    The differences are measured against what was stored before. With `audio_root` (the folder the store's audio
    paths are relative to), the kept audio's seams and rate heard too (`audio_findings`). The timing marks'
    figures and findings come from their own evidence columns (`harness.measurement.marks`)."""
    rows = read_evidence(conn, run_id)
    figures = derive_rows(rows)
    for key, columns in run_marks_columns(rows.jobs).items():
        figures.setdefault(key, {}).update(columns)
    if audio_root is not None:
        for key, columns in audio_findings(rows.jobs, rows.chunks, rows.clips, audio_root).items():
            figures.setdefault(key, {}).update(columns)
    differences = mismatches(rows.jobs, figures)
    written = write_figures(conn, figures) if write else 0
    return Recomputation(run_id, figures, differences, written)
