"""Mark a stored run as measured on a saturated client, as the runner would have
(`harness.runner.deliver.client_health`):
its windows stalled for `share` of its time, and its jobs marked — for the faces' tests (compare, history,
report), which must say so and draw no latency verdict from those jobs."""

from __future__ import annotations

import json
from pathlib import Path

from harness.core.client_health import HealthWindow, RunHealth
from harness.results import JobClientHealth, RunClientHealth, Store


def mark_saturated(db: str | Path, run_id: str, share: float = 1.0, lag_p50_ms: float = 340.0) -> None:
    """Every job of `run_id` marked (its whole time saturated); the run's first `share` of ten windows stalled."""
    windows = tuple(
        HealthWindow(
            start_s=float(i),
            end_s=float(i + 1),
            stalled=1.0 if i < round(share * 10) else 0.0,
            lag_max_ms=900.0 if i < round(share * 10) else 1.0,
            machine_busy=1.0,
        )
        for i in range(10)
    )
    health = RunHealth(windows=windows, lag_p50_ms=lag_p50_ms, lag_p95_ms=2 * lag_p50_ms)
    store = Store(db)
    try:
        keys = [row.job_key for row in store.jobs(run_id)]
        store.update_jobs({key: JobClientHealth(client_saturated=1.0, client_lag_ms=900.0) for key in keys})
        store.update_run(
            run_id,
            RunClientHealth(
                client_saturated=health.share,
                client_lag_p50_ms=lag_p50_ms,
                client_lag_p95_ms=2 * lag_p50_ms,
                client_health_json=json.dumps(health.to_json()),
            ),
        )
    finally:
        store.close()
