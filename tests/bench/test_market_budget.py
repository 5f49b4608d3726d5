"""A budget bounds the whole market (issue 51): every offering with a public price is planned (token- and
minute-priced ones at a stated upper bound) and admitted; only an offering with no price at all is refused, job by
job, in one line; the run stops before the billed total would pass the budget."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from harness.core.corpora import load_corpus
from harness.core.registry import providers
from harness.runner.plan.budget import Budget
from harness.runner.plan.config import BenchConfig, TargetKind
from harness.runner.plan.consent import live_refusal
from harness.runner.plan.jobs import References, build_plan, select
from harness.runner.plan.pricing import PriceBook

LEADERS = ("elevenlabs", "cartesia", "deepgram", "gemini")


def test_a_budgeted_live_plan_of_the_market_leaders_is_admitted(tmp_path: Path) -> None:
    known = providers()
    selections = select(known, LEADERS, ())
    plan = build_plan("r", selections, [load_corpus("en_read:2")], 1, PriceBook(), References())
    unpriced = sorted({job.selection.label for job in plan.jobs if job.price.worst_usd is None})
    assert unpriced == []  # every leader's offering carries a public price (docs/costs.md)
    assert {job.provider.name for job in plan.jobs} == set(LEADERS)
    # token-priced Gemini is planned with an estimate and reserved at its upper bound
    gemini = next(job for job in plan.jobs if job.provider.name == "gemini")
    assert gemini.price.estimated and gemini.price.worst_usd > gemini.price.usd  # type: ignore[operator]
    config = BenchConfig(out=tmp_path, target="live", providers=LEADERS, corpus=("en_read:2",), budget=1.0)
    assert live_refusal(config, plan, TargetKind.LIVE) is None
    budget = Budget(Decimal(1))
    assert [reason for job in plan.jobs if (reason := budget.admit(job)) is not None] == []
    assert budget.remaining is not None and budget.remaining == Decimal(1) - plan.worst_usd


def test_only_an_offering_with_no_price_is_refused_job_by_job(tmp_path: Path) -> None:
    # Neuphonic publishes no per-unit price (docs/prices/neuphonic.md): its jobs alone are refused, in one line each
    chosen = (*LEADERS, "neuphonic")
    plan = build_plan("r", select(providers(), chosen, ()), [load_corpus("en_read:2")], 1, PriceBook(), References())
    unpriced = {job.selection.label for job in plan.jobs if job.price.worst_usd is None}
    assert unpriced and all(label.startswith("neuphonic/") for label in unpriced)
    config = BenchConfig(out=tmp_path, target="live", providers=chosen, corpus=("en_read:2",), budget=1.0)
    assert live_refusal(config, plan, TargetKind.LIVE) is None  # unpriced offerings do not refuse the run
    budget = Budget(Decimal(1))
    refused = [(job.selection.label, reason) for job in plan.jobs if (reason := budget.admit(job)) is not None]
    assert refused and all(
        label in unpriced and label in reason and "price in USD is unknown" in reason for label, reason in refused
    )
    assert len(refused) == sum(1 for job in plan.jobs if job.price.worst_usd is None)


def test_a_budget_smaller_than_the_upper_bound_stops_before_it() -> None:
    selections = select(providers(), ("openai",), ("gpt-4o-mini-tts",))
    plan = build_plan("r", selections, [load_corpus("en_read:2")], 1, PriceBook(), References())
    first, second = plan.jobs
    budget = Budget(first.price.worst_usd + second.price.usd)  # type: ignore[operator]
    assert budget.admit(first) is None
    assert budget.admit(second) is not None  # its estimate fits, its upper bound does not: not started
