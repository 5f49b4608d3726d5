"""Uniting stores (`tts-harness runs merge A.db B.db … --into X`): the runs of several machines in one store.

A run is copied whole — its row and every row of every table that names it (jobs, marks, polls, costs,
errors, drift, clips, load levels, scores) — or not at all. It is identified by its run id: a run
the target already holds with the same content is left as it is (merging twice changes nothing); one held
with other content is a conflict, refused in one line, and nothing of the merge is written (one
transaction). The score cache is a union (its rows are keyed by what determines them). Leases are a
running process's, never copied. Surrogate ids (`cost_id`, `error_id`, `drift_id`) are the target's own;
rows keep their order.

Content is compared over the columns both stores have (an older store lacks later columns), numbers as
numbers (SQLite's and PostgreSQL's types of one column read the same), so a SQLite store and its copy in
PostgreSQL are the same runs.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from harness.core.errors import UsageError
from harness.results.amounts import written
from harness.results.database import (
    Connection,
    StoreTarget,
    Transaction,
    columns_of,
    connect,
    dialect_of,
    has_table,
    open_read_only,
    store_name,
)
from harness.results.dialect import SURROGATE_IDS, Existing, insert_sql
from harness.results.schema import create_schema
from harness.results.tables import TABLES

# Every table whose rows belong to one run, the run's own row first (the tables are declared in that order).
RUN_TABLES = tuple(table.name for table in TABLES if table.of_a_run)


class RunConflict(UsageError):
    """A run id both stores hold with different content."""


@dataclass(frozen=True, slots=True)
class MergeResult:
    added: tuple[str, ...]  # runs copied into the target
    present: tuple[str, ...]  # runs the target already held, the same
    rows: int  # rows copied (the runs' and the score cache's)


def run_ids(conn: Connection) -> tuple[str, ...]:
    """Every run of a store, oldest first."""
    if not has_table(conn, "runs"):
        return ()
    return tuple(str(row[0]) for row in conn.execute("SELECT run_id FROM runs ORDER BY created_at, run_id"))


def _number(value: Any) -> Any:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _rows(conn: Connection, table: str, run_id: str, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """A run's rows of `table`, as a store's writer would write them (an amount that is none as NULL: `amounts`)."""
    order = SURROGATE_IDS.get(table)
    sql = f"SELECT {', '.join(columns)} FROM {table} WHERE run_id = ?" + (f" ORDER BY {order}" if order else "")
    return [
        tuple(written(column, value) for column, value in zip(columns, row, strict=True))
        for row in conn.execute(sql, (run_id,))
    ]


def _comparable(rows: list[tuple[Any, ...]]) -> list[str]:
    return sorted(json.dumps([_number(v) for v in row], default=str) for row in rows)


@dataclass(frozen=True, slots=True)
class _Tables:
    """The columns a table has in the source and in the target (surrogate ids left out)."""

    source: dict[str, tuple[str, ...]]
    target: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, source: Connection, target: Connection, name: str) -> _Tables:
        def columns(conn: Connection) -> dict[str, tuple[str, ...]]:
            return {
                t: tuple(c for c in columns_of(conn, t) if c != SURROGATE_IDS.get(t))
                for t in RUN_TABLES
                if has_table(conn, t)
            }

        found, held = columns(source), columns(target)
        unknown = [f"{t}.{c}" for t, names in found.items() for c in names if c not in held.get(t, ())]
        if unknown:
            raise UsageError(
                f"{name} has columns this harness does not know ({', '.join(unknown[:5])}): "
                "merge it with the tts-harness that wrote it"
            )
        return cls(found, held)

    def shared(self, table: str) -> tuple[str, ...]:
        return tuple(c for c in self.source.get(table, ()) if c in self.target.get(table, ()))


def _differs(source: Connection, target: Connection, tables: _Tables, run_id: str) -> str | None:
    """What differs between the run as the source holds it and as the target does (None: the same)."""
    for table in RUN_TABLES:
        columns = tables.shared(table)
        if not columns:
            continue
        mine, theirs = (
            _comparable(_rows(source, table, run_id, columns)),
            _comparable(_rows(target, table, run_id, columns)),
        )
        if mine != theirs:
            ours, held = Counter(mine), Counter(theirs)
            changed = max(sum((ours - held).values()), sum((held - ours).values()))
            return f"{table}: {len(mine)} rows against {len(theirs)}, {changed} differing"
    return None


def _copy(source: Connection, target: Connection, tables: _Tables, run_id: str) -> int:
    copied = 0
    for table in RUN_TABLES:
        columns = tables.shared(table)
        rows = _rows(source, table, run_id, columns) if columns else []
        if rows:
            target.executemany(insert_sql(dialect_of(target), table, columns), rows)
            copied += len(rows)
    return copied


def _copy_cache(source: Connection, target: Connection) -> int:
    if not has_table(source, "score_cache"):
        return 0
    columns = tuple(c for c in columns_of(source, "score_cache") if c in columns_of(target, "score_cache"))
    rows = [tuple(row) for row in source.execute(f"SELECT {', '.join(columns)} FROM score_cache")]
    before = target.execute("SELECT COUNT(*) FROM score_cache").fetchone()[0]
    if rows:
        target.executemany(insert_sql(dialect_of(target), "score_cache", columns, Existing.KEEP), rows)
    return int(target.execute("SELECT COUNT(*) FROM score_cache").fetchone()[0]) - int(before)


def merge_stores(sources: Sequence[StoreTarget], into: StoreTarget) -> MergeResult:
    """Copy every run of `sources` into `into` (created when new), in one transaction; a run `into` holds with
    other content is refused (`RunConflict`) and nothing is written."""
    target = connect(into)
    added: list[str] = []
    present: list[str] = []
    copied = 0
    try:
        create_schema(target)
        with Transaction(target):
            for given in sources:
                name = store_name(given)
                source = open_read_only(given)
                try:
                    if not has_table(source, "runs"):
                        raise UsageError(f"{name} is not a results store (it has no runs table)")
                    tables = _Tables.of(source, target, name)
                    held = set(run_ids(target))
                    for run_id in run_ids(source):
                        if run_id in held:
                            difference = _differs(source, target, tables, run_id)
                            if difference is not None:
                                raise RunConflict(
                                    f"run {run_id} of {name} differs from the run of that id in "
                                    f"{store_name(into)} ({difference}); nothing merged"
                                )
                            present.append(run_id)
                            continue
                        copied += _copy(source, target, tables, run_id)
                        added.append(run_id)
                    copied += _copy_cache(source, target)
                finally:
                    source.close()
    finally:
        target.close()
    return MergeResult(tuple(added), tuple(present), copied)
