"""A database written by an older harness stays readable: a read-only reader reads the missing columns as
NULL, and opening it for writing adds them (schema 2: latency intervals and streams; schema 3: the ASR
model a scoring pass was asked for, backfilled from the model that read each clip)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from harness.results.database import columns_of, connect, open_read_only
from harness.results.migrations import LATEST, MIGRATIONS
from harness.results.reading import _requests
from harness.results.schema import create_schema
from harness.results.setups import asr_setups
from harness.results.store import Store


def _make_old(path: str) -> None:
    store = Store(path)
    conn = store.conn
    for _table, column, _kind in MIGRATIONS["2"].columns:
        conn.execute(f"ALTER TABLE jobs DROP COLUMN {column}")
    conn.execute("ALTER TABLE scores DROP COLUMN setup_asr_model")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.execute(
        "INSERT INTO jobs (run_id, job_key, seq, harness_version, git_revision, provider, model, endpoint, "
        "params_json, params_sha256, corpus, corpus_version, item_id, text, chars, repeat, e2e_ms) "
        "VALUES ('old', 'k1', 1, '0', 'x', 'p', 'm', 'e', '{}', 'h', 'c', '1', 'i', 't', 1, 0, 1234.0)"
    )
    conn.execute(
        "INSERT INTO scores (clip_id, run_id, asr_backend, asr_model, normalizer_version, normalizer_name, "
        "asr_settings, harness_version, language, unit, hits, substitutions, deletions, insertions, "
        "ref_length, ref_words, hyp_length, flags_json, findings_json, cache_hit, scored_at) VALUES "
        "('k1', 'old', 'faster-whisper', 'tiny.en#ab', '1', 'n', 's', '0', 'en', 'word', 3, 1, 0, 0, 4, 4, "
        "4, '[]', '[]', 0, '2026-01-01T00:00:00.000Z')"
    )
    store.close()


def test_an_old_database_is_read_and_then_migrated(store_target: str) -> None:
    path = store_target
    _make_old(path)
    conn = open_read_only(path)
    (setup,) = asr_setups(conn, "old")  # no setup_asr_model column yet: the model that read the clip
    (row,) = _requests(conn, "old", setup)
    conn.close()
    assert setup.asr_model == "tiny.en#ab" and row.scored == 1 and row.substitutions == 1
    assert row.e2e_ms == 1234.0 and row.e2e_lo_ms is None and row.perceived_ttfa_ms is None
    store = Store(path)
    columns = set(columns_of(store.conn, "jobs"))
    assert {column for _, column, _ in MIGRATIONS["2"].columns} <= columns
    assert store.query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == LATEST
    assert store.query("SELECT e2e_ms FROM jobs WHERE job_key = 'k1'")[0][0] == 1234.0
    assert store.query("SELECT setup_asr_model FROM scores WHERE clip_id = 'k1'")[0][0] == "tiny.en#ab"  # backfill
    assert asr_setups(store.conn, "old") == [setup]
    store.close()


def test_migrating_twice_changes_nothing(store_target: str) -> None:
    path = store_target
    _make_old(path)
    Store(path).close()
    store = Store(path)
    assert store.query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == LATEST
    assert [c for c in columns_of(store.conn, "scores") if c == "setup_asr_model"] == ["setup_asr_model"]
    store.close()


def test_a_new_store_is_made_at_the_latest_version_without_altering_a_table(tmp_path: Path) -> None:
    """A new database gets its later columns in its CREATE statements, not by the migrations: each ALTER made
    SQLite read the whole schema again (80 ms a new store, against 8). The columns' order is a migrated store's
    (tests/results/test_tables.py holds both to the declarations)."""
    conn = connect(str(tmp_path / "new.db"))
    said: list[str] = []
    assert isinstance(conn, sqlite3.Connection)
    conn.set_trace_callback(said.append)
    create_schema(conn)
    conn.set_trace_callback(None)
    assert said and not [statement for statement in said if "ALTER TABLE" in statement.upper()]
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == LATEST
    assert {column for _, column, _ in MIGRATIONS["2"].columns} <= set(columns_of(conn, "jobs"))
    conn.close()
