"""Every error class, provoked through the sandbox's fault injection: each job ends in the right class,
the run continues, costs stay exact (uncharged states and refused submits cost nothing). A job the
provider accepted whose status or audio cannot be had by its deadline is kept `unfetched`, not failed."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from harness.providers.pixazo import PROVIDER as PIXAZO
from harness.results.store import Store
from harness.runner.plan.config import BenchConfig
from harness.runner.session import run_bench_session

pytestmark = pytest.mark.clock  # each fault is timed on the real clock (stalls, slow answers)

AUTH = PIXAZO.auth.header
# item id -> (phase -> headers), and the class the job must end in (None: ok)
CASES: dict[str, tuple[dict[str, dict[str, str]], str | None]] = {
    "ok": ({}, None),
    "auth": ({"submit": {AUTH: "not-a-key"}}, "auth"),
    "balance": ({"submit": {AUTH: "sandbox-pixazo-empty"}}, "balance"),
    "validation": ({"submit": {"X-Sandbox-Fault": "model-disabled"}}, "validation"),
    "server": ({"submit": {"X-Sandbox-Fault": "http-500"}}, "server"),
    "rate-limit": ({"submit": {"X-Sandbox-Fault": "http-429"}}, "rate_limit"),
    "transport": ({"submit": {"X-Sandbox-Fault": "connection-reset"}}, "transport"),
    "protocol": ({"submit": {"X-Sandbox-Fault": "malformed-json"}}, "protocol"),
    # Accepted and charged, its audio truncated on every retry: kept to fetch again (--resume), never "lost".
    "truncated": ({"download": {"X-Sandbox-Fault": "truncated-audio"}}, "unfetched"),
    "timeout": ({"submit": {"X-Sandbox-Fault": "hang"}}, "timeout"),
    "failed": ({"submit": {"X-Sandbox-Fault": "job-failed"}}, "server"),
    "error": ({"submit": {"X-Sandbox-Fault": "job-error"}}, "server"),
    # A status endpoint down until the job's deadline: the job may have finished; it is kept unfetched.
    "poll-500": ({"poll": {"X-Sandbox-Fault": "http-500"}}, "unfetched"),
    # A gateway's HTML 502 page: an undocumented status and content type (contract), waited out as an
    # outage until the job's deadline.
    "contract": ({"poll": {"X-Sandbox-Fault": "html-error"}}, "unfetched"),
}


def _corpus(path: Path) -> Path:
    items = [{"id": name, "text": f"This sentence tests the {name.replace('-', ' ')} case."} for name in CASES]
    path.write_text(json.dumps({"name": "faults", "version": "1", "language": "en", "items": items}))
    return path


def _hook(label: str, item_id: str, phase: str, attempt: int) -> Mapping[str, str]:
    return CASES[item_id][0].get(phase, {})


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, sandbox: Any) -> tuple[Store, str]:
    folder = tmp_path_factory.mktemp("faults")
    config = BenchConfig(
        out=folder,
        score=False,
        report=False,
        models=("chatterbox",),
        providers=("pixazo",),
        corpus=(str(_corpus(folder / "faults.json")),),
        target=sandbox.url,
        yes=True,
        job_timeout=20.0,
        request_timeout=2.0,
        max_rate_limit_retries=1,
        download_attempts=2,
        concurrency=16,
    )
    result = run_bench_session(config, headers=_hook, providers={"pixazo": PIXAZO})
    assert result.status == "pending"  # three results still to fetch
    return Store(result.db_path), result.run_id


def test_each_job_ends_in_its_class(run: tuple[Store, str]) -> None:
    store, run_id = run
    ended = {row.item_id: "unfetched" if row.state == "unfetched" else row.error_class for row in store.jobs(run_id)}
    assert ended == {item: expected for item, (_, expected) in CASES.items()}


def test_the_summary_counts_every_class(run: tuple[Store, str]) -> None:
    from harness.runner.summary.figures import summarize

    summary = summarize(*run)
    assert summary.outcomes["ok"] == 1
    for error_class in ("auth", "balance", "validation", "rate_limit", "transport", "timeout"):
        assert summary.outcomes[error_class] == 1
    assert summary.outcomes["server"] == 3 and summary.outcomes["protocol"] == 1
    assert summary.outcomes["unfetched"] == 3 and summary.pending == 3 and summary.results_lost == 0
    assert summary.events["contract"] >= 2  # undocumented 500 and 502 answers of the status endpoint
    assert summary.events["rate_limit"] == 2  # the retried 429 and the final one


def test_costs_are_exact(run: tuple[Store, str]) -> None:
    store, run_id = run
    rows = store.query(
        "SELECT item_id, SUM(usd) AS usd, GROUP_CONCAT(basis) AS basis FROM costs WHERE run_id = ? GROUP BY job_key",
        (run_id,),
    )
    by_item = {row["item_id"]: (row["usd"], row["basis"]) for row in rows}
    assert set(by_item) == set(CASES)  # failed jobs keep a cost row
    assert by_item["error"] == (0.0, "uncharged-state:ERROR")
    assert by_item["failed"][0] == pytest.approx(0.01)
    assert by_item["auth"] == (0.0, "rejected:401")
    assert by_item["rate-limit"] == (0.0, "rejected:429,rejected:429")
    # No answer to a submit that reached the provider: it may have been charged, so it counts as charged.
    assert by_item["timeout"] == (pytest.approx(0.01), "unknown-outcome:timeout")
    assert by_item["protocol"][0] == pytest.approx(0.01)  # accepted (2xx) but unreadable: charged


def test_contract_violation_is_located(run: tuple[Store, str]) -> None:
    store, run_id = run
    rows = store.query("SELECT * FROM errors WHERE run_id = ? AND error_class = 'contract'", (run_id,))
    assert {row["item_id"] for row in rows} == {"poll-500", "contract"}
    details = [json.loads(row["detail_json"]) for row in rows]
    assert all(v["rule"] in ("status", "content-type") and v["expected"] for d in details for v in d)
