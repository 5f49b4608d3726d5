"""The two SQL dialects a results store speaks — SQLite (the embedded default) and PostgreSQL (a store a team
shares) — and every difference between them, here and nowhere else.

The results package writes its statements once, in the portable subset both understand, with SQLite's
parameter marks (`?` and `:name`); what differs is said by this module:

* parameters: psycopg's `%s` / `%(name)s` (and a literal `%` doubled), by `pyformat`, which skips quoted
  literals;
* column types in the DDL (`REAL` is PostgreSQL's `DOUBLE PRECISION`, an `INTEGER` is 64-bit, an
  `AUTOINCREMENT` key an identity column) and the one foreign key SQLite never enforced, by `ddl`;
* an insert that keeps or replaces a row already stored (`INSERT OR IGNORE` / `INSERT OR REPLACE`, and
  PostgreSQL's `ON CONFLICT … DO NOTHING` / `DO UPDATE` on the table's key: `CONFLICT_KEYS`), by `insert_sql`;
* a write transaction that holds the store's one write lock from its first statement (SQLite's
  `BEGIN IMMEDIATE`, PostgreSQL's transaction-scoped advisory lock), by `begin_statements`;
* the catalogue (`sqlite_master` and `PRAGMA table_info`, or `information_schema`), by `table_sql` and
  `columns_sql`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum


class Dialect(StrEnum):
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"


class Existing(StrEnum):
    """What an insert does with a row whose key is already stored."""

    FAIL = "INSERT"
    KEEP = "INSERT OR IGNORE"
    REPLACE = "INSERT OR REPLACE"


# The key a replacing insert conflicts on, per table (its primary key, or for a table keyed by a surrogate
# id the natural key its UNIQUE constraint declares). `tests/results/test_backends.py` checks it against the
# DDL.
CONFLICT_KEYS: dict[str, tuple[str, ...]] = {
    "meta": ("key",),
    "runs": ("run_id",),
    "jobs": ("job_key",),
    "marks": ("job_key", "name"),
    "polls": ("job_key", "seq"),
    "chunks": ("job_key", "seq"),
    "costs": ("job_key", "attempt"),
    "errors": ("error_id",),
    "drift": ("drift_id",),
    "catalogues": ("run_id", "provider", "endpoint"),
    "clips": ("clip_id",),
    "span_scores": ("clip_id", "asr_model"),
    "load_levels": ("run_id", "level", "provider"),
    "leases": ("run_id",),
    "scores": ("clip_id", "asr_backend", "asr_model", "normalizer_version"),
    "score_cache": ("kind", "audio_sha256", "backend", "model", "settings", "normalizer_version"),
}
# Surrogate ids a store assigns itself: never copied from one store into another.
SURROGATE_IDS: dict[str, str] = {"costs": "cost_id", "errors": "error_id", "drift": "drift_id"}

# An arbitrary constant: the advisory lock every PostgreSQL writer of a store takes for its transaction.
_WRITE_LOCK = 7_352_611_001


def insert_sql(dialect: Dialect, table: str, columns: Sequence[str], existing: Existing = Existing.FAIL,
               named: bool = False) -> str:
    """An insert of one row of `columns` (`?` marks, or `:name` when `named`), keeping or replacing a row
    already stored under the table's key as `existing` says."""
    marks = ", ".join(f":{c}" if named else "?" for c in columns)
    if dialect is Dialect.SQLITE:
        return f"{existing.value} INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    if existing is Existing.KEEP:
        return f"{sql} ON CONFLICT DO NOTHING"
    if existing is Existing.REPLACE:
        key = CONFLICT_KEYS[table]
        rest = [c for c in columns if c not in key]
        action = (f"DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in rest)}" if rest else "DO NOTHING")
        return f"{sql} ON CONFLICT ({', '.join(key)}) {action}"
    return sql


def begin_statements(dialect: Dialect) -> tuple[str, ...]:
    """What opens a write transaction holding the store's write lock, so nothing changes between a read and
    the write it decides (two writers of one store wait for each other, on either dialect)."""
    if dialect is Dialect.SQLITE:
        return ("BEGIN IMMEDIATE",)
    return ("BEGIN", f"SELECT pg_advisory_xact_lock({_WRITE_LOCK})")


def table_sql(dialect: Dialect) -> str:
    """One row when the table named by the single parameter exists."""
    if dialect is Dialect.SQLITE:
        return "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return ("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_name = ?")


def columns_sql(dialect: Dialect, table: str) -> tuple[str, tuple[str, ...]]:
    """A query of a table's column names in their order (first column of each row), and its parameters."""
    if dialect is Dialect.SQLITE:
        return "SELECT name FROM pragma_table_info(?)", (table,)
    return ("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ? ORDER BY ordinal_position", (table,))


def tables_sql(dialect: Dialect) -> str:
    """Every table of the store, by name (first column)."""
    if dialect is Dialect.SQLITE:
        return "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    return ("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "ORDER BY table_name")


_TYPES = (
    (re.compile(r"\bINTEGER PRIMARY KEY AUTOINCREMENT\b"), "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b"), "BIGINT"),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    # SQLite never enforced it (foreign keys are off unless asked for): the same store on both.
    (re.compile(r"\s+REFERENCES \w+\(\w+\)"), ""),
)


def ddl(dialect: Dialect, text: str) -> str:
    """A CREATE or ALTER statement written for SQLite, in the dialect's column types."""
    if dialect is Dialect.SQLITE:
        return text
    for pattern, replacement in _TYPES:
        text = pattern.sub(replacement, text)
    return text


def statements(script: str) -> list[str]:
    """A script's statements (the DDL holds no `;` inside a literal)."""
    return [part.strip() for part in script.split(";") if part.strip()]


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def pyformat(sql: str) -> str:
    """SQLite's parameter marks (`?`, `:name`) as psycopg's (`%s`, `%(name)s`), a literal `%` doubled;
    quoted literals and identifiers are left as they are."""
    out: list[str] = []
    index, length = 0, len(sql)
    while index < length:
        char = sql[index]
        if char in "'\"":
            end = index + 1
            while end < length:
                if sql[end] == char:
                    if end + 1 < length and sql[end + 1] == char:  # a doubled quote inside the literal
                        end += 2
                        continue
                    break
                end += 1
            out.append(sql[index:end + 1].replace("%", "%%"))
            index = end + 1
            continue
        if char == "?":
            out.append("%s")
        elif char == "%":
            out.append("%%")
        elif char == ":" and index + 1 < length and sql[index + 1] == ":":  # a PostgreSQL cast
            out.append("::")
            index += 2
            continue
        elif char == ":" and (match := _NAME.match(sql, index + 1)) is not None:
            out.append(f"%({match.group(0)})s")
            index = match.end()
            continue
        else:
            out.append(char)
        index += 1
    return "".join(out)
