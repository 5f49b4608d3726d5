"""The raw rows of one run: what every reader computes from, what `export` writes, what a test recomputes
from.

Every figure — the terminal summary's, the report's, `compare`'s — is computed from a `RunRows` and
nothing else (`harness.results.figures`), so an exported folder is a complete account: anyone can
recompute every figure from it. The rows come from `runs.db` (`harness.results.reading`):

* ``requests`` — one per job: the ``jobs`` row (timings, outcome, cost) joined with the job's summed
  ``costs`` (planned and billed, the price's provenance; the harness's own requests summed apart) and, when the
  clip was scored, its ``scores`` row for the run's scoring setup (`harness.results.setups`);
* ``errors`` and ``drift`` — as stored, for errors by class and contract / documentation drift;
* ``run`` — the run's metadata: versions, git revision, corpora, target, and the scoring setup used.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from harness.results.amounts import IN_ROWS, bad_amount, shown
from harness.results.hard_text import span_row
from harness.results.run_records import DriftEntry, ErrorEntry, RequestRow, StoredRun, joined_from
from harness.results.table_spec import FIRST_VERSION, Column
from harness.results.tables import TABLE_BY_NAME, SpanScoreRow


class RowKind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    REAL = "real"


Value = str | int | float | None
Row = dict[str, Value]  # a row as an export writes it: column name -> value
RecordT = TypeVar("RecordT")


@dataclass(frozen=True, slots=True, kw_only=True)
class RowColumn:
    name: str
    kind: RowKind
    table: str  # alias of the table it comes from ("" for columns filled after the query)
    expression: str = ""  # SQL when it is not simply `table.name`
    absent: str = "NULL"  # its value when its table does not exist yet (nothing scored)
    nullable: bool = True  # may the store hold NULL here: a row holding none where it may not is left out

    @property
    def source(self) -> str:
        return self.expression or (f"{self.table}.{self.name}" if self.table else "NULL")


_KIND_OF_SQL = {"TEXT": RowKind.TEXT, "INTEGER": RowKind.INTEGER, "REAL": RowKind.REAL}


def _stored(table: str, alias: str, names: str, *, unknown: bool = False) -> tuple[RowColumn, ...]:
    """Columns of a stored table (`alias` in the readers' query) read as they are, each of the kind its table
    declares (`harness.results.tables`), and NULL where its table may hold NULL: a nullable column, one a later
    version added (its older rows), and every column that may read as `unknown` (a LEFT JOINed table's: a job with no
    score; a run row's, whose value its column cannot hold is read as unknown)."""
    declared = {column.name: column for column in TABLE_BY_NAME[table].columns}
    return tuple(
        RowColumn(
            name=name,
            kind=_KIND_OF_SQL[declared[name].sql_type],
            table=alias,
            nullable=unknown or _may_be_null(declared[name]),
        )
        for name in names.split()
    )


def _may_be_null(column: Column) -> bool:
    return column.nullable or (column.added > FIRST_VERSION and not column.backfilled)


def reader_columns(record: type, table: str, alias: str) -> tuple[RowColumn, ...]:
    """A reader's record's columns, in its fields' order (`harness.results.run_records`): each column of its table as
    the table declares it (`_stored`), each joined column from where it is joined (read as NULL where its join finds
    nothing), of the kind its field's type says."""
    hints = typing.get_type_hints(record)
    found: list[RowColumn] = []
    for item in fields(record):
        source = joined_from(item)
        if source is None:
            found += _stored(table, alias, item.name)
        else:
            found.append(
                RowColumn(
                    name=item.name,
                    kind=_kind_of(hints[item.name]),
                    table=source.table,
                    expression=source.expression,
                    absent=source.absent,
                )
            )
    return tuple(found)


def _kind_of(annotation: Any) -> RowKind:
    kinds = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
    return {str: RowKind.TEXT, int: RowKind.INTEGER, float: RowKind.REAL}[kinds[0]]


REQUEST_COLUMNS: tuple[RowColumn, ...] = reader_columns(RequestRow, "jobs", "j")
ERROR_COLUMNS: tuple[RowColumn, ...] = reader_columns(ErrorEntry, "errors", "e")
DRIFT_COLUMNS: tuple[RowColumn, ...] = reader_columns(DriftEntry, "drift", "d")

RUN_COLUMNS: tuple[RowColumn, ...] = (
    *_stored("runs", "r", "run_id"),
    *_stored("runs", "r", "created_at finished_at status harness_version git_revision target target_url", unknown=True),
    *_stored("runs", "r", "sandbox_profile", unknown=True),
    *_stored("runs", "r", "sandbox_seed", unknown=True),
    *_stored("runs", "r", "corpora_json config_json polling", unknown=True),
    *_stored("runs", "r", "repeats concurrency planned_jobs", unknown=True),
    *_stored("runs", "r", "global_concurrency", unknown=True),  # schema 4
    *_stored("runs", "r", "load_levels_json", unknown=True),
    *_stored("runs", "r", "budget_usd planned_cost_usd", unknown=True),
    *_stored("runs", "r", "machine_json", unknown=True),
    # Schema 10: the client's own health over the run (harness.core.client_health).
    *_stored("runs", "r", "client_saturated client_lag_p50_ms client_lag_p95_ms", unknown=True),
    *_stored("runs", "r", "client_health_json", unknown=True),
    # The scoring setup the requests' score columns come from (NULL when nothing was scored); asr_model is
    # the model the scoring pass was asked for.
    RowColumn(name="asr_backend", kind=RowKind.TEXT, table=""),
    RowColumn(name="asr_model", kind=RowKind.TEXT, table=""),
    RowColumn(name="normalizer_name", kind=RowKind.TEXT, table=""),
    RowColumn(name="normalizer_version", kind=RowKind.TEXT, table=""),
    RowColumn(name="asr_settings", kind=RowKind.TEXT, table=""),
    RowColumn(name="scoring_harness_version", kind=RowKind.TEXT, table=""),
)

# The hard-text judgements (`span_scores`, `harness.results.hard_text`), exported beside the rows; an export
# written before them has none.
SPAN_COLUMNS: tuple[RowColumn, ...] = (
    *_stored("span_scores", "s", "clip_id run_id provider model item_id category"),
    *_stored("span_scores", "s", "control"),
    *_stored("span_scores", "s", "verdict heard error reason transcript asr_model method"),
    *_stored("span_scores", "s", "margin free_margin"),
    *_stored("span_scores", "s", "thresholds free_heard second_opinion"),
    *_stored("span_scores", "s", "disagree"),
)
ROW_TABLES: dict[str, tuple[RowColumn, ...]] = {
    "run": RUN_COLUMNS,
    "requests": REQUEST_COLUMNS,
    "errors": ERROR_COLUMNS,
    "drift": DRIFT_COLUMNS,
    "span_scores": SPAN_COLUMNS,
}
OPTIONAL_TABLES = frozenset({"span_scores"})  # an older export lacks them


@dataclass(frozen=True, slots=True, kw_only=True)
class RunRows:
    """One run's raw rows; ``source`` is the database or export folder they came from."""

    run: StoredRun
    requests: tuple[RequestRow, ...]
    errors: tuple[ErrorEntry, ...] = ()
    drift: tuple[DriftEntry, ...] = ()
    source: Path | None = field(default=None, compare=False)
    # The hard-text judgements (`span_scores`), for the summary's and the report's per-category tables.
    spans: tuple[SpanScoreRow, ...] = ()
    # The rows the store holds that could not be read (a value its column cannot hold), each named in one line:
    # left out of every figure, and printed by every face (`harness.results.reading`).
    left_out: tuple[str, ...] = field(default=(), compare=False)

    @property
    def run_id(self) -> str:
        return self.run.run_id

    @property
    def region(self) -> str | None:
        """Where the run's requests left from, as `bench run --region` labelled it (None: not labelled)."""
        return run_region(self.run)

    def table(self, name: str) -> tuple[Row, ...]:
        """One table's rows as an export writes them: column name -> value, in `ROW_TABLES`' order."""
        if name == "span_scores":
            return tuple(span_row(verdict) for verdict in self.spans)
        records: tuple[Any, ...] = (self.run,) if name == "run" else getattr(self, name)
        return tuple({c.name: getattr(record, c.name) for c in ROW_TABLES[name]} for record in records)


def coerce(value: Any, kind: RowKind, nullable: bool = True) -> Value:
    """A value read from any export format, as the column's type (empty CSV cells are NULL, but in a text column that
    holds no NULL, where they are the empty text)."""
    if value == "" and kind is RowKind.TEXT and not nullable:
        return ""
    if value is None or value == "":
        return None
    if kind is RowKind.INTEGER:
        return int(float(value)) if isinstance(value, str) else int(value)
    if kind is RowKind.REAL:
        return float(value)
    return str(value)


def typed_row(row: Mapping[str, Any], columns: Sequence[RowColumn]) -> tuple[Row, list[str]]:
    """The row with each value as its column's type, and why each value that cannot be — text in a number column,
    an amount that is none (`harness.results.amounts`), nothing where its column holds no NULL — is not (None in its
    place): a reader leaves such a row out and names it (`RunRows.left_out`)."""
    typed: Row = {}
    problems: list[str] = []
    for c in columns:
        value = row[c.name]
        try:
            typed[c.name] = coerce(value, c.kind, c.nullable)
        except (ValueError, TypeError, OverflowError):
            typed[c.name] = None
            kind = {RowKind.INTEGER: "an integer", RowKind.REAL: "a number"}.get(c.kind, "text")
            problems.append(f"{c.name} holds {shown(value)}, not {kind}")
            continue
        if typed[c.name] is None and not c.nullable:
            problems.append(f"{c.name} holds nothing, where a value is required")
        elif c.name in IN_ROWS and (why := bad_amount(typed[c.name])) is not None:
            typed[c.name] = None
            problems.append(f"{c.name} {why}")
    return typed, problems


def as_record(record: type[RecordT], row: Mapping[str, Any]) -> RecordT:
    """A typed row (`typed_row`: each value its column's type) as the record of its table."""
    return record(**row)


def json_list(value: Value) -> list[Any]:
    """A JSON-array column (flags, findings) as a list; NULL is empty."""
    if value is None or value == "":
        return []
    loaded = json.loads(str(value))
    return loaded if isinstance(loaded, list) else []


def stored_corpora(store: Path, run_id: str) -> tuple[str, ...]:
    """The corpora a stored run was asked for (its `--corpus` selectors, as its settings were stored; none where the
    database has clips but no row for the run)."""
    from harness.results.database import open_read_only

    conn = open_read_only(store)
    try:
        row = conn.execute("SELECT config_json FROM runs WHERE run_id = ?", (run_id,)).fetchone()
    finally:
        conn.close()
    if row is None:  # clips stored without a run row (a scorer's own database): no corpus to judge by
        return ()
    corpus = json_object(row["config_json"]).get("corpus") or ()
    return tuple(str(selector) for selector in corpus)


def run_region(run: StoredRun) -> str | None:
    """A run row's region label (`bench run --region`), kept in its stored settings; None when not given."""
    label = json_object(run.config_json).get("region")
    return str(label) if label else None


def json_object(value: Value) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    loaded = json.loads(str(value))
    return loaded if isinstance(loaded, dict) else {}
