"""The schema: every table of a store created by one owner, documented column by column, writes atomic — on
SQLite and on PostgreSQL alike."""

from __future__ import annotations

import dataclasses
import re
import sqlite3

import pytest

from harness.results import schema as schema_module
from harness.results.database import Connection, columns_of, tables_of
from harness.results.dialect import CONFLICT_KEYS, SURROGATE_IDS
from harness.results.store import Existing, Store
from harness.results.tables import ClipRow, ScoreRow
from tests.helpers.store_rows import insert_rows, write_rows

CLIPS_DDL = (
    "clip_id TEXT PRIMARY KEY, run_id TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL, "
    "corpus TEXT, item_id TEXT, language TEXT, text TEXT NOT NULL, alternatives_json TEXT, "
    "reference_audio_path TEXT, audio_path TEXT NOT NULL, audio_sha256 TEXT NOT NULL, "
    "declared_media_type TEXT, declared_sample_rate INTEGER"
)


def _columns(conn: Connection, table: str) -> list[str]:
    return list(columns_of(conn, table))


def test_every_table_and_column_is_documented(store_target: str) -> None:
    store = Store(store_target)
    doc = schema_module.__doc__ or ""
    tables = tables_of(store.conn)
    assert (
        set(tables)
        == {
            "meta",
            "runs",
            "jobs",
            "load_levels",
            "marks",
            "polls",
            "chunks",
            "costs",
            "errors",
            "drift",
            "catalogues",
            "clips",
            "leases",
            "scores",
            "span_scores",
            "score_cache",
        }
        == set(schema_module.TABLE_NAMES)
    )
    words = set(re.findall(r"[a-z0-9_]+", doc))
    missing = [f"{t}.{c}" for t in tables for c in _columns(store.conn, t) if c not in words]
    assert missing == []


def test_clips_table_matches_the_ddl_agreed_with_scoring(store_target: str) -> None:
    store = Store(store_target)
    expected = [part.split()[0] for part in CLIPS_DDL.split(", ")]
    assert _columns(store.conn, "clips") == expected
    # the scorer's row type: the same columns, in the same order
    assert [f.name for f in dataclasses.fields(ClipRow)] == expected


def test_a_score_row_has_exactly_the_scores_columns(store_target: str) -> None:
    store = Store(store_target)
    assert {f.name for f in dataclasses.fields(ScoreRow)} == set(_columns(store.conn, "scores"))


def test_schema_is_idempotent_and_versioned(store_target: str) -> None:
    Store(store_target).close()
    store = Store(store_target)
    assert store.query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == schema_module.SCHEMA_VERSION


def test_a_failed_write_leaves_nothing_behind(store_target: str) -> None:
    store = Store(store_target)
    row = {
        "run_id": "r",
        "job_key": "k",
        "provider": "p",
        "model": "m",
        "item_id": "i",
        "name": "terminal",
        "t_ms": 1.0,
        "wall_at": "2026-01-01T00:00:00.000Z",
    }
    level = {
        "run_id": "r",
        "level": 1,
        "provider": "p",
        "cap": 1,
        "max_in_flight": 1,
        "gate_waits": 0,
        "started_at": "2026-01-01T00:00:00.000Z",
        "finished_at": "2026-01-01T00:00:01.000Z",
    }
    with pytest.raises(sqlite3.Error):  # the second level row has the first one's key
        write_rows(store, [("marks", [row]), ("load_levels", [level, level])])
    assert store.query("SELECT COUNT(*) FROM marks")[0][0] == 0


def test_writes_name_only_tables_of_the_schema(store_target: str) -> None:
    store = Store(store_target)
    with pytest.raises(ValueError, match=r"expected a table of runs\.db"):
        insert_rows(store, "jobs; DROP TABLE runs", [{"run_id": "r"}])


def test_a_kept_row_is_not_overwritten_and_a_marks_rewrite_replaces(store_target: str) -> None:
    store = Store(store_target)
    mark = {
        "run_id": "r",
        "job_key": "k",
        "provider": "p",
        "model": "m",
        "item_id": "i",
        "name": "terminal",
        "t_ms": 1.0,
        "wall_at": "2026-01-01T00:00:00.000Z",
    }
    write_rows(store, [("marks", [mark])])
    insert_rows(store, "marks", [{**mark, "t_ms": 2.0}], Existing.KEEP)
    assert store.marks("k") == {"terminal": 1.0}
    write_rows(store, [("marks", [{**mark, "t_ms": 3.0}])])  # a resumed job writes its marks again: the newer wins
    assert store.marks("k") == {"terminal": 3.0}
    with pytest.raises(sqlite3.IntegrityError):
        insert_rows(store, "marks", [mark])


def test_every_replacing_insert_knows_its_tables_key(store_target: str) -> None:
    """`dialect.CONFLICT_KEYS` (PostgreSQL's ON CONFLICT target) is each table's primary or unique key: a row
    inserted twice under it is refused."""
    store = Store(store_target)
    assert set(CONFLICT_KEYS) == set(schema_module.TABLE_NAMES)
    for table, key in CONFLICT_KEYS.items():
        if table in SURROGATE_IDS:
            continue
        columns = columns_of(store.conn, table)
        assert set(key) <= set(columns), table
    store.close()
