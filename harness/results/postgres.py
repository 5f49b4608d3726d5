"""A PostgreSQL store (`--db postgresql://…`, or `TTS_HARNESS_DB`) through psycopg 3, the `postgres` extra.

`PgConnection` answers the few calls the results package makes of a connection — `execute`, `executemany`,
`close` — as sqlite3's does: statements in the portable SQL with SQLite's parameter marks (translated by
`harness.results.dialect.pyformat`), rows that read by position and by name (`Record`), autocommit with
explicit transactions (`harness.results.database.Transaction`). psycopg is imported here only, when a URL
names a PostgreSQL store: a SQLite store never needs it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from harness.core.errors import UsageError
from harness.core.redact import without_userinfo
from harness.results.dialect import pyformat

SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(SCHEMES)


class Record:
    """One row: by position (`row[0]`), by name (`row["run_id"]`), `keys()`, and `dict(row)`, as sqlite3.Row."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: Sequence[str], values: Sequence[Any]) -> None:
        self._names = tuple(names)
        self._values = tuple(values)

    def keys(self) -> list[str]:
        return list(self._names)

    def __getitem__(self, key: int | str) -> Any:
        if isinstance(key, str):
            try:
                return self._values[self._names.index(key)]
            except ValueError:
                raise IndexError(f"no column {key!r}") from None
        return self._values[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Record({dict(zip(self._names, self._values, strict=True))!r})"


def _value(value: Any) -> Any:
    """A parameter as SQLite would store it: a bool is the integer it is there."""
    return int(value) if isinstance(value, bool) else value


def _params(params: Sequence[Any] | Mapping[str, Any]) -> Sequence[Any] | Mapping[str, Any]:
    if isinstance(params, Mapping):
        return {name: _value(value) for name, value in params.items()}
    return tuple(_value(value) for value in params)


class PgCursor:
    """The rows of one statement, as `Record`s (or none, for a statement that returns no rows)."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor
        self._names = [column.name for column in cursor.description] if cursor.description else []

    def fetchone(self) -> Any:
        row = self._cursor.fetchone()
        return None if row is None else Record(self._names, row)

    def fetchall(self) -> list[Any]:
        return [Record(self._names, row) for row in self._cursor.fetchall()]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)


@contextmanager
def _as_dbapi_error() -> Iterator[None]:
    """psycopg's errors as the DB-API classes the rest of the harness already handles (sqlite3's: the same
    hierarchy, PEP 249), so a store refusing a row reads the same on either dialect."""
    import psycopg

    try:
        yield
    except psycopg.Error as error:
        kind = next(
            (
                getattr(sqlite3, name)
                for name in ("IntegrityError", "ProgrammingError", "OperationalError", "DataError", "NotSupportedError")
                if isinstance(error, getattr(psycopg, name))
            ),
            sqlite3.DatabaseError,
        )
        first = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        raise kind(without_userinfo(first)) from error


class PgConnection:
    """A psycopg connection in autocommit mode, spoken to in the results package's portable SQL."""

    def __init__(self, raw: Any, display: str) -> None:
        self.raw = raw
        self.display = display  # the URL without its credentials: what may be printed

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> PgCursor:
        cursor = self.raw.cursor()
        with _as_dbapi_error():
            cursor.execute(pyformat(sql), _params(params) if params else None)
        return PgCursor(cursor)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any] | Mapping[str, Any]]) -> None:
        batch = [_params(row) for row in rows]
        if batch:
            with self.raw.cursor() as cursor, _as_dbapi_error():
                cursor.executemany(pyformat(sql), batch)

    def close(self) -> None:
        self.raw.close()


def connect_postgres(url: str, read_only: bool = False) -> PgConnection:
    """A connection to the store at `url`; one line naming the store (never its password) when it cannot be had."""
    display = without_userinfo(url)
    try:
        import psycopg
    except ImportError:
        raise UsageError(f"{display} is a PostgreSQL store: pip install 'tts-harness[postgres]' (psycopg 3)") from None
    try:
        # Client-side binding: parameters are interpolated as literals, so a statement's types are inferred
        # from its columns, as SQLite's are (server-side binding refuses a bare `?` it cannot type).
        raw = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor, connect_timeout=10)
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise UsageError(f"cannot open the PostgreSQL store {display}: {without_userinfo(reason)}") from None
    if read_only:
        raw.execute("SET default_transaction_read_only = on")
    return PgConnection(raw, display)
