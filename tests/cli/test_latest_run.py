"""`latest` for a run id: the store's newest run, read in one place (`harness.results.run_called`) by every face
that takes a run id: report, export, compare, recompute, score and `bench run --resume`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from harness.core.errors import UsageError
from harness.results import open_read_only, read_run, require_run, run_called
from tests.helpers.cli_runs import CliRun, in_process
from tests.helpers.report_runs import make_run


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """Two runs, the newer by its creation time written first (so neither insertion order nor the ids' order could
    pass for "newest")."""
    db = tmp_path / "runs.db"
    make_run(db, "z-older", items=2, audio=False)
    make_run(db, "a-newer", items=2, audio=False)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE runs SET created_at = '2026-11-01T00:00:00.000Z' WHERE run_id = 'z-older'")
        conn.execute("UPDATE runs SET created_at = '2026-11-02T00:00:00.000Z' WHERE run_id = 'a-newer'")
    return db


def test_latest_names_the_newest_run_and_any_other_name_itself(store: Path, tmp_path: Path) -> None:
    conn = open_read_only(store)
    try:
        assert run_called(conn, "latest") == require_run(conn, "latest") == "a-newer"
        assert run_called(conn, "z-older") == "z-older"
    finally:
        conn.close()
    assert read_run(store, "latest").run_id == "a-newer"
    empty = tmp_path / "empty.db"
    make_run(empty, "gone", items=1, audio=False)
    with sqlite3.connect(empty) as conn:
        conn.execute("DELETE FROM runs")
    conn = open_read_only(empty)
    try:
        with pytest.raises(UsageError, match=r"no run 'latest' in the database; latest runs: none"):
            run_called(conn, "latest")
    finally:
        conn.close()


@pytest.fixture
def here(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., CliRun]:
    return partial(in_process, monkeypatch=monkeypatch, capsys=capsys)


def test_every_face_reads_latest_as_the_newest_run(store: Path, tmp_path: Path, here: Callable[..., CliRun]) -> None:
    db = ("--db", str(store))
    exported = here("export", "latest", *db, "--out", str(tmp_path / "rows"), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "a-newer" in (tmp_path / "rows" / "run.csv").read_text()
    reported = here("report", "latest", *db, "--out", str(tmp_path / "r.html"), cwd=tmp_path)
    assert reported.returncode == 0 and "a-newer" in (tmp_path / "r.html").read_text(), reported.stderr
    checked = here("recompute", "latest", *db, "--check", cwd=tmp_path)
    assert "run 'a-newer' has no job with stored evidence" in checked.stderr, checked.stdout + checked.stderr
    compared = here("compare", "z-older", "latest", *db, "--json", cwd=tmp_path)
    assert '"a-newer"' in compared.stdout and '"z-older"' in compared.stdout, compared.stdout + compared.stderr
    with sqlite3.connect(store) as conn:
        conn.execute("DELETE FROM runs")
    scored = here("score", "latest", *db, cwd=tmp_path)  # the newest run is looked for before any model loads
    assert scored.returncode == 2 and "no run 'latest' in the database; latest runs: none" in scored.stderr
    # The store named by TTS_HARNESS_DB, as every command reads it; a PostgreSQL one is not a store scoring writes.
    named = here("score", "latest", cwd=tmp_path, env={"TTS_HARNESS_DB": str(store)})
    assert named.returncode == 2 and "no run 'latest' in the database; latest runs: none" in named.stderr
    shared = here("score", "latest", cwd=tmp_path, env={"TTS_HARNESS_DB": "postgresql://127.0.0.1:9/runs"})
    assert shared.returncode == 2 and "score reads and writes a SQLite store" in shared.stderr, shared.stderr
