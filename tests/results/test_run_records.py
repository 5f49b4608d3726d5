"""The records a run's readers hand out (`harness.results.run_records`) are the readers' columns
(`harness.results.rows`): the same names in the same order, each of its column's type, None admitted exactly where
the store may hold NULL. A column added to a reader's list without its field (or the other way) fails here."""

from __future__ import annotations

import types
import typing
from dataclasses import fields

import pytest

from harness.results.rows import DRIFT_COLUMNS, ERROR_COLUMNS, REQUEST_COLUMNS, RUN_COLUMNS, RowColumn, RowKind
from harness.results.run_records import DriftEntry, ErrorEntry, RequestRow, StoredRun

PYTHON = {RowKind.TEXT: str, RowKind.INTEGER: int, RowKind.REAL: float}


def _declared(record: type) -> list[tuple[str, type, bool]]:
    hints = typing.get_type_hints(record)
    found = []
    for item in fields(record):
        arguments = [a for a in typing.get_args(hints[item.name]) if a is not type(None)]
        nullable = isinstance(hints[item.name], types.UnionType)
        found.append((item.name, arguments[0] if nullable else hints[item.name], nullable))
    return found


@pytest.mark.parametrize(("record", "columns"), [(RequestRow, REQUEST_COLUMNS), (StoredRun, RUN_COLUMNS),
                                                 (ErrorEntry, ERROR_COLUMNS), (DriftEntry, DRIFT_COLUMNS)])
def test_each_record_is_its_readers_columns(record: type, columns: tuple[RowColumn, ...]) -> None:
    assert _declared(record) == [(c.name, PYTHON[c.kind], c.nullable) for c in columns]
