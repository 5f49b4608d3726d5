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
from harness.results.rows import Row

EVIDENCE_TABLES = ("marks", "polls", "chunks")


@dataclass(frozen=True, slots=True)
class EvidenceRows:
    """One run's jobs (every stored column: the evidence columns and the figures derived so far) and its marks,
    status answers and stream chunks, each in the order of their keys; and its clips (what each kept audio was
    declared to be: the seams and the rate heard read it so)."""

    jobs: tuple[Row, ...]
    marks: tuple[Row, ...] = ()
    polls: tuple[Row, ...] = ()
    chunks: tuple[Row, ...] = ()
    clips: tuple[Row, ...] = ()


def _rows(conn: Connection, sql: str, run_id: str) -> tuple[Row, ...]:
    found = []
    for raw in conn.execute(sql, (run_id,)):
        found.append({name: raw[name] for name in raw.keys()})  # noqa: SIM118 (a row, not a dict)
    return tuple(found)


def read_evidence(conn: Connection, run_id: str) -> EvidenceRows:
    """Every row of `run_id` a figure may be derived from."""
    jobs = _rows(conn, "SELECT * FROM jobs WHERE run_id = ? ORDER BY seq", run_id)
    tables: dict[str, tuple[Row, ...]] = {}
    for table in EVIDENCE_TABLES:
        order = "job_key, name" if table == "marks" else "job_key, seq"
        tables[table] = _rows(conn, f"SELECT * FROM {table} WHERE run_id = ? ORDER BY {order}", run_id) \
            if has_table(conn, table) else ()
    clips = _rows(conn, "SELECT clip_id, declared_media_type, declared_sample_rate FROM clips WHERE run_id = ? "
                        "ORDER BY clip_id", run_id) if has_table(conn, "clips") else ()
    return EvidenceRows(jobs, tables["marks"], tables["polls"], tables["chunks"], clips)


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
