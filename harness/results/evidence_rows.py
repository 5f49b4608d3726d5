"""A run's latency evidence as stored, and the figures derived from it written back: the rows
`harness.measurement` reads and writes, with no rule of its own (what the rows mean is the measurement's).

Read as the database is: a column added by a later migration, or a table not created yet, reads as absent
(an old run stays readable; the derivation says what it cannot re-derive).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.results.database import Connection, Transaction, has_table
from harness.results.tables import ChunkRow, ClipRow, JobRow, MarkRow, PollRow, RecordT, record_of


@dataclass(frozen=True, slots=True)
class EvidenceRows:
    """One run's jobs (every stored column: the evidence columns and the figures derived so far) and its marks,
    status answers and stream chunks, each in the order of their keys; and its clips (what each kept audio was
    declared to be: the seams and the rate heard read it so)."""

    jobs: tuple[JobRow, ...]
    marks: tuple[MarkRow, ...] = ()
    polls: tuple[PollRow, ...] = ()
    chunks: tuple[ChunkRow, ...] = ()
    clips: tuple[ClipRow, ...] = ()


def _rows(conn: Connection, record: type[RecordT], table: str, order: str, run_id: str) -> tuple[RecordT, ...]:
    if not has_table(conn, table):
        return ()
    rows = conn.execute(f"SELECT * FROM {table} WHERE run_id = ? ORDER BY {order}", (run_id,))
    return tuple(record_of(record, raw) for raw in rows)


def read_evidence(conn: Connection, run_id: str) -> EvidenceRows:
    """Every row of `run_id` a figure may be derived from."""
    return EvidenceRows(
        _rows(conn, JobRow, "jobs", "seq", run_id),
        _rows(conn, MarkRow, "marks", "job_key, name", run_id),
        _rows(conn, PollRow, "polls", "job_key, seq", run_id),
        _rows(conn, ChunkRow, "chunks", "job_key, seq", run_id),
        _rows(conn, ClipRow, "clips", "clip_id", run_id),
    )


def write_figures(conn: Connection, figures: Mapping[str, Mapping[str, Any]]) -> int:
    """Each job's derived figures (`job_key` → column → value) written in one transaction; returns the jobs
    written. Only figure columns are given: evidence is never rewritten."""
    with Transaction(conn):
        for job_key, values in figures.items():
            if not values:
                continue
            assignments = ", ".join(f"{name} = ?" for name in values)
            conn.execute(f"UPDATE jobs SET {assignments} WHERE job_key = ?", (*values.values(), job_key))
    return sum(1 for values in figures.values() if values)
