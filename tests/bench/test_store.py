"""The schema: created once, documented column by column, writes atomic."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from harness.bench import store as store_module
from harness.bench.store import Store

CLIPS_DDL = ("clip_id TEXT PRIMARY KEY, run_id TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL, "
             "corpus TEXT, item_id TEXT, language TEXT, text TEXT NOT NULL, alternatives_json TEXT, "
             "reference_audio_path TEXT, audio_path TEXT NOT NULL, audio_sha256 TEXT NOT NULL, "
             "declared_media_type TEXT, declared_sample_rate INTEGER")


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def test_every_table_and_column_is_documented(tmp_path: Path) -> None:
    store = Store(tmp_path / "runs.db")
    doc = store_module.__doc__ or ""
    tables = [r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
              if not r[0].startswith("sqlite_")]
    assert set(tables) == {"meta", "runs", "jobs", "marks", "polls", "costs", "errors", "drift", "clips", "leases"}
    words = set(re.findall(r"[a-z0-9_]+", doc))
    missing = [f"{t}.{c}" for t in tables for c in _columns(store.conn, t) if c not in words]
    assert missing == []


def test_clips_table_matches_the_ddl_agreed_with_scoring(tmp_path: Path) -> None:
    store = Store(tmp_path / "runs.db")
    expected = [part.split()[0] for part in CLIPS_DDL.split(", ")]
    assert _columns(store.conn, "clips") == expected


def test_schema_is_idempotent_and_versioned(tmp_path: Path) -> None:
    Store(tmp_path / "runs.db").close()
    store = Store(tmp_path / "runs.db")
    assert store.query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == store_module.SCHEMA_VERSION


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    store = Store(tmp_path / "runs.db")
    row = {"run_id": "r", "job_key": "k", "provider": "p", "model": "m", "item_id": "i", "name": "terminal",
           "t_ms": 1.0, "wall_at": "2026-01-01T00:00:00.000Z"}
    with pytest.raises(sqlite3.Error):
        store.write([("marks", [row]), ("polls", [{"nonexistent_column": 1}])])
    assert store.query("SELECT COUNT(*) FROM marks")[0][0] == 0
