"""The records a run's readers hand out (`harness.results.run_records`) are made from the table records
(`harness.results.tables`), and the readers' column lists (`harness.results.rows`) from them: a job as the readers see
it is its `jobs` row (every column but the few no reader reads) and the columns joined to it, each of the type its
table declares, None admitted exactly where the store may hold NULL. A column added to `JobRow` is read, exported and
typed with no other line."""

from __future__ import annotations

import ast
import types
import typing
from dataclasses import fields
from pathlib import Path

import pytest

from harness.results.rows import DRIFT_COLUMNS, ERROR_COLUMNS, REQUEST_COLUMNS, RUN_COLUMNS, RowColumn, RowKind
from harness.results.run_records import (
    UNREAD_ENTRY_COLUMNS,
    UNREAD_JOB_COLUMNS,
    DriftEntry,
    ErrorEntry,
    JoinedColumns,
    RequestRow,
    StoredRun,
    joined_from,
)
from harness.results.tables import TABLE_BY_NAME, DriftRow, ErrorRow, JobRow, ScoreRow

PYTHON = {RowKind.TEXT: str, RowKind.INTEGER: int, RowKind.REAL: float}
HARNESS = Path(__file__).parents[2] / "harness"


def _declared(record: type) -> list[tuple[str, type, bool]]:
    hints = typing.get_type_hints(record)
    found = []
    for item in fields(record):
        arguments = [a for a in typing.get_args(hints[item.name]) if a is not type(None)]
        nullable = isinstance(hints[item.name], types.UnionType)
        found.append((item.name, arguments[0] if nullable else hints[item.name], nullable))
    return found


@pytest.mark.parametrize(
    ("record", "columns"),
    [(RequestRow, REQUEST_COLUMNS), (StoredRun, RUN_COLUMNS), (ErrorEntry, ERROR_COLUMNS), (DriftEntry, DRIFT_COLUMNS)],
)
def test_each_record_is_its_readers_columns(record: type, columns: tuple[RowColumn, ...]) -> None:
    assert _declared(record) == [(c.name, PYTHON[c.kind], c.nullable) for c in columns]


@pytest.mark.parametrize(
    ("record", "table", "unread"),
    [
        (RequestRow, JobRow, UNREAD_JOB_COLUMNS),
        (ErrorEntry, ErrorRow, UNREAD_ENTRY_COLUMNS),
        (DriftEntry, DriftRow, UNREAD_ENTRY_COLUMNS),
    ],
)
def test_a_readers_record_is_its_table_record_but_the_unread_columns(
    record: type, table: type, unread: frozenset[str]
) -> None:
    own = [item for item in _declared(record) if item[0] in {f.name for f in fields(table)}]
    assert own == [item for item in _declared(table) if item[0] not in unread]
    assert [item for item in _declared(record) if item not in own] == (
        _declared(JoinedColumns) if record is RequestRow else []
    )
    assert not {f.name for f in fields(record)} & unread


def test_a_column_added_to_the_jobs_record_is_read_with_no_other_line() -> None:
    readable = [c.name for c in TABLE_BY_NAME["jobs"].columns if c.name not in UNREAD_JOB_COLUMNS]
    assert [c.name for c in REQUEST_COLUMNS if c.table == "j"] == readable


def test_a_score_read_by_the_readers_is_of_the_type_scores_declares() -> None:
    scores = {name: kind for name, kind, _ in _declared(ScoreRow)}
    renamed = {"flags": "flags_json", "findings": "findings_json", "score_error": "error"}
    for item in fields(JoinedColumns):
        source = joined_from(item)
        assert source is not None
        if source.table == "s" and item.name != "scored":
            column = renamed.get(item.name, item.name)
            assert dict((n, k) for n, k, _ in _declared(JoinedColumns))[item.name] == scores[column], item.name
            assert source.expression in ("", f"s.{column}"), item.name


def test_no_reader_reads_a_column_its_record_leaves_out() -> None:
    """The type checker sees the table's record whole (`run_records`' TYPE_CHECKING view); the runtime record leaves
    the unread columns out: no module handed a reader's record reads one off it."""
    unread = UNREAD_JOB_COLUMNS | {"error_id", "drift_id"}  # the versions are read, off a job or the run
    for path in HARNESS.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if not any(name in text for name in ("RequestRow", "ErrorEntry", "DriftEntry", "RunRows")):
            continue
        read = {node.attr for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Attribute)} & unread
        assert not read, f"{path.relative_to(HARNESS.parent)} reads {sorted(read)}"
