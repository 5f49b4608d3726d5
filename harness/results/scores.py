"""The `scores` table's rows and their writer (columns documented in `harness.results.schema`).

The scorer turns each `ClipScore` into a `ScoreRow` (`harness.scoring.score_row`); this module is the only
one that writes them, on a connection from `connect_writer`. One row per clip × ASR backend/model ×
normalizer version: re-scoring replaces it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime

from harness.results.database import Connection, Transaction, dialect_of
from harness.results.dialect import Existing, insert_sql
from harness.results.tables import TABLE_BY_NAME, ScoreRow


def now_iso() -> str:
    """The wall-clock stamp of the scorer's rows (`scored_at`, `created_at`)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


SCORE_COLUMNS = TABLE_BY_NAME["scores"].column_names


def write_scores(conn: Connection, rows: Sequence[ScoreRow]) -> None:
    """Insert or replace the rows in one transaction (a connection from `harness.results.database.connect`)."""
    if rows:
        with Transaction(conn):
            conn.executemany(
                insert_sql(dialect_of(conn), "scores", SCORE_COLUMNS, Existing.REPLACE, named=True),
                [asdict(row) for row in rows],
            )
