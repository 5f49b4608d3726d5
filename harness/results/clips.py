"""The `clips` table: one row per clip the runner produced, the scorer's input."""

from __future__ import annotations

from harness.results.database import Connection
from harness.results.tables import ClipRow


def read_clips(conn: Connection, run_id: str) -> list[ClipRow]:
    """The run's clips, in a stable order."""
    rows = conn.execute("SELECT * FROM clips WHERE run_id = ? ORDER BY clip_id", (run_id,))
    return [ClipRow.from_mapping(row) for row in rows]
