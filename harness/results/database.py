"""Opening `runs.db`: one connection set-up for the writers (the runner, the scorer) and a read-only one
for the readers (the report, `export`, `compare`), plus the transaction every write runs in.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from harness.core.errors import UsageError


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection set up for one writer plus concurrent readers (the scorer, the report).

    Autocommit mode: every write goes through `Transaction`, so a job's rows commit together or not at all.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30.0, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL: a commit survives a process kill (the WAL is written before commit returns); only
    # an OS crash could lose the last commits, which a benchmark run tolerates.
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


def open_read_only(path: Path) -> sqlite3.Connection:
    """Read-only: a report never changes the results it reports (and never migrates an old database)."""
    if not path.exists():
        raise UsageError(f"no results database at {path}; run `tts-harness bench run` first or pass --db")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


class Transaction:
    """`BEGIN IMMEDIATE … COMMIT`, or ROLLBACK on error (the connection runs in autocommit mode).

    IMMEDIATE takes the write lock at once, so nothing can change between a read and the write it decides.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type is not None else "COMMIT")


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Whether `name` exists (a database read before the scorer ran has no `scores`)."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
    return found is not None


def columns_of(conn: sqlite3.Connection, table: str) -> frozenset[str]:
    """The columns `table` has in this database (an old one lacks those added since)."""
    return frozenset(str(info[1]) for info in conn.execute(f"PRAGMA table_info({table})"))
