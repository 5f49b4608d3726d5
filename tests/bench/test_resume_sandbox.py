"""Resume after `kill -9` when the sandbox died with the run, and when a target forgot an accepted job.

The first test runs the benchmark against the built-in sandbox (started inside the benchmark's own
process, so SIGKILL takes it down too): the jobs in flight must finish after `--resume` with the ids the
first sandbox gave them (one of them known to the sandbox only: its submit was answered, the id never
committed), none submitted twice, and the cost rows equal to what the sandbox's wallet was charged.
The witness is the sandbox state the run left beside `runs.db`, restored into a sandbox started by this
test. The second test resumes against a URL target that restarted empty: the jobs it
had accepted cannot be recovered, so they are recorded as `lost` and the run exits non-zero.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from harness.runner.record.journal import sandbox_state_path
from harness.sandbox import running
from tests.bench.test_resume import _bench, _states

pytestmark = pytest.mark.clock  # runs killed and resumed while the sandbox's jobs take real time

REPO = Path(__file__).resolve().parents[2]
ARGS = (
    "--yes",
    "--providers",
    "pixazo",
    "--models",
    "chatterbox,xtts-v2",
    "--corpus",
    "en_read:2",
    "--concurrency",
    "2",
    "--polling",
    "fixed",
    "--poll-interval",
    "0.05",
)


def _kill_when(condition: Callable[[dict[str, int]], bool], command: list[str], cwd: Path, db: Path) -> str:
    """Start a run, SIGKILL it once its job states satisfy `condition`; its run id."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        while not condition(_states(db)):
            try:  # polls the database file: the run is another process, with no event to wait on
                process.wait(0.05)
            except subprocess.TimeoutExpired:
                continue
            raise AssertionError(f"the run ended early: {process.stderr.read().decode() if process.stderr else ''}")
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    return str(sqlite3.connect(db).execute("SELECT run_id FROM runs").fetchone()[0])


def _resume(run_id: str, out: Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        _bench("--resume", run_id, "--out", str(out)), cwd=cwd, env=env, capture_output=True, timeout=240
    )


def _rows(db: Path, query: str, *args: object) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(query, args).fetchall()
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_then_resume_against_the_builtin_sandbox(tmp_path: Path) -> None:
    out, db = tmp_path / "out", tmp_path / "out" / "runs.db"
    # Realistic timings: a job takes seconds, so two are surely still in flight when the run is killed.
    first = _bench(*ARGS, "--out", str(out), "--sandbox-profile", "realistic")
    run_id = _kill_when(lambda s: s.get("submitted") == 2 and not s.get("submitting"), first, tmp_path, db)
    assert _states(db) == {"submitted": 2, "planned": 2}
    in_flight = {r["provider_job_id"] for r in _rows(db, "SELECT provider_job_id FROM jobs WHERE state = 'submitted'")}
    # One of them as if the crash had hit between the sandbox's answer and the runner's commit: the row
    # says `submitting` and holds no id. The sandbox accepted (and charged) it; it must not be bought again.
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "UPDATE jobs SET state = 'submitting', provider_job_id = NULL WHERE job_key = "
            "(SELECT MIN(job_key) FROM jobs WHERE state = 'submitted')"
        )
    conn.close()

    resumed = _resume(run_id, out, tmp_path)
    assert resumed.returncode == 0, resumed.stderr.decode()[-2000:]
    assert "the sandbox continues 2 jobs" in resumed.stderr.decode()

    jobs = _rows(db, "SELECT * FROM jobs WHERE run_id = ?", run_id)
    assert len(jobs) == 4 and {j["state"] for j in jobs} == {"done"}, [dict(j) for j in jobs]  # nothing lost
    assert all(j["attempts"] == 1 for j in jobs)
    assert {j["provider_job_id"] for j in jobs if j["resumed"]} == in_flight  # polled with their old ids
    costs = _rows(
        db, "SELECT job_key, SUM(usd) AS usd, COUNT(*) AS n FROM costs WHERE run_id = ? GROUP BY job_key", run_id
    )
    assert len(costs) == 4 and all(c["n"] == 1 for c in costs)  # paid once each
    spent = Decimal(str(sum(c["usd"] for c in costs))).quantize(Decimal("0.001"))

    # The sandbox's own account of what happened, from the state both sandbox processes left behind.
    with running("realistic", 0, providers=("pixazo",)) as witness:
        assert witness.keep_state(sandbox_state_path(db, run_id)) == 4
        seen = [job["id"] for job in witness.jobs()]
        assert sorted(seen) == sorted(j["provider_job_id"] for j in jobs)  # four submits seen: none twice
        charged = Decimal(1000) - witness.balance("pixazo", witness.default_key("pixazo"))
    assert spent == charged == Decimal("0.050")  # 2 x (0.015 + 0.01): cost rows equal the wallet


@pytest.mark.slow
def test_a_job_the_target_forgot_is_lost_and_the_run_fails(tmp_path: Path) -> None:
    out, db = tmp_path / "out", tmp_path / "out" / "runs.db"
    with running("realistic", 5, clock="manual", providers=("pixazo",)) as forgetful:
        url, port = forgetful.url, forgetful.port
        run_id = _kill_when(
            lambda s: s.get("submitted") == 2 and not s.get("submitting"),
            _bench(*ARGS, "--target", url, "--out", str(out)),
            tmp_path,
            db,
        )
    with running("fast", 5, port=port, providers=("pixazo",)):  # the same address, restarted empty
        resumed = _resume(run_id, out, tmp_path)
    assert resumed.returncode == 1, resumed.stdout.decode()[-2000:]
    assert "2 jobs lost" in resumed.stderr.decode()
    jobs = _rows(db, "SELECT state, error_class, error_message FROM jobs WHERE run_id = ? AND resumed = 1", run_id)
    assert [j["error_class"] for j in jobs] == ["lost", "lost"]
    assert all("answers 404" in j["error_message"] and "which it accepted" in j["error_message"] for j in jobs)
    others = _rows(db, "SELECT state FROM jobs WHERE run_id = ? AND resumed = 0", run_id)
    assert [j["state"] for j in others] == ["done"] * 2  # the rest of the run still ran
