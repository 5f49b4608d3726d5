"""A store a team shares: the same typed reads on SQLite and PostgreSQL, and `runs merge` uniting stores —
the union of their runs, idempotent by run id, a conflicting run refused in one line with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.results import RunConflict, merge_stores, read_run, run_ids
from harness.results.database import open_read_only, store_name
from harness.results.dialect import pyformat
from harness.results.merge import RUN_TABLES
from harness.results.store import Store
from tests.helpers.mixed_run import make_mixed_run


def _content(target: str | Path) -> dict[str, list[str]]:
    """Every run table's rows (surrogate ids aside), comparable across dialects."""
    from harness.results.database import columns_of
    from harness.results.dialect import SURROGATE_IDS

    conn = open_read_only(target)
    try:
        found = {}
        for table in RUN_TABLES:
            columns = [c for c in columns_of(conn, table) if c != SURROGATE_IDS.get(table)]
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            found[table] = sorted(
                json.dumps([float(v) if isinstance(v, int | float) else v for v in row]) for row in rows
            )
        return found
    finally:
        conn.close()


def test_parameter_marks_are_translated_outside_literals_only() -> None:
    assert pyformat("SELECT * FROM t WHERE a = ? AND b = :name AND c = '?:x%' AND d LIKE 'x%'") == (
        "SELECT * FROM t WHERE a = %s AND b = %(name)s AND c = '?:x%%' AND d LIKE 'x%%'"
    )
    assert pyformat("SELECT 'it''s ?', x::text, 5 % 2") == "SELECT 'it''s ?', x::text, 5 %% 2"


def test_the_same_run_reads_the_same_on_both_dialects(tmp_path: Path, store_target: str) -> None:
    make_mixed_run(tmp_path / "reference.db")
    make_mixed_run(store_target)
    assert read_run(store_target, "mixed") == read_run(tmp_path / "reference.db", "mixed")


def _two_stores(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    make_mixed_run(first, "run-a")
    make_mixed_run(second, "run-b")
    make_mixed_run(second, "run-shared")
    make_mixed_run(first, "run-shared")
    return first, second


def test_merge_is_the_union_and_merging_twice_changes_nothing(tmp_path: Path, store_target: str) -> None:
    first, second = _two_stores(tmp_path)
    result = merge_stores([first, second], store_target)
    assert (set(result.added), result.present) == ({"run-a", "run-shared", "run-b"}, ("run-shared",))
    merged = _content(store_target)
    union = {table: sorted({*_content(first)[table], *_content(second)[table]}) for table in RUN_TABLES}
    assert merged == union and len(merged["jobs"]) == 3 * 24 and len(merged["scores"]) == 3 * 24
    assert set(run_ids(open_read_only(store_target))) == {"run-a", "run-b", "run-shared"}
    assert read_run(store_target, "run-b") == read_run(second, "run-b")  # every figure recomputes the same
    again = merge_stores([second, first], store_target)
    assert again.added == () and again.rows == 0
    assert _content(store_target) == merged


def test_a_conflicting_run_is_refused_and_nothing_is_merged(tmp_path: Path, store_target: str) -> None:
    first, second = _two_stores(tmp_path)
    store = Store(second)
    store.conn.execute("UPDATE jobs SET e2e_ms = e2e_ms + 1 WHERE run_id = 'run-shared' AND seq = 3")
    store.close()
    with pytest.raises(RunConflict, match=r"run run-shared of .*b\.db differs .*jobs: 24 rows against 24, 1 differing"):
        merge_stores([first, second], store_target)
    assert run_ids(open_read_only(store_target)) == ()  # the first store's runs were not kept either


def test_the_cli_merges_and_refuses_in_one_line(tmp_path: Path, store_target: str) -> None:
    from harness.cli import app

    first, second = _two_stores(tmp_path)
    runner = CliRunner()
    merged = runner.invoke(app, ["runs", "merge", str(first), str(second), "--into", store_target])
    assert merged.exit_code == 0, merged.output
    assert f"merged into {store_name(store_target)}: 3 runs added, 1 already there" in merged.output
    store = Store(first)
    store.conn.execute("UPDATE runs SET status = 'failed' WHERE run_id = 'run-a'")
    store.close()
    refused = runner.invoke(app, ["runs", "merge", str(first), "--into", store_target])
    assert refused.exit_code == 2
    assert refused.output.count("\n") == 1 and "usage error: run run-a of" in refused.output
    assert "runs: 1 rows against 1, 1 differing" in refused.output


def test_a_store_url_never_prints_its_password(tmp_path: Path) -> None:
    from harness.cli import app

    refused = CliRunner().invoke(
        app, ["runs", "merge", str(tmp_path / "none.db"), "--into", "postgresql://team:hunter2secret@127.0.0.1:1/runs"]
    )
    assert refused.exit_code == 2 and "hunter2secret" not in refused.output


def test_report_compare_and_export_read_the_shared_store_by_url(
    tmp_path: Path, store_target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The faces that read one run take `--db URL` (or TTS_HARNESS_DB) as they take a file."""
    from harness.cli import app

    make_mixed_run(store_target)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    same = runner.invoke(app, ["compare", "mixed", "mixed", "--db", store_target])
    assert same.exit_code == 0 and "0 regressions" in same.output, same.output
    exported = runner.invoke(app, ["export", "mixed", "--db", store_target, "--out", "rows", "--format", "json"])
    assert exported.exit_code == 0, exported.output
    assert "mixed" in (tmp_path / "rows" / "run.json").read_text()
    monkeypatch.setenv("TTS_HARNESS_DB", store_target)
    reported = runner.invoke(app, ["report", "mixed", "--out", "mixed.html"])
    assert reported.exit_code == 0 and (tmp_path / "mixed.html").is_file(), reported.output
