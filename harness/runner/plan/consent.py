"""When a run refuses to start: the checks `bench run` applies to a plan before its first request, in
one place for the run itself (`session.check_live`) and for `--dry-run`, which must refuse alike.

Live runs spend money: without a budget or explicit consent (`--yes`) they do not start. A budget refuses only
an offering with no price at all, job by job (`Budget.admit`, "not started"): the rest of the run goes on, and
estimated prices (tokens, seconds of audio) are reserved at their stated upper bound. Webhook polling against
live providers needs a public URL. The sandbox spends play money and is never refused here (its budget still stops
jobs: `Budget`).
"""

from __future__ import annotations

from harness.runner.plan.config import BenchConfig, PollingMode, TargetKind
from harness.runner.plan.jobs import Plan


def live_refusal(config: BenchConfig, plan: Plan, kind: TargetKind, *, resumed: bool = False) -> str | None:
    """Why a run of `plan` against a target of `kind` would not start, or None."""
    polling, cost = config.polling, config.cost
    if kind is TargetKind.LIVE and polling.mode is PollingMode.WEBHOOK and polling.webhook_url is None:
        return (
            "--polling webhook against live providers needs --webhook-url: a public URL that "
            "forwards to this machine (providers cannot reach a loopback receiver)"
        )
    if kind is TargetKind.SANDBOX or resumed:
        return None
    if cost.budget is None and not cost.live_without_budget:
        return (
            f"a live run of {len(plan.jobs)} jobs is planned to cost ${plan.cost_usd:.4f} (at most "
            f"${plan.worst_usd:.4f})"
            + (f" plus {plan.unpriced} jobs with no USD price" if plan.unpriced else "")
            + ": give --budget USD (enforced) or --yes to proceed"
        )
    sent = [job for job in plan.jobs if not job.invalid]
    if cost.budget is not None and sent and all(job.price.worst_usd is None for job in sent):
        unpriced = sorted({job.selection.label for job in sent})
        return (
            f"--budget cannot bound {', '.join(unpriced)}: no public price in USD, so none of the run's jobs "
            "could start (give one: --price provider/model=AMOUNT/UNIT, e.g. 20/1M-chars; prices in a provider's "
            "own characters: --usd-per-character)"
        )
    return None
