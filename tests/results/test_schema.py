"""The schema: every table of runs.db created by one owner, documented column by column, writes atomic."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from pathlib import Path

import pytest

from harness.results import schema as schema_module
from harness.results.clips import ClipRow
from harness.results.scores import ScoreRow
from harness.results.store import Existing, Store

CLIPS_DDL = ("clip_id TEXT PRIMARY KEY, run_id TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL, "
             "corpus TEXT, item_id TEXT, language TEXT, text TEXT NOT NULL, alternatives_json TEXT, "
             "reference_audio_path TEXT, audio_path TEXT NOT NULL, audio_sha256 TEXT NOT NULL, "
             "declared_media_type TEXT, declared_sample_rate INTEGER")


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def test_every_table_and_column_is_documented(tmp_path: Path) -> None:
    store = Store(tmp_path / "runs.db")
    doc = schema_module.__doc__ or ""
    tables = [r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
              if not r[0].startswith("sqlite_")]
    assert set(tables) == {"meta", "runs", "jobs", "marks", "polls", "costs", "errors", "drift", "clips", "leases",
                           "scores", "score_cache"} == set(schema_module.TABLES)
    words = set(re.findall(r"[a-z0-9_]+", doc))
    missing = [f"{t}.{c}" for t in tables for c in _columns(store.conn, t) if c not in words]
    assert missing == []


def test_clips_table_matches_the_ddl_agreed_with_scoring(tmp_path: Path) -> None:
    store = Store(tmp_path / "runs.db")
    expected = [part.split()[0] for part in CLIPS_DDL.split(", ")]
    assert _columns(store.conn, "clips") == expected
    assert [f.name for f in dataclasses.fields(ClipRow)] == [  # the scorer's row type: the same columns
        "clip_id", "run_id", "provider", "model", "text", "audio_path", "audio_sha256", *[
            c for c in expected if c not in ("clip_id", "run_id", "provider", "model", "text", "audio_path",
                                             "audio_sha256")]]


def test_a_score_row_has_exactly_the_scores_columns(tmp_path: Path) -> None:
    store = Store(tmp_path / "runs.db")
    assert {f.name for f in dataclasses.fields(ScoreRow)} == set(_columns(store.conn, "scores"))


def test_schema_is_idempotent_and_versioned(tmp_path: Path) -> None:
    Store(tmp_path / "runs.db").close()
    store = Store(tmp_path / "runs.db")
    assert store.query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == schema_module.SCHEMA_VERSION


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    store = Store(tmp_path / "runs.db")
    row = {"run_id": "r", "job_key": "k", "provider": "p", "model": "m", "item_id": "i", "name": "terminal",
           "t_ms": 1.0, "wall_at": "2026-01-01T00:00:00.000Z"}
    with pytest.raises(sqlite3.Error):
        store.write([("marks", [row]), ("polls", [{"nonexistent_column": 1}])])
    assert store.query("SELECT COUNT(*) FROM marks")[0][0] == 0


def test_writes_name_only_tables_of_the_schema(tmp_path: Path) -> None:
    store = Store(tmp_path / "runs.db")
    with pytest.raises(ValueError, match=r"expected a table of runs\.db"):
        store.insert("jobs; DROP TABLE runs", [{"run_id": "r"}])


def test_a_kept_row_is_not_overwritten_and_a_marks_rewrite_replaces(tmp_path: Path) -> None:
    store = Store(tmp_path / "runs.db")
    mark = {"run_id": "r", "job_key": "k", "provider": "p", "model": "m", "item_id": "i", "name": "terminal",
            "t_ms": 1.0, "wall_at": "2026-01-01T00:00:00.000Z"}
    store.write([("marks", [mark])])
    store.insert("marks", [{**mark, "t_ms": 2.0}], Existing.KEEP)
    assert store.marks("k") == {"terminal": 1.0}
    store.write([("marks", [{**mark, "t_ms": 3.0}])])  # a resumed job writes its marks again: the newer wins
    assert store.marks("k") == {"terminal": 3.0}
    with pytest.raises(sqlite3.IntegrityError):
        store.insert("marks", [mark])
