"""Every stored figure is a function of the stored evidence: `tts-harness recompute RUN --check` re-derives
the README's run and finds nothing to change, names a figure someone edited, and restores it; the same rows
in any order derive to the same figures; a run stored before the evidence columns existed stays readable."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.measurement import derive_rows, recompute
from harness.results import EvidenceRows, connect_writer, read_evidence
from tests.helpers.cli_runs import in_process, in_subprocess
from tests.helpers.default_run import DefaultRun


@pytest.fixture
def run_copy(default_run: DefaultRun, tmp_path: Path) -> tuple[Path, str]:
    """The README run's store, copied: these tests edit it."""
    db = tmp_path / "runs.db"
    shutil.copyfile(default_run.db, db)
    return db, default_run.run_id


def _polled_job(db: Path, run_id: str) -> str:
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT job_key FROM jobs WHERE run_id = ? AND polls > 0 AND e2e_hi_ms IS NOT NULL ORDER BY seq LIMIT 1",
            (run_id,),
        ).fetchone()
    assert row is not None, "the README run polls asynchronous jobs"
    return str(row[0])


def test_the_readme_run_stores_exactly_what_its_evidence_gives(run_copy: tuple[Path, str]) -> None:
    db, run_id = run_copy
    done = in_subprocess("recompute", run_id, "--check", "--db", str(db), cwd=db.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "match their evidence" in done.stdout


def test_an_edited_interval_is_named_and_recompute_restores_it(
    run_copy: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db, run_id = run_copy
    job = _polled_job(db, run_id)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE jobs SET e2e_hi_ms = e2e_hi_ms + 250 WHERE job_key = ?", (job,))
    checked = in_process(
        "recompute", run_id, "--check", "--db", str(db), cwd=db.parent, monkeypatch=monkeypatch, capsys=capsys
    )
    assert checked.returncode == 1
    assert f"e2e_hi_ms of job {job}" in checked.stdout and "1 stored figures differ" in checked.stdout
    restored = in_process("recompute", run_id, "--db", str(db), cwd=db.parent, monkeypatch=monkeypatch, capsys=capsys)
    assert restored.returncode == 0 and "1 differed from what was stored" in restored.stdout
    again = in_process(
        "recompute", run_id, "--check", "--db", str(db), cwd=db.parent, monkeypatch=monkeypatch, capsys=capsys
    )
    assert again.returncode == 0, again.stdout


def test_an_unknown_run_is_one_line(
    run_copy: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = run_copy
    done = in_process(
        "recompute", "no-such-run", "--check", "--db", str(db), cwd=db.parent, monkeypatch=monkeypatch, capsys=capsys
    )
    assert done.returncode == 2 and "no-such-run" in done.stderr and "Traceback" not in done.stderr
    # said as every command says a run the store lacks, its latest runs named
    assert "no run 'no-such-run' in the database; latest runs: " in done.stderr and done.stderr.count("\n") == 1


def test_a_run_the_store_lacks_is_said_as_every_command_says_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not "has no job with stored evidence" (a run that is there without evidence): the run is not there."""
    db = tmp_path / "runs.db"
    connect_writer(db).close()
    for check in ((), ("--check",)):
        done = in_process(
            "recompute", "no-such-run", *check, "--db", str(db), cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys
        )
        assert done.returncode == 2, done.stdout + done.stderr
        assert done.stderr == "usage error: no run 'no-such-run' in the database; latest runs: none\n", done.stderr


@pytest.fixture(scope="module")
def readme_rows(default_run: DefaultRun) -> EvidenceRows:
    conn = sqlite3.connect(f"file:{default_run.db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return read_evidence(conn, default_run.run_id)
    finally:
        conn.close()


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_same_rows_in_any_order_derive_the_same_figures(readme_rows: EvidenceRows, seed: int) -> None:
    """Jobs finish, and rows are written, in whatever order the run happened to take: the figures do not. (The
    order comes from a seed: thousands of rows drawn one by one would be an input too large for Hypothesis.)"""
    order = random.Random(seed)
    shuffled = EvidenceRows(
        *(
            order.sample(list(rows), len(rows))
            for rows in (readme_rows.jobs, readme_rows.marks, readme_rows.polls, readme_rows.chunks)
        )
    )
    assert derive_rows(shuffled) == derive_rows(readme_rows)


def test_a_run_stored_before_the_evidence_columns_stays_readable(run_copy: tuple[Path, str]) -> None:
    """Schema 6: no full-precision start, no `seen`, no `finished` mark, no chunks. The figures come from the
    provider's declaration and `started_at`; what cannot be re-derived (total_ms, stream figures) is kept."""
    db, run_id = run_copy
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE jobs SET clock_origin_s = NULL, start_observable = NULL, declared_convention = NULL")
        conn.execute("UPDATE polls SET seen = NULL, created_at = NULL, started_at = NULL, completed_at = NULL")
        conn.execute("DELETE FROM marks WHERE name = 'finished'")
        conn.execute("DROP TABLE chunks")
        before = dict(conn.execute("SELECT job_key, total_ms FROM jobs WHERE run_id = ?", (run_id,)).fetchall())
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        found = recompute(conn, run_id)
    finally:
        conn.close()
    assert found.written > 0
    assert all("total_ms" not in figures and "perceived_ttfa_ms" not in figures for figures in found.figures.values())
    with sqlite3.connect(db) as conn:
        after = dict(conn.execute("SELECT job_key, total_ms FROM jobs WHERE run_id = ?", (run_id,)).fetchall())
        polled = conn.execute(
            "SELECT COUNT(*) FROM jobs WHERE run_id = ? AND polls > 0 AND e2e_lo_ms IS NOT NULL "
            "AND e2e_source LIKE 'poll-bracket%'",
            (run_id,),
        ).fetchone()[0]
    assert after == before and polled > 0
