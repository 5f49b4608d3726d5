"""A run killed with SIGKILL midway resumes without losing, duplicating or re-paying a job.

The sandbox runs in this test's process on a manual clock (so jobs move only when the test says), the
benchmark in a subprocess that is killed while two jobs are done, two are submitted and waiting, and two
are not started. `--resume` must poll the two waiting jobs (not submit them again) and run the rest;
the sandbox's own job list and wallet are the witnesses.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from harness.sandbox.server import running

REPO = Path(__file__).resolve().parents[2]


def _bench(*args: str) -> list[str]:
    return [sys.executable, "-m", "harness.cli", "bench", "run", "--no-score", "--no-report", *args]


def _states(db: Path) -> dict[str, int]:
    if not db.exists():
        return {}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return dict(conn.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall())
    except sqlite3.OperationalError:  # the schema is being created
        return {}
    finally:
        conn.close()


def _wait(condition: Callable[[], bool], process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"the run ended early: {process.stderr.read().decode() if process.stderr else ''}")
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the run")
        time.sleep(0.05)


@pytest.mark.slow
def test_sigkill_then_resume(tmp_path: Path) -> None:
    out, db = tmp_path / "out", tmp_path / "out" / "runs.db"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with running("realistic", 5, clock="manual", providers=("pixazo",)) as sb:
        key = sb.default_key("pixazo")
        before = sb.balance("pixazo", key)
        args = [
            "--target",
            sb.url,
            "--yes",
            "--out",
            str(out),
            "--providers",
            "pixazo",
            "--models",
            "chatterbox,xtts-v2",
            "--corpus",
            "en_read:3",
            "--concurrency",
            "2",
            "--polling",
            "fixed",
            "--poll-interval",
            "0.05",
        ]
        first = subprocess.Popen(_bench(*args), cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            _wait(lambda: _states(db).get("submitted") == 2, first)
            sb.advance(120.0)  # the two submitted jobs finish; the next two are submitted and wait
            _wait(lambda: _states(db).get("done") == 2 and _states(db).get("submitted") == 2, first)
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        finally:
            if first.poll() is None:
                first.kill()
        assert _states(db) == {"done": 2, "submitted": 2, "planned": 2}
        run_id = sqlite3.connect(db).execute("SELECT run_id FROM runs").fetchone()[0]

        stop = threading.Event()

        def tick() -> None:  # keep the sandbox's time moving while the resumed run waits
            while not stop.wait(0.2):
                sb.advance(60.0)

        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()
        try:
            resumed = subprocess.run(
                _bench("--resume", run_id, "--out", str(out)), cwd=tmp_path, env=env, capture_output=True, timeout=120
            )
        finally:
            stop.set()
            ticker.join()
        assert resumed.returncode == 0, resumed.stderr.decode()[-2000:]

        conn = sqlite3.connect(db)
        conn.row_factory = sqlite3.Row
        jobs = conn.execute("SELECT * FROM jobs WHERE run_id = ?", (run_id,)).fetchall()
        assert len(jobs) == 6 and {j["state"] for j in jobs} == {"done"}  # nothing lost
        assert all(j["attempts"] == 1 for j in jobs)  # nothing submitted twice
        assert sum(j["resumed"] for j in jobs) == 2  # the two waiting jobs were polled, not resubmitted
        sandbox_jobs = {job["id"] for job in sb.jobs()}
        assert {j["provider_job_id"] for j in jobs} == sandbox_jobs  # one provider job per planned job
        costs = conn.execute(
            "SELECT job_key, SUM(usd) AS usd, COUNT(*) AS n FROM costs WHERE run_id = ? GROUP BY job_key", (run_id,)
        ).fetchall()
        assert len(costs) == 6 and all(c["n"] == 1 for c in costs)  # paid once each
        spent = Decimal(str(sum(c["usd"] for c in costs))).quantize(Decimal("0.001"))
        assert spent == Decimal("0.075") == before - sb.balance("pixazo", key)  # 3 x (0.015 + 0.01)
        assert tuple(conn.execute("SELECT status, resumes FROM runs").fetchone()) == ("finished", 1)
