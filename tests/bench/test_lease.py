"""One writer per run: a second writer of a run in progress is refused with one line; a dead writer's
stale lease is taken over once its heartbeat expires."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.results.store import Store
from harness.runner.record.lease import Lease, LeaseHeld


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_live_lease_refuses_a_second_writer_and_a_stale_one_is_taken_over(tmp_path: Path) -> None:
    clock = Clock()
    first_store, second_store = Store(tmp_path / "runs.db"), Store(tmp_path / "runs.db")  # two connections
    first = Lease(first_store, "run-1", ttl_s=30.0, clock=clock)
    second = Lease(second_store, "run-1", ttl_s=30.0, clock=clock)
    first.acquire()
    clock.now += 29.0
    with pytest.raises(LeaseHeld, match="run-1 is being written by process"):
        second.acquire()
    first.renew()  # the holder is alive: its heartbeat moves on
    clock.now += 29.0
    with pytest.raises(LeaseHeld):
        second.acquire()
    clock.now += 31.0  # the holder stopped renewing (killed): its lease is stale
    second.acquire()
    with pytest.raises(LeaseHeld):
        first.acquire()  # the old holder, back from the dead, may not write either
    second.release()
    first.acquire()
    Lease(first_store, "run-2", clock=clock).acquire()  # other runs are independent
    # A holder on this host whose process is gone (kill -9) is stale at once, heartbeat or not.
    first_store.conn.execute("UPDATE leases SET pid = ?, holder = 'dead' WHERE run_id = 'run-2'", (_dead_pid(),))
    Lease(second_store, "run-2", clock=clock).acquire()
    first_store.close()
    second_store.close()


@pytest.mark.slow
def test_resuming_a_run_another_process_writes_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = CliRunner().invoke(
        app,
        [
            "bench",
            "run",
            "--providers",
            "pixazo",
            "--models",
            "chatterbox",
            "--corpus",
            "en_read:1",
            "--sandbox-profile",
            "fast",
            "--no-score",
            "--no-report",
            "--out",
            str(out),
        ],
    )
    assert first.exit_code == 0, first.output[-2000:]
    store = Store(out / "runs.db")
    run_id = store.query("SELECT run_id FROM runs")[0]["run_id"]
    Lease(store, run_id).acquire()  # a live writer (another holder token) is on this run now
    result = CliRunner().invoke(app, ["bench", "run", "--resume", run_id, "--out", str(out)])
    store.close()
    assert result.exit_code == 2, result.output
    assert f"run {run_id} is being written by process" in result.output
