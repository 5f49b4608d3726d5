"""Rows a test writes into a store, given by column name (made-up runs, hostile values written by hand): each becomes
its table's record before the store's writer takes it, so a column the record does not declare fails the test."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from harness.results import Existing, Store
from harness.results.tables import TABLE_BY_NAME


def records(table: str, rows: Iterable[Mapping[str, Any]]) -> list[Any]:
    record = TABLE_BY_NAME[table].record if table in TABLE_BY_NAME else None
    if record is None:
        return list(rows)  # not a table: the store refuses it, as the test may mean it to
    return [record(**row) for row in rows]


def insert_rows(store: Store, table: str, rows: Iterable[Mapping[str, Any]],
                existing: Existing = Existing.FAIL) -> None:
    store.insert(table, records(table, rows), existing)


def write_rows(store: Store, writes: Sequence[tuple[str, Sequence[Mapping[str, Any]]]],
               job_update: tuple[str, Mapping[str, Any]] | None = None) -> None:
    store.write([(table, records(table, rows)) for table, rows in writes], job_update)
