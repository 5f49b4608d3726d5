"""The writer of a run's rows (the runner's side of `runs.db`), and the few reads a running or resumed run
needs. Every value written passes the run's `Redactor`, then is cut to its column's limit; a number that is not
finite is written as NULL, and so is an amount beyond what a store holds and a bill's units holding one
(`harness.results.amounts`): whatever an answer said, the store never holds a figure that would poison its readers.

A row is committed before the job's next request goes out (`submitting` before the submit, `submitted`
with the provider's job id before any waiting), so a run killed with SIGKILL resumes from the database
without sending a job twice or paying twice. The tables are documented in `harness.results.schema`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from harness.core.errors import UsageError
from harness.core.redact import Redactor
from harness.results.amounts import bad_amount, written
from harness.results.changes import RowChange
from harness.results.database import StoreTarget, Transaction, connect, dialect_of, store_name
from harness.results.dialect import Existing, insert_sql
from harness.results.postgres import is_postgres_url
from harness.results.schema import TABLE_NAMES, create_schema
from harness.results.tables import TABLE_BY_NAME, JobRow, RunRow, record_of

Row = Mapping[str, Any]  # a row's columns by name, as written
Record = Any  # a table's record (`harness.results.tables`: `ClipRow`, `CatalogueRow`, ...): every column it declares

TEXT_LIMITS = {"error_message": 500, "message": 500}  # characters, after redaction
# Rows a resumed job writes again (its marks, its polls, its clip): the newer one wins.
REPLACED_ON_REWRITE = frozenset({"marks", "polls", "chunks", "clips"})
# A job's state before its result is in: unfinished, so a resume picks it up.
UNFINISHED_STATES = ("planned", "submitting", "submitted")
# The state (and outcome) of a job the provider accepted whose result was not fetched in its time: kept, and
# fetched by a resume (never `failed` or `lost`: the provider has it, and has charged for it).
UNFETCHED = "unfetched"


def _columns_of(table: str, record: Record) -> Mapping[str, Any]:
    """A record's columns by name, checked to be its table's record."""
    declared = TABLE_BY_NAME[_checked(table)]
    if not isinstance(record, declared.record):
        raise TypeError(f"a row of {table} is a {declared.record.__name__}, got {type(record).__name__}")
    values = {item.name: getattr(record, item.name) for item in fields(declared.record)}
    if declared.surrogate and values[declared.key[0]] is None:
        del values[declared.key[0]]  # the store gives the id
    return values


def _changed_columns(table: str, change: RowChange) -> Mapping[str, Any]:
    """An update's columns by name, checked to be an update of the table and to name only its columns."""
    if not isinstance(change, RowChange) or change.table != table:
        raise TypeError(
            f"an update of {table} is a RowChange of it (harness.results.changes), got {type(change).__name__}"
        )
    values = change.columns()
    unknown = set(values) - set(TABLE_BY_NAME[table].column_names)
    if unknown:
        raise TypeError(f"{type(change).__name__} sets {sorted(unknown)}, not columns of {table}")
    return values


def _checked(table: str) -> str:
    if table not in TABLE_NAMES:
        raise ValueError(f"expected a table of runs.db ({', '.join(TABLE_NAMES)}), got {table!r}")
    return table


class Store:
    """Writes the benchmark tables and reads what a run in progress needs. Every public write is one
    transaction.

    Used from one thread (the runner's event loop); the store's write lock (`Transaction`) serialises it
    with the scorer's connection. `path` is the SQLite file, None for a PostgreSQL store (`name` says which).
    """

    def __init__(self, path: StoreTarget, redactor: Redactor | None = None) -> None:
        self._file = None if is_postgres_url(path) else Path(path)
        self.name = store_name(path)
        self.conn = connect(path)
        self.dialect = dialect_of(self.conn)
        # Every value written passes through it (keys a server echoed, in any form), then is cut to its
        # column's limit: redacting after a cut could leave part of a key behind.
        self.redactor = redactor or Redactor()
        create_schema(self.conn)

    @property
    def path(self) -> Path:
        """The SQLite file (a run's audio and sandbox state go beside it); a PostgreSQL store has none."""
        if self._file is None:
            raise UsageError(
                f"{self.name} is a PostgreSQL store, which keeps no run folder: run into a SQLite "
                "file and `tts-harness runs merge` it into the shared store"
            )
        return self._file

    def close(self) -> None:
        self.conn.close()

    def transaction(self) -> Transaction:
        return Transaction(self.conn)

    def _clean(self, row: Row) -> tuple[Any, ...]:
        return tuple(self._clean_value(name, value) for name, value in row.items())

    def _clean_value(self, column: str, value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            return None  # NaN and infinities are no measurement (SQLite would keep an infinity)
        value = written(column, value)
        if not isinstance(value, str):
            return value
        limit = TEXT_LIMITS.get(column)
        return self.redactor.cut(value, limit) if limit else self.redactor.text(value)

    def _insert(self, table: str, records: Sequence[Record], existing: Existing) -> None:
        if records:
            rows = [_columns_of(table, record) for record in records]
            columns = list(rows[0])
            self.conn.executemany(
                insert_sql(self.dialect, _checked(table), columns, existing),
                [self._clean({c: r[c] for c in columns}) for r in rows],
            )

    # --- writes ------------------------------------------------------------------------------------

    def insert(self, table: str, rows: Iterable[Record], existing: Existing = Existing.FAIL) -> None:
        """Insert rows (records of the table) into one table, in one transaction."""
        batch = list(rows)
        if batch:
            with self.transaction():
                self._insert(table, batch, existing)

    def write(
        self, writes: Sequence[tuple[str, Sequence[Record]]], job_update: tuple[str, RowChange] | None = None
    ) -> None:
        """Several tables' rows (records of each table) plus one job update, committed together (a job's result is
        atomic)."""
        with self.transaction():
            for table, rows in writes:
                self._insert(table, rows, Existing.REPLACE if table in REPLACED_ON_REWRITE else Existing.FAIL)
            if job_update is not None:
                self._update("jobs", "job_key", *job_update)

    def update_job(self, job_key: str, change: RowChange) -> None:
        with self.transaction():
            self._update("jobs", "job_key", job_key, change)

    def update_jobs(self, changes: Mapping[str, RowChange]) -> None:
        """Several jobs' updates (job_key -> change), in one transaction."""
        with self.transaction():
            for job_key, change in changes.items():
                self._update("jobs", "job_key", job_key, change)

    def update_run(self, run_id: str, change: RowChange) -> None:
        with self.transaction():
            self._update("runs", "run_id", run_id, change)

    def _update(self, table: str, key: str, value: str, change: RowChange) -> None:
        values = _changed_columns(table, change)
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.conn.execute(f"UPDATE {table} SET {assignments} WHERE {key} = ?", (*self._clean(values), value))

    # --- reads of a run in progress ------------------------------------------------------------------

    def run(self, run_id: str) -> RunRow | None:
        """The run's row, or None."""
        raw = self.conn.execute("SELECT * FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        return None if raw is None else record_of(RunRow, raw)

    def jobs(self, run_id: str, states: Sequence[str] | None = None) -> list[JobRow]:
        """The run's jobs (those in `states`, when given), in the plan's order."""
        if states:
            marks = ", ".join("?" for _ in states)
            query = f"SELECT * FROM jobs WHERE run_id = ? AND state IN ({marks}) ORDER BY seq"
            return [record_of(JobRow, raw) for raw in self.conn.execute(query, (run_id, *states))]
        return [
            record_of(JobRow, raw)
            for raw in self.conn.execute("SELECT * FROM jobs WHERE run_id = ? ORDER BY seq", (run_id,))
        ]

    def marks(self, job_key: str) -> dict[str, float]:
        """A job's stored timing marks: name -> ms since the job's start (a resumed job continues from them)."""
        rows = self.conn.execute("SELECT name, t_ms FROM marks WHERE job_key = ?", (job_key,))
        return {str(row["name"]): float(row["t_ms"]) for row in rows}

    def spent_usd(self, run_id: str) -> float:
        """Dollars charged (or possibly charged) so far: what the budget has used up (a row holding no amount, written
        by an older version or by hand, adds nothing: `harness.results.amounts`)."""
        rows = self.conn.execute("SELECT usd FROM costs WHERE run_id = ? AND charged = 1", (run_id,))
        return float(sum(float(row[0]) for row in rows if row[0] is not None and bad_amount(row[0]) is None))

    def outcome_counts(self, run_id: str) -> dict[str, int]:
        """Jobs per ending: their error class, else `ok`/`skipped`, else their state while unfinished
        (`planned`, `submitting`, `submitted`: see UNFINISHED_STATES)."""
        rows = self.conn.execute(
            "SELECT COALESCE(error_class, outcome, state) AS k, COUNT(*) AS n FROM jobs WHERE run_id = ? GROUP BY k",
            (run_id,),
        )
        return {str(row["k"]): int(row["n"]) for row in rows}

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Ad hoc SQL, for tests and analysis scripts; the harness itself reads through typed queries."""
        return list(self.conn.execute(sql, params))
