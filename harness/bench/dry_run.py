"""`bench run --dry-run`: every request the run would send, as curl lines, and its planned cost; nothing
is sent, nothing is stored, and no key is needed (a missing one is reported as what a real run would
refuse).

The plan is the real run's plan (same selection, corpora, references, limits); only the bases differ for
the sandbox, which is not started: its requests are shown as `tts-harness sandbox serve` would take them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from harness.bench.config import BenchConfig, TargetSettings
from harness.bench.plan import Plan, build_plan, select
from harness.bench.pricing import PriceBook
from harness.bench.runner import references
from harness.core.curl import curl_line
from harness.core.spec import Provider
from harness.core.target import Layout, TargetKind, layout
from harness.core.transport import build_request

SANDBOX_ORIGIN = "http://127.0.0.1:8765"  # where `tts-harness sandbox serve` listens by default


@dataclass(slots=True)
class DryRun:
    plan: Plan
    requests: list[tuple[str, str]] = field(default_factory=list)  # (what, curl line)
    notes: list[str] = field(default_factory=list)


def _layout(settings: TargetSettings, providers: list[Provider]) -> Layout:
    """Where the real run would send (the sandbox as `tts-harness sandbox serve` would take it)."""
    return layout(settings.choice, providers, SANDBOX_ORIGIN if settings.kind is TargetKind.SANDBOX else None)


def dry_run(config: BenchConfig, providers: Mapping[str, Provider], environ: Mapping[str, str] | None = None) -> DryRun:
    """The plan and the request of each job that would be sent."""
    env = os.environ if environ is None else environ
    workload, cost = config.workload, config.cost
    selections = select(providers, workload.providers, workload.models)
    chosen = list({s.provider.name: s.provider for s in selections}.values())
    where = _layout(config.target, chosen)
    from harness.bench.corpus import load_corpus

    corpora = [load_corpus(selector) for selector in workload.corpus]
    prices = PriceBook.from_settings(cost.usd_per_character, cost.prices)
    plan = build_plan("dry-run", selections, corpora, workload.repeats, prices,
                      references(config.references, where.reference_url))
    result = DryRun(plan)
    result.notes += [f"provider {name} left out: {reason}" for name, reason in where.left_out.items()]
    secrets = (*(v for p in chosen if len(v := env.get(p.key_env, "")) >= 4), *where.choice.secrets)
    if where.at_providers:
        result.notes += [f"{p.key_env} is not set: a real run would refuse to start" for p in chosen
                         if where.serves(p.name) and not p.keyless and not env.get(p.key_env)]
    for job in plan.jobs:
        if job.invalid or not where.serves(job.provider.name):
            continue
        provider, endpoint = job.provider, job.selection.endpoint
        key = None if provider.keyless else env.get(provider.key_env) or f"${provider.key_env}"
        request = build_request(provider, endpoint, where.bases[(provider.name, endpoint.host)], job.payload,
                                key=key)
        price = "no documented price" if job.price.usd is None else f"worst case ${job.price.usd}"
        what = f"{job.selection.label} {job.corpus.name}/{job.item.id} repeat {job.repeat} ({price})"
        result.requests.append((what, curl_line(request, secrets)))
    return result
