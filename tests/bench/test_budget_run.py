"""A budget smaller than the plan: jobs that would pass it never start; the total never exceeds it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from harness.core.errors import UsageError
from harness.providers.pixazo import PROVIDER as PIXAZO
from harness.results.store import Store
from harness.runner.plan.config import BenchConfig
from harness.runner.session import check_live, run_bench_session
from harness.runner.summary.figures import summarize


def test_run_stops_before_the_cap(tmp_path: Path, sandbox: Any) -> None:
    key = sandbox.default_key("pixazo")
    before = sandbox.balance("pixazo", key)
    config = BenchConfig(
        out=tmp_path,
        score=False,
        report=False,
        providers=("pixazo",),
        models=("xtts-v2", "chatterbox"),
        corpus=("en_read:4",),
        target=sandbox.url,
        budget=0.05,
        concurrency=2,
    )
    planned: list[Decimal] = []
    result = run_bench_session(
        config, providers={"pixazo": PIXAZO}, on_plan=lambda prepared, target: planned.append(prepared.plan.cost_usd)
    )
    assert planned == [Decimal("0.100")]  # the plan costs twice the budget
    store = Store(result.db_path)
    summary = summarize(store, result.run_id)
    assert result.status == "stopped_budget"
    assert summary.outcomes["budget"] >= 3 and summary.outcomes["ok"] >= 3
    assert result.spent_usd <= Decimal("0.05") and summary.spent_usd <= 0.05
    spent_by_sandbox = before - sandbox.balance("pixazo", key)
    assert float(spent_by_sandbox) == pytest.approx(float(result.spent_usd))  # our total is the provider's total
    skipped = store.query("SELECT * FROM costs WHERE run_id = ? AND basis = 'not-sent:budget'", (result.run_id,))
    assert len(skipped) == summary.outcomes["budget"] and all(row["usd"] == 0 for row in skipped)


def test_live_runs_need_a_budget_or_consent(tmp_path: Path) -> None:
    from harness.runner.plan.config import TargetKind
    from harness.runner.plan.target import Target
    from harness.runner.run import prepare

    store = Store(tmp_path / "runs.db")
    live = Target(kind=TargetKind.LIVE, bases={("pixazo", "gateway"): "https://example.invalid"}, keys={"pixazo": "k"})
    config = BenchConfig(
        out=tmp_path, target="live", providers=("pixazo",), models=("chatterbox",), corpus=("en_read:2",)
    )
    with pytest.raises(UsageError, match=r"planned to cost \$0.0200.*--budget"):
        check_live(prepare(config, {"pixazo": PIXAZO}, store), live)
    unpriced = config.updated(models=("vibevoice",), budget=1.0)
    with pytest.raises(UsageError, match="pixazo/vibevoice"):
        check_live(prepare(unpriced, {"pixazo": PIXAZO}, store), live)
    check_live(prepare(config.updated(budget=1.0), {"pixazo": PIXAZO}, store), live)
