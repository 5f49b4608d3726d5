"""How a table of `runs.db` is declared: a frozen, keyword-only record (`harness.results.tables`) whose fields are the
table's columns, and from it the table's SQL — its CREATE statement, its indexes, the columns each schema version
added — so a column is declared once, with its type, its nullability and the version that added it.

The record's annotations say the column's type (`str` TEXT, `int` and `bool` INTEGER, `float` REAL; a `StrEnum`
TEXT) and whether it may be NULL (`| None`). A column of the table's first version is a plain field; a column a
later version added says so with `column(added=N)`: it is NULL in the rows written before it, so its type admits
None, unless that version's migration fills it in (`backfilled=True`) or the field's default says what such a NULL
reads as (a hard-text row judged before forced choice reads as judged from the transcript). A default the database
itself applies (an INSERT that leaves the column out) is `column(stored_default=...)`, never inferred from the
field's Python default, which only spares a writer from naming it.

The statements are written in SQLite's dialect, as the hand-written DDL was; `harness.results.dialect.ddl` turns
them into PostgreSQL's.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

FIRST_VERSION = 1
_ADDED, _BACKFILLED, _STORED_DEFAULT = "added", "backfilled", "stored_default"
_SQL_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "INTEGER"),
    (int, "INTEGER"),
    (float, "REAL"),
    (str, "TEXT"),
    (Enum, "TEXT"),
)


def column(
    *,
    added: int = FIRST_VERSION,
    backfilled: bool = False,
    stored_default: str | None = None,
    default: Any = dataclasses.MISSING,
) -> Any:
    """A field that says more of its column than its annotation: the schema version that added it (its rows from
    before are NULL there, unless the version's migration fills it in: `backfilled`), or the default the database
    applies (an SQL literal, `'planned'` or `0`). A column added later defaults to None, as its old rows read."""
    if default is dataclasses.MISSING and added > FIRST_VERSION and not backfilled:
        default = None
    metadata = {_ADDED: added, _BACKFILLED: backfilled, _STORED_DEFAULT: stored_default}
    if default is dataclasses.MISSING:
        return field(metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """One column as the database holds it."""

    name: str
    sql_type: str  # TEXT | INTEGER | REAL
    nullable: bool  # in the record: may the value be None
    added: int  # the schema version that added it
    backfilled: bool = False
    stored_default: str | None = None

    @property
    def added_sql(self) -> str:
        """The column as a migration adds it (`ALTER TABLE ... ADD COLUMN`) and as a new store's CREATE lists it after
        the first version's columns: one definition, so a migrated store and a new one hold the same column."""
        return f"{self.name} {self.sql_type}"


@dataclass(frozen=True, slots=True)
class Index:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    """A table of the store: its name, the record each row is, its key and constraints."""

    name: str
    record: type
    key: tuple[str, ...]  # the primary key
    surrogate: bool = False  # the key is an id the store assigns (INTEGER PRIMARY KEY AUTOINCREMENT)
    unique: tuple[tuple[str, ...], ...] = ()  # natural keys of a table keyed by a surrogate id
    references: Mapping[str, str] = field(default_factory=dict)  # column -> "table(column)"
    indexes: tuple[Index, ...] = ()
    # Its rows belong to one run (`run_id`): a run merged from another store brings them (`harness.results.merge`).
    # Not so the store's own bookkeeping (meta, the writer's lease) nor the score cache, shared by every run.
    of_a_run: bool = True

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns in the order the database holds them: the first version's as the record lists them, then
        each later version's, in the order of the versions (as `ALTER TABLE` appended them)."""
        return _ordered_columns(self.record)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def conflict_key(self) -> tuple[str, ...]:
        """The key a replacing insert conflicts on: the primary key, or, for a table keyed by a surrogate id, the
        natural key its UNIQUE constraint declares (a table with none conflicts on its id)."""
        return self.unique[0] if self.surrogate and self.unique else self.key

    def create_sql(self, through: int = FIRST_VERSION) -> str:
        """The CREATE statement of the table as version `through` holds it (`IF NOT EXISTS`: an old store keeps its
        own): the first version's columns, then each later one as its migration adds it (`name TYPE`, at the end,
        version by version), so a store made new at the latest version and an old one migrated to it hold the
        same columns in the same order."""
        single_key = len(self.key) == 1
        parts = []
        for c in self.columns:
            if c.added > FIRST_VERSION:
                continue
            text = f"{c.name} {c.sql_type}"
            if single_key and c.name == self.key[0]:
                text += " PRIMARY KEY AUTOINCREMENT" if self.surrogate else " PRIMARY KEY"
            elif not c.nullable:
                text += " NOT NULL"
            if c.stored_default is not None:
                text += f" DEFAULT {c.stored_default}"
            if c.name in self.references:
                text += f" REFERENCES {self.references[c.name]}"
            parts.append(text)
        later = sorted((c for c in self.columns if FIRST_VERSION < c.added <= through), key=lambda c: c.added)
        parts.extend(c.added_sql for c in later)
        if not single_key:
            parts.append(f"PRIMARY KEY ({', '.join(self.key)})")
        parts.extend(f"UNIQUE ({', '.join(columns)})" for columns in self.unique)
        body = ",\n    ".join(parts)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n    {body}\n)"

    def index_sql(self) -> tuple[str, ...]:
        return tuple(
            f"CREATE INDEX IF NOT EXISTS {index.name} ON {self.name} ({', '.join(index.columns)})"
            for index in self.indexes
        )

    def added_in(self, version: int) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.added == version)


def _sql_type(annotation: Any) -> tuple[str, bool]:
    """The column type of a field's annotation, and whether it admits None."""
    arguments = typing.get_args(annotation)
    nullable = typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in arguments
    kinds = [a for a in arguments if a is not type(None)] if nullable else [annotation]
    if len(kinds) != 1 or not isinstance(kinds[0], type):
        raise TypeError(f"a column's type is one of str, int, bool, float or an enum (or None): {annotation!r}")
    for python, sql in _SQL_TYPES:
        if issubclass(kinds[0], python):
            return sql, nullable
    raise TypeError(f"no column type for {annotation!r}")


@functools.cache
def _ordered_columns(record: type) -> tuple[Column, ...]:
    # Cached: a record's columns never change, and every command's start asks for them hundreds of times
    # (migrations, readers' kinds, DDL), each time resolving the record's annotations (0.3 s a process).
    return tuple(sorted(_columns(record), key=lambda c: c.added))


def _columns(record: type) -> list[Column]:
    hints = typing.get_type_hints(record)
    found = []
    for item in dataclasses.fields(record):
        sql_type, nullable = _sql_type(hints[item.name])
        added = int(item.metadata.get(_ADDED, FIRST_VERSION))
        backfilled = bool(item.metadata.get(_BACKFILLED, False))
        if added > FIRST_VERSION and not nullable and not backfilled and item.default in (dataclasses.MISSING, None):
            raise TypeError(
                f"{record.__name__}.{item.name}: added in version {added}, its older rows are NULL: "
                "its type must admit None, its migration fill it in (backfilled=True), or its default "
                "say what such a NULL reads as"
            )
        found.append(
            Column(
                name=item.name,
                sql_type=sql_type,
                nullable=nullable,
                added=added,
                backfilled=backfilled,
                stored_default=item.metadata.get(_STORED_DEFAULT),
            )
        )
    return found
