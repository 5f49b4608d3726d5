"""Issue 69: each table of the store declared once, as a record (`harness.results.tables`), and the database made
from it. A store created anew, and a store as the hand-written DDL of a harness before schema 17 created it
(`fixtures/runs_v1.sql`) once migrated, both hold exactly the declared tables — every column's name, order, type,
nullability and stored default, every key and index — on SQLite and on PostgreSQL."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from harness.results.database import Connection, Transaction, connect, dialect_of, tables_of
from harness.results.dialect import CONFLICT_KEYS, SURROGATE_IDS, Dialect, ddl, statements
from harness.results.migrations import LATEST, MIGRATIONS, VERSIONS
from harness.results.schema import connect_writer
from harness.results.table_spec import FIRST_VERSION, Table, column
from harness.results.tables import TABLES

OLD_DDL = Path(__file__).parent / "fixtures" / "runs_v1.sql"
_PG_TYPES = {"TEXT": "text", "INTEGER": "bigint", "REAL": "double precision"}

Shape = list[tuple[str, str, bool, str | None]]  # (name, type, not null, stored default) in the table's order


def _declared(table: Table, dialect: Dialect) -> Shape:
    single_key = len(table.key) == 1
    shape = []
    for c in table.columns:
        is_key = c.name in table.key
        # SQLite keeps a one-column TEXT key nullable, as the DDL wrote it; PostgreSQL makes every key NOT NULL
        not_null = (c.added == FIRST_VERSION and not c.nullable and not (single_key and is_key)) or (
            dialect is Dialect.POSTGRESQL and is_key
        )
        kind = c.sql_type if dialect is Dialect.SQLITE else _PG_TYPES[c.sql_type]
        default = c.stored_default
        if dialect is Dialect.POSTGRESQL and default is not None and default.startswith("'"):
            default = f"{default}::text"
        if dialect is Dialect.POSTGRESQL and table.surrogate and is_key:
            default = None  # an identity column: no DEFAULT expression in the catalogue
        shape.append((c.name, kind, not_null, default))
    return shape


def _held(conn: Connection, table: str) -> Shape:
    if dialect_of(conn) is Dialect.SQLITE:
        rows = conn.execute(f"PRAGMA table_info({table})").fetchall()
        return [(str(r[1]), str(r[2]), bool(r[3]), None if r[4] is None else str(r[4])) for r in rows]
    rows = conn.execute(
        "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [(str(r[0]), str(r[1]), r[2] == "NO", None if r[3] is None else str(r[3])) for r in rows]


def _keys_and_indexes(conn: Connection, table: Table) -> tuple[tuple[str, ...], set[str]]:
    """The table's primary key columns and its named indexes, as the database holds them."""
    if dialect_of(conn) is Dialect.SQLITE:
        info = conn.execute(f"PRAGMA table_info({table.name})").fetchall()
        key = tuple(str(r[1]) for r in sorted(info, key=lambda r: r[5]) if r[5])
        indexes = {
            str(r[1])
            for r in conn.execute(f"PRAGMA index_list({table.name})").fetchall()
            if not str(r[1]).startswith("sqlite_autoindex")
        }
        return key, indexes
    key = tuple(
        str(r[0])
        for r in conn.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = "
            "ANY(i.indkey) WHERE i.indrelid = to_regclass(?) AND i.indisprimary "
            "ORDER BY array_position(i.indkey, a.attnum)",
            (table.name,),
        ).fetchall()
    )
    indexes = {
        str(r[0])
        for r in conn.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ?", (table.name,)
        ).fetchall()
        if not str(r[0]).endswith(("_pkey", "_key"))
    }
    return key, indexes


def _assert_holds_the_declared_tables(conn: Connection) -> None:
    dialect = dialect_of(conn)
    assert set(tables_of(conn)) == {table.name for table in TABLES}
    for table in TABLES:
        assert _held(conn, table.name) == _declared(table, dialect), table.name
        key, indexes = _keys_and_indexes(conn, table)
        assert key == table.key, table.name
        assert indexes == {index.name for index in table.indexes}, table.name
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == LATEST


def test_a_new_store_holds_exactly_the_declared_tables(store_target: str) -> None:
    conn = connect_writer(store_target)
    try:
        _assert_holds_the_declared_tables(conn)
    finally:
        conn.close()


def test_a_store_the_old_hand_written_ddl_made_migrates_to_exactly_the_declared_tables(store_target: str) -> None:
    conn = connect(store_target)
    try:
        with Transaction(conn):
            for statement in statements(OLD_DDL.read_text(encoding="utf-8")):
                conn.execute(ddl(dialect_of(conn), statement))
            conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")
            conn.execute(
                "INSERT INTO runs (run_id, created_at, updated_at, status, harness_version, git_revision, "
                "target, corpora_json, config_json, providers_json, models_json, repeats, concurrency, "
                "polling, planned_jobs, machine_json) VALUES ('old', 'c', 'u', 'finished', '0', 'x', "
                "'sandbox', '{}', '{}', '[]', '[]', 1, 1, 'adaptive', 0, '{}')"
            )
    finally:
        conn.close()
    conn = connect_writer(store_target)
    try:
        _assert_holds_the_declared_tables(conn)
        row = conn.execute("SELECT run_id, planned_unpriced, resumes, plans_json FROM runs").fetchone()
        assert tuple(row) == ("old", 0, 0, None)  # the old row kept, its later columns NULL or their default
    finally:
        conn.close()


def test_every_record_is_frozen_and_keyword_only_and_every_key_is_a_column() -> None:
    for table in TABLES:
        params = table.record.__dataclass_params__  # type: ignore[attr-defined]
        assert params.frozen and all(f.kw_only for f in dataclasses.fields(table.record)), table.record.__name__
        assert set(table.key) <= set(table.column_names), table.name
        for names in (*table.unique, *(index.columns for index in table.indexes), tuple(table.references)):
            assert set(names) <= set(table.column_names), table.name
    assert {table.name: table.conflict_key for table in TABLES} == CONFLICT_KEYS
    assert SURROGATE_IDS == {"costs": "cost_id", "errors": "error_id", "drift": "drift_id"}


def test_every_version_adds_the_columns_declared_with_it_and_says_why() -> None:
    assert sorted(int(version) for version in MIGRATIONS) == sorted(VERSIONS) == list(range(2, int(LATEST) + 1))
    declared = {(table.name, c.name) for table in TABLES for c in table.columns if c.added > FIRST_VERSION}
    assert {(t, c) for migration in MIGRATIONS.values() for t, c, _ in migration.columns} == declared
    assert all(reason.strip() for reason in VERSIONS.values())


def test_a_column_added_later_must_admit_the_null_of_its_older_rows() -> None:
    """A later column's old rows are NULL: its type admits None, its migration fills it in, or its default says what
    the NULL reads as. A record that claims otherwise is refused where its columns are read."""

    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class Claims:
        key: str
        said: str = column(added=2, backfilled=False, default=dataclasses.MISSING)

    with pytest.raises(TypeError, match=r"Claims\.said: added in version 2, its older rows are NULL"):
        _ = Table(name="claims", record=Claims, key=("key",)).columns

    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class Reads:
        key: str
        said: str = column(added=2, default="transcript")
        count: int | None = column(added=3)
        filled: str = column(added=3, backfilled=True)

    table = Table(name="reads", record=Reads, key=("key",))
    assert [(c.name, c.nullable, c.added) for c in table.columns] == [
        ("key", False, 1),
        ("said", False, 2),
        ("count", True, 3),
        ("filled", False, 3),
    ]
    assert table.create_sql() == "CREATE TABLE IF NOT EXISTS reads (\n    key TEXT PRIMARY KEY\n)"
