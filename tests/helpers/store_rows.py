"""Rows a test writes into a store, given by column name (made-up runs, hostile values written by hand): each becomes
its table's record before the store's writer takes it, so a column the record does not declare fails the test."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import make_dataclass
from typing import Any

from harness.results import Existing, RowChange, Store
from harness.results.tables import TABLE_BY_NAME

# The scoring setup of a made-up `scores` row: the shipped recogniser and normaliser, as a default scoring writes them.
SCORE_SETUP: Mapping[str, Any] = {
    "asr_backend": "faster-whisper",
    "asr_model": "tiny.en",
    "normalizer_version": "1",
    "normalizer_name": "whisper-english",
    "asr_settings": "beam=5",
    "harness_version": "0.1.0",
}


def records(table: str, rows: Iterable[Mapping[str, Any]]) -> list[Any]:
    record = TABLE_BY_NAME[table].record if table in TABLE_BY_NAME else None
    if record is None:
        return list(rows)  # not a table: the store refuses it, as the test may mean it to
    return [record(**row) for row in rows]


def insert_rows(
    store: Store, table: str, rows: Iterable[Mapping[str, Any]], existing: Existing = Existing.FAIL
) -> None:
    store.insert(table, records(table, rows), existing)


def change(table: str, values: Mapping[str, Any]) -> RowChange:
    """An update given by column name as the typed change the store takes (a name not a column of the table fails)."""
    unknown = set(values) - set(TABLE_BY_NAME[table].column_names)
    assert not unknown, f"not columns of {table}: {sorted(unknown)}"
    made = make_dataclass("WrittenByHand", list(values), bases=(RowChange,), frozen=True, namespace={"table": table})
    written: RowChange = made(**values)
    return written


def write_rows(
    store: Store,
    writes: Sequence[tuple[str, Sequence[Mapping[str, Any]]]],
    job_update: tuple[str, Mapping[str, Any]] | None = None,
) -> None:
    update = None if job_update is None else (job_update[0], change("jobs", job_update[1]))
    store.write([(table, records(table, rows)) for table, rows in writes], update)
