"""Opening a results store: one connection set-up for the writers (the runner, the scorer) and a read-only one
for the readers (the report, `export`, `compare`, `history`), plus the transaction every write runs in.

A store is a SQLite file (`reports/runs.db`, the embedded default) or a PostgreSQL database named by URL
(`postgresql://…`, `harness.results.postgres`); `resolve_store` reads `--db` or `TTS_HARNESS_DB`. What differs
between the two is `harness.results.dialect`'s.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TypeAlias

from harness.core.errors import UsageError
from harness.core.redact import without_userinfo
from harness.results.dialect import Dialect, begin_statements, columns_sql, table_sql, tables_sql
from harness.results.postgres import PgConnection, connect_postgres, is_postgres_url

Connection: TypeAlias = sqlite3.Connection | PgConnection
StoreTarget: TypeAlias = Path | str  # a SQLite file, or a PostgreSQL URL
STORE_ENV = "TTS_HARNESS_DB"


def as_store(given: StoreTarget) -> StoreTarget:
    """A store as given on a command line: a PostgreSQL URL as it is, anything else a file's path."""
    return str(given) if is_postgres_url(str(given)) else Path(given)


def resolve_store(given: StoreTarget | None, default: Path) -> StoreTarget:
    """The store a command uses: `--db` as given, else `TTS_HARNESS_DB`, else the default file."""
    if given is not None and str(given) != "":
        return as_store(given)
    named = os.environ.get(STORE_ENV, "").strip()
    return as_store(named) if named else default


def store_name(target: StoreTarget) -> str:
    """How a store is named in output: a path, or a URL without its credentials."""
    return without_userinfo(str(target))


def dialect_of(conn: Connection) -> Dialect:
    return Dialect.POSTGRESQL if isinstance(conn, PgConnection) else Dialect.SQLITE


def connect(target: StoreTarget) -> Connection:
    """A connection set up for one writer plus concurrent readers (the scorer, the report).

    Autocommit mode: every write goes through `Transaction`, so a job's rows commit together or not at all.
    """
    if is_postgres_url(target):
        return connect_postgres(str(target))
    path = target
    if str(path) != ":memory:":
        _not_a_folder(Path(path))
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30.0, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL: a commit survives a process kill (the WAL is written before commit returns); only
    # an OS crash could lose the last commits, which a benchmark run tolerates.
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


def open_read_only(target: StoreTarget) -> Connection:
    """Read-only: a report never changes the results it reports (and never migrates an old database)."""
    if is_postgres_url(target):
        return connect_postgres(str(target), read_only=True)
    path = Path(target)
    if not path.exists():
        raise UsageError(f"no results database at {path}; run `tts-harness bench run` first or pass --db")
    _not_a_folder(path)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def _not_a_folder(path: Path) -> None:
    """A store named by its folder (`--db reports`) is refused in words, not as SQLite's "disk I/O error"."""
    if path.is_dir():
        inside = path / "runs.db"
        meant = f": the database `tts-harness bench run` writes there is {inside}" if inside.is_file() else ""
        raise UsageError(f"{path} is a folder, not a results database{meant}")


class Transaction:
    """A write transaction holding the store's write lock from its first statement (SQLite's `BEGIN
    IMMEDIATE`; PostgreSQL's advisory lock), then COMMIT, or ROLLBACK on error (the connection runs in
    autocommit mode).

    The lock is taken at once, so nothing can change between a read and the write it decides.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def __enter__(self) -> Connection:
        # The store never nests its transactions: one still open was left by a write that a Ctrl-C (a
        # `KeyboardInterrupt` raised between two statements) stopped between its BEGIN and its COMMIT. What it
        # wrote is not kept (`--resume` redoes it); the writes that report the interruption must still go in.
        if isinstance(self.conn, sqlite3.Connection) and self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        for statement in begin_statements(dialect_of(self.conn)):
            self.conn.execute(statement)
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type is not None else "COMMIT")


def has_table(conn: Connection, name: str) -> bool:
    """Whether `name` exists (a database read before the scorer ran has no `scores`)."""
    return conn.execute(table_sql(dialect_of(conn)), (name,)).fetchone() is not None


def columns_of(conn: Connection, table: str) -> tuple[str, ...]:
    """The columns `table` has in this database, in order (an old one lacks those added since)."""
    sql, params = columns_sql(dialect_of(conn), table)
    return tuple(str(row[0]) for row in conn.execute(sql, params))


def tables_of(conn: Connection) -> tuple[str, ...]:
    """Every table of the store, by name."""
    return tuple(str(row[0]) for row in conn.execute(tables_sql(dialect_of(conn))))
