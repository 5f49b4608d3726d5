"""Writing a run's raw rows to files, and reading them back: the same rows the report computes from.

An export folder holds one file per table (``run``, ``requests``, ``errors``, ``drift``) in one format:
CSV (empty cell = NULL), Parquet (typed columns) or JSON (``run.json`` an object, the others arrays).
Reading one back gives the same ``RunRows`` as the database did (`harness.results.reading`), so a
committed export can serve as a CI baseline for ``compare`` and a test can recompute every figure from it.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from harness.core.errors import UsageError
from harness.results import (
    OPTIONAL_TABLES,
    ROW_TABLES,
    DriftEntry,
    ErrorEntry,
    RequestRow,
    Row,
    RowColumn,
    RowKind,
    RunRows,
    StoredRun,
    StoreTarget,
    as_record,
    read_run,
    spans_of_rows,
    typed_row,
)


class ExportFormat(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"
    JSON = "json"


def _write_csv(path: Path, columns: tuple[RowColumn, ...], rows: tuple[Row, ...]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.name for c in columns])
        for row in rows:
            writer.writerow(["" if row[c.name] is None else row[c.name] for c in columns])


def _read_csv(path: Path, columns: tuple[RowColumn, ...], left_out: list[str]) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return _typed(path, csv.DictReader(handle), columns, left_out)


def _typed(
    path: Path, rows: Iterable[Mapping[str, Any]], columns: tuple[RowColumn, ...], left_out: list[str]
) -> list[Row]:
    """The rows of an export file with each value as its column's type; a row holding a value its column cannot
    hold (an export edited by hand) is left out and named in `left_out`, as a store's reader does."""
    found = []
    for number, raw in enumerate(rows, start=1):
        row, problems = typed_row({c.name: raw.get(c.name) for c in columns}, columns)
        if problems:
            left_out.append(f"{path.name} row {number}: {'; '.join(problems)}: left out of every figure")
            continue
        found.append(row)
    return found


def _arrow_type(kind: RowKind) -> Any:
    import pyarrow as pa

    return {RowKind.TEXT: pa.string(), RowKind.INTEGER: pa.int64(), RowKind.REAL: pa.float64()}[kind]


def _write_parquet(path: Path, columns: tuple[RowColumn, ...], rows: tuple[Row, ...]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c.name, _arrow_type(c.kind)) for c in columns])
    table = pa.Table.from_pylist([dict(row) for row in rows], schema=schema)
    pq.write_table(table, path)


def _read_parquet(path: Path, columns: tuple[RowColumn, ...], left_out: list[str]) -> list[Row]:
    import pyarrow.parquet as pq

    return _typed(path, pq.read_table(path).to_pylist(), columns, left_out)


def _write_json(path: Path, name: str, rows: tuple[Row, ...]) -> None:
    document: Any = rows[0] if name == "run" else list(rows)
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _read_json(path: Path, columns: tuple[RowColumn, ...], left_out: list[str]) -> list[Row]:
    document = json.loads(path.read_text(encoding="utf-8"))
    items = [document] if isinstance(document, dict) else document
    return _typed(path, items, columns, left_out)


def export_rows(rows: RunRows, folder: Path, fmt: ExportFormat) -> list[Path]:
    """Write every table of the run into ``folder`` as ``<table>.<fmt>``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, columns in ROW_TABLES.items():
        path = folder / f"{name}.{fmt.value}"
        table = rows.table(name)
        if fmt is ExportFormat.CSV:
            _write_csv(path, columns, table)
        elif fmt is ExportFormat.PARQUET:
            _write_parquet(path, columns, table)
        else:
            _write_json(path, name, table)
        written.append(path)
    return written


def detect_format(folder: Path) -> ExportFormat:
    for fmt in ExportFormat:
        if (folder / f"requests.{fmt.value}").exists():
            return fmt
    raise UsageError(f"expected an export folder with requests.csv, .parquet or .json, got {folder}")


def load_export(folder: Path) -> RunRows:
    """Read an export folder back into the rows it was written from."""
    fmt = detect_format(folder)
    tables: dict[str, list[Row]] = {}
    left_out: list[str] = []
    for name, columns in ROW_TABLES.items():
        path = folder / f"{name}.{fmt.value}"
        if not path.exists():
            if name in OPTIONAL_TABLES:
                continue
            raise UsageError(f"export folder {folder} lacks {path.name}")
        if fmt is ExportFormat.CSV:
            tables[name] = _read_csv(path, columns, left_out)
        elif fmt is ExportFormat.PARQUET:
            tables[name] = _read_parquet(path, columns, left_out)
        else:
            tables[name] = _read_json(path, columns, left_out)
    if len(tables["run"]) != 1:
        raise UsageError(f"expected one run row in {folder}, found {len(tables['run'])}")
    return RunRows(
        run=as_record(StoredRun, tables["run"][0]),
        requests=tuple(as_record(RequestRow, row) for row in tables["requests"]),
        errors=tuple(as_record(ErrorEntry, row) for row in tables["errors"]),
        drift=tuple(as_record(DriftEntry, row) for row in tables["drift"]),
        source=folder,
        spans=spans_of_rows(tables.get("span_scores", ()), f"span_scores.{fmt.value}", left_out),
        left_out=tuple(left_out),
    )


def load_run(reference: str, db: StoreTarget, asr_model: str | None = None) -> RunRows:
    """A run by id from the database, or an export folder (e.g. a baseline committed to the repository)."""
    folder = Path(reference)
    if folder.is_dir():
        return load_export(folder)
    return read_run(db, reference, asr_model)
