"""A run's client health as its rows tell it (`runs.client_*`, `jobs.client_saturated`), for every face: the line
naming a saturated run (`saturation`) and which jobs are marked (`is_marked`: their latency is not the provider's;
the client-health check's note disowns them, and `compare` and `history` draw no latency verdict from them). The rule
is `harness.core.client_health`'s, as stored with the run."""

from __future__ import annotations

import json

from harness.core.client_health import RULE, RunHealth, Saturation, SaturationRule, marked
from harness.results.figures import sent
from harness.results.rows import RunRows
from harness.results.run_records import RequestRow, StoredRun


def health_of(run: StoredRun) -> RunHealth | None:
    """The run's windows (None: not watched, or a database from before schema 10)."""
    raw = run.client_health_json
    if not raw:
        return None
    try:
        return RunHealth.from_json(json.loads(str(raw)))
    except (ValueError, TypeError):
        return None


def is_marked(row: RequestRow, rule: SaturationRule = RULE) -> bool:
    """A job that ran mostly while the client was saturated: its latency and its failure are not the provider's."""
    share = row.client_saturated
    return marked(None if share is None else float(share), rule)


def saturation(rows: RunRows) -> Saturation:
    """What every face says of the run's client health (`Saturation.line`; None when there is nothing to say)."""
    run = rows.run
    health = health_of(run)
    rule = health.rule if health is not None else RULE
    share = run.client_saturated
    jobs = sent(rows.requests)
    failed = [row for row in jobs if row.outcome != "ok"]
    return Saturation(
        share=None if share is None else float(share),
        lag_p50_ms=None if run.client_lag_p50_ms is None else float(str(run.client_lag_p50_ms)),
        jobs=len(jobs),
        marked_jobs=sum(is_marked(row, rule) for row in jobs),
        failed=len(failed),
        marked_failed=sum(is_marked(row, rule) for row in failed),
        worst=health.worst() if health is not None else {},
        rule=rule,
        held_jobs=health.held_jobs if health is not None else 0,
        held_s=health.held_s if health is not None else 0.0,
    )
