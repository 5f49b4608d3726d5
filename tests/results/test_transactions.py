"""The store's write transactions (`harness.results.database.Transaction`) under interruption."""

from __future__ import annotations

from pathlib import Path

from harness.results.store import Store


def test_a_write_stopped_between_its_begin_and_commit_does_not_block_the_next(tmp_path: Path) -> None:
    """A Ctrl-C lands between two statements of a write: its transaction stays open. The writes that record
    the interruption go in all the same (the run then says how to resume), and the stopped write is not kept."""
    store = Store(tmp_path / "runs.db")
    try:
        with store.transaction() as conn:
            conn.execute("CREATE TABLE notes (said TEXT)")
        store.conn.execute("BEGIN IMMEDIATE")  # the stopped write: begun, never committed nor rolled back
        store.conn.execute("INSERT INTO notes VALUES ('half')")
        with store.transaction() as conn:
            conn.execute("INSERT INTO notes VALUES ('interrupted')")
        assert [row[0] for row in store.conn.execute("SELECT said FROM notes")] == ["interrupted"]
    finally:
        store.close()
