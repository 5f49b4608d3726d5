"""When a run refuses to start: the checks `bench run` applies to a plan before its first request, in
one place for the run itself (`session.check_live`) and for `--dry-run`, which must refuse alike.

Live runs spend money: without a budget or explicit consent (`--yes`) they do not start, and a budget
cannot bound a job whose price has no USD figure. Webhook polling against live providers needs a public
URL. The sandbox spends play money and is never refused here (its budget still stops jobs: `Budget`).
"""

from __future__ import annotations

from harness.bench.config import BenchConfig, PollingMode, TargetKind
from harness.bench.plan import Plan


def live_refusal(config: BenchConfig, plan: Plan, kind: TargetKind, *, resumed: bool = False) -> str | None:
    """Why a run of `plan` against a target of `kind` would not start, or None."""
    polling, cost = config.polling, config.cost
    if kind is TargetKind.LIVE and polling.mode is PollingMode.WEBHOOK and polling.webhook_url is None:
        return ("--polling webhook against live providers needs --webhook-url: a public URL that "
                "forwards to this machine (providers cannot reach a loopback receiver)")
    if kind is TargetKind.SANDBOX or resumed:
        return None
    if cost.budget is None and not cost.live_without_budget:
        return (f"a live run of {len(plan.jobs)} jobs is planned to cost ${plan.cost_usd:.4f}"
                + (f" plus {plan.unpriced} jobs with no USD price" if plan.unpriced else "")
                + ": give --budget USD (enforced) or --yes to proceed")
    if cost.budget is not None and plan.unpriced:
        unpriced = sorted({j.selection.label for j in plan.jobs if j.price.usd is None})
        return (f"--budget cannot bound {', '.join(unpriced)}: their prices are not in USD or not documented "
                "(TTS.ai bills characters with no documented USD rate: give --usd-per-character; models with "
                "no documented price: --price provider/model=USD), or leave them out with --models")
    return None
