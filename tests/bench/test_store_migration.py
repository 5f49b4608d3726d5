"""A database written before the latency interval and stream columns existed stays readable: the report
reads the missing columns as NULL, and opening it for writing adds them (schema 2)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from harness.bench.migrations import LATEST, MIGRATIONS
from harness.bench.store import Store
from harness.report.rows import _requests


def _make_old(path: Path) -> None:
    Store(path).close()
    conn = sqlite3.connect(path)
    for _table, column, _kind in MIGRATIONS["2"]:
        conn.execute(f"ALTER TABLE jobs DROP COLUMN {column}")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("INSERT INTO jobs (run_id, job_key, seq, harness_version, git_revision, provider, model, endpoint, "
                 "params_json, params_sha256, corpus, corpus_version, item_id, text, chars, repeat, e2e_ms) "
                 "VALUES ('old', 'k1', 1, '0', 'x', 'p', 'm', 'e', '{}', 'h', 'c', '1', 'i', 't', 1, 0, 1234.0)")
    conn.commit()
    conn.close()


def test_an_old_database_is_read_and_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "runs.db"
    _make_old(path)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    (row,) = _requests(conn, "old", None)
    conn.close()
    assert row["e2e_ms"] == 1234.0 and row["e2e_lo_ms"] is None and row["perceived_ttfa_ms"] is None
    store = Store(path)
    columns = {info[1] for info in store.query("PRAGMA table_info(jobs)")}
    assert {column for _, column, _ in MIGRATIONS["2"]} <= columns
    assert store.query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == LATEST
    assert store.query("SELECT e2e_ms FROM jobs WHERE job_key = 'k1'")[0][0] == 1234.0
    store.close()
