"""The CREATE statements of every table of `runs.db`, made from the tables' declarations
(`harness.results.tables`): each table as its first version held it, then its indexes (`IF NOT EXISTS`: an old
database keeps its own and gains a table added since). Columns added later come by `harness.results.migrations`,
for old and new databases alike, so every store holds its columns in one order.
"""

from __future__ import annotations

from harness.results.tables import TABLE_BY_NAME, TABLES


def create_statements() -> tuple[str, ...]:
    """Every table's CREATE statement and its indexes, in the order the tables are declared (in SQLite's dialect:
    `harness.results.dialect.ddl` turns them into PostgreSQL's)."""
    return tuple(statement for table in TABLES for statement in (table.create_sql(), *table.index_sql()))


def create_score_cache_statement() -> str:
    """Only the score cache's table: for a cache file of its own, which holds no run."""
    return TABLE_BY_NAME["score_cache"].create_sql()
