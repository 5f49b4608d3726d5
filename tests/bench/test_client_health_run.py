"""A run watches its own client (`harness.runner.deliver.client_health`): a runner loop blocked on purpose mid-run is
named on the run and marks the jobs that were waiting through it; the summary says so in one line."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from harness.results import Store, read_rows, saturation
from harness.runner.plan.config import BenchConfig
from harness.runner.session import run_bench_session
from harness.runner.summary.figures import summarize
from harness.runner.summary.view import render


def _rows(db: Path, sql: str, *params: Any) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return list(conn.execute(sql, params))
    finally:
        conn.close()


@pytest.mark.clock
def test_a_blocked_runner_loop_is_named_and_its_jobs_marked(tmp_path: Path) -> None:
    """The first job to finish blocks the runner's loop for 2.5 s (a listener that sleeps: what a loop starved of
    CPU looks like to everything else on it). The jobs still in flight wait through the block: their latency is the
    client's stall, and the run and those jobs say so."""
    blocked: list[str] = []

    def block_once(job: Any, outcome: str) -> None:
        if not blocked:
            blocked.append(job.job_key)
            time.sleep(2.5)

    config = BenchConfig(
        out=tmp_path,
        providers=("openai",),
        models=("tts-1", "tts-1-hd", "gpt-4o-mini-tts"),
        corpus=("en_read:2",),
        score=False,
        report=False,
        sandbox_profile="realistic",
        concurrency=8,
        ramp_up=0.0,
    )
    result = run_bench_session(config, listener=block_once)
    run = _rows(result.db_path, "SELECT * FROM runs WHERE run_id = ?", result.run_id)[0]
    health = json.loads(run["client_health_json"])
    stalled = [w for w in health["windows"] if w["stalled"] >= health["rule"]["stalled"]]
    assert len(stalled) >= 2  # 2.5 s of a blocked loop: at least two whole windows
    assert max(w["lag_max_ms"] for w in health["windows"]) >= 2400
    assert run["client_saturated"] > 0 and run["client_lag_p95_ms"] is not None
    assert all("sandbox_stalled" in w for w in health["windows"][1:])  # the embedded sandbox's loop is watched too
    jobs = _rows(
        result.db_path, "SELECT job_key, client_saturated, client_lag_ms FROM jobs WHERE run_id = ?", result.run_id
    )
    assert all(job["client_saturated"] is not None for job in jobs)
    assert any(job["client_lag_ms"] >= 2400 for job in jobs)
    store = Store(result.db_path)
    try:
        summary = summarize(store, result.run_id)
        read = saturation(read_rows(store.conn, result.run_id))  # the run's health as every face reads it
    finally:
        store.close()
    assert read.share == run["client_saturated"]
    console = Console(record=True, width=240)
    render(summary, console, str(result.db_path))
    shown = " ".join(console.export_text().split())  # the line as words, however the terminal wrapped it
    marked = sum(job["client_saturated"] >= health["rule"]["job_share"] for job in jobs)
    if read.named:
        assert "Client saturated for" in shown and "latency here is not the providers'" in shown
        assert f"{marked} of {len(jobs)} jobs ran mostly while it was" in shown
