"""`export` writes the raw rows in three formats, and each reads back to exactly the rows it came from."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from harness.core.errors import UsageError
from harness.report.export import ExportFormat, export_rows, load_export, load_run
from harness.report.leaderboard import build_leaderboard
from harness.report.render import write_report
from harness.results.reading import read_run
from harness.results.rows import REQUEST_COLUMNS
from tests.helpers.report_runs import make_run


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_export_round_trips(runs_db: Path, tmp_path: Path, fmt: ExportFormat) -> None:
    rows = read_run(runs_db, "violating")
    written = export_rows(rows, tmp_path, fmt)
    tables = ("run", "requests", "errors", "drift", "span_scores")
    assert sorted(p.name for p in written) == sorted(f"{t}.{fmt.value}" for t in tables)
    back = load_export(tmp_path)
    assert back == rows  # every table, every column, every value (types included)
    assert back.errors and back.drift  # the tables that feed drift and errors are not empty here


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_every_format_carries_the_provider_request_id(runs_db: Path, tmp_path: Path, fmt: ExportFormat) -> None:
    """A user joins exported rows with the provider's own logs and invoices by the provider's request id."""
    with sqlite3.connect(runs_db) as conn:
        stored = dict(conn.execute("SELECT job_key, provider_request_id FROM jobs WHERE run_id = 'base'").fetchall())
    export_rows(read_run(runs_db, "base"), tmp_path, fmt)
    exported = {r.job_key: r.provider_request_id for r in load_export(tmp_path).requests}
    assert exported == stored and all(str(v).startswith("req-") for v in exported.values())


def test_rows_carry_joined_scores_and_costs(runs_db: Path) -> None:
    rows = read_run(runs_db, "base")
    assert [c.name for c in REQUEST_COLUMNS] == list(rows.table("requests")[0])
    ok = [r for r in rows.requests if r.outcome == "ok"]
    failed = [r for r in rows.requests if r.outcome == "error"]
    assert ok and failed
    assert all(r.scored == 1 and r.asr_model == "tiny.en" and r.unit == "word" and r.ref_length for r in ok)
    assert all(r.scored == 0 and r.transcript is None for r in failed)
    # Failed jobs keep their cost row (uncharged: 0), so sums are totals, not lower bounds.
    assert all(r.cost_usd == 0.0 and r.charged_attempts == 0 for r in failed)
    assert rows.run.normalizer_version == "1" and rows.run.asr_backend == "faster-whisper"


def test_unknown_run_and_missing_database_are_usage_errors(runs_db: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"no run 'nope'.*latest runs"):
        read_run(runs_db, "nope")
    with pytest.raises(UsageError, match="no results database"):
        read_run(tmp_path / "absent.db", "base")
    with pytest.raises(UsageError, match="has no scores from ASR model 'large-v3'"):
        read_run(runs_db, "base", asr_model="large-v3")
    with pytest.raises(UsageError, match="expected an export folder"):
        load_export(tmp_path)


def test_load_run_accepts_an_export_folder(runs_db: Path, tmp_path: Path) -> None:
    export_rows(read_run(runs_db, "base"), tmp_path / "baseline", ExportFormat.JSON)
    assert load_run(str(tmp_path / "baseline"), runs_db) == read_run(runs_db, "base")
    assert load_run("same", runs_db).run_id == "same"


def test_a_run_that_was_never_scored_still_reports(runs_db: Path, tmp_path: Path) -> None:
    """The scorer's tables appear only once scoring ran; rows and report must not need them."""
    db = tmp_path / "runs.db"
    make_run(db, "plain", seed=3, items=6, audio=False)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE scores")
    rows = read_run(db, "plain")
    assert rows.requests and all(r.scored == 0 and r.flags == "[]" for r in rows.requests)
    assert rows.run.asr_model is None
    board = build_leaderboard(rows)
    assert all(e.to_json()["wer_pooled"]["n"] == 0 and e.scored == 0 for e in board.entries)
    html = write_report(rows, tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "not scored" in html
