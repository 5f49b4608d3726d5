"""The CREATE statements of every table of `runs.db`, made from the tables' declarations
(`harness.results.tables`): each table as a version held it, then its indexes (`IF NOT EXISTS`: an old database
keeps its own and gains a table added since). A new database is made at the latest version at once; an old one gets
the columns added since by `harness.results.migrations`, which add them in the order a new one holds them.
"""

from __future__ import annotations

from harness.results.table_spec import FIRST_VERSION
from harness.results.tables import TABLE_BY_NAME, TABLES


def create_statements(through: int = FIRST_VERSION) -> tuple[str, ...]:
    """Every table's CREATE statement as version `through` holds it, and its indexes, in the order the tables are
    declared (in SQLite's dialect: `harness.results.dialect.ddl` turns them into PostgreSQL's)."""
    return tuple(statement for table in TABLES for statement in (table.create_sql(through), *table.index_sql()))


def create_score_cache_statement() -> str:
    """Only the score cache's table: for a cache file of its own, which holds no run."""
    return TABLE_BY_NAME["score_cache"].create_sql()
