"""Schema changes of `runs.db`, applied in order when a store opens, so a database written by an older
harness stays readable: columns are only ever added (NULL in old rows), never renamed or dropped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence

#: schema version -> the (table, column, type) it added.
MIGRATIONS: Mapping[str, Sequence[tuple[str, str, str]]] = {
    "2": (
        ("jobs", "e2e_lo_ms", "REAL"),  # the interval that must hold the true latency
        ("jobs", "e2e_hi_ms", "REAL"),
        ("jobs", "perceived_ttfa_ms", "REAL"),  # streams (see harness.bench.streaming)
        ("jobs", "max_chunk_gap_ms", "REAL"),
        ("jobs", "real_time_factor", "REAL"),
        ("jobs", "underruns", "INTEGER"),
        ("jobs", "underrun_ms", "REAL"),
        ("jobs", "audio_ms", "REAL"),
    ),
    "3": (  # every latency figure an interval that holds the truth (issue 22)
        *(("jobs", f"{figure}_{end}_ms", "REAL") for figure in (
            "queue", "processing", "e2e_server", "ttfa", "perceived_ttfa") for end in ("lo", "hi")),
        ("jobs", "stamp_convention", "TEXT"),  # truncate | round, once the run knows; NULL: both covered
        ("jobs", "provider_request_id", "TEXT"),  # the job id, or a sync answer's request-id header
    ),
}
LATEST = max(MIGRATIONS, key=int)


def migrate(conn: sqlite3.Connection) -> None:
    """Bring an existing database to the latest version (idempotent; a fresh one is already there)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    current = int(row[0]) if row else 1
    for version in sorted(MIGRATIONS, key=int):
        if int(version) <= current:
            continue
        for table, column, kind in MIGRATIONS[version]:
            present = {info[1] for info in conn.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (version,))
