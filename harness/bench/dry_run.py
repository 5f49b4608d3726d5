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

from harness.bench.config import BenchConfig, TargetKind, TargetSettings
from harness.bench.plan import Plan, build_plan, select
from harness.bench.pricing import PriceBook
from harness.bench.runner import references
from harness.bench.target import url_target
from harness.core.curl import curl_line
from harness.core.spec import Provider
from harness.core.transport import build_request

SANDBOX_ORIGIN = "http://127.0.0.1:8765"  # where `tts-harness sandbox serve` listens by default


@dataclass(slots=True)
class DryRun:
    plan: Plan
    requests: list[tuple[str, str]] = field(default_factory=list)  # (what, curl line)
    notes: list[str] = field(default_factory=list)


def _bases(settings: TargetSettings, providers: list[Provider]) -> tuple[dict[tuple[str, str], str], str | None]:
    if settings.kind is TargetKind.LIVE:
        return {(p.name, host): url for p in providers for host, url in p.hosts.items()}, None
    target = url_target(settings.url or SANDBOX_ORIGIN, providers, None, environ={})
    return dict(target.bases), target.reference_url


def dry_run(config: BenchConfig, providers: Mapping[str, Provider], environ: Mapping[str, str] | None = None) -> DryRun:
    """The plan and the request of each job that would be sent."""
    env = os.environ if environ is None else environ
    workload, cost = config.workload, config.cost
    selections = select(providers, workload.providers, workload.models)
    chosen = list({s.provider.name: s.provider for s in selections}.values())
    bases, target_reference = _bases(config.target, chosen)
    from harness.bench.corpus import load_corpus

    corpora = [load_corpus(selector) for selector in workload.corpus]
    prices = PriceBook.from_settings(cost.usd_per_character, cost.prices)
    plan = build_plan("dry-run", selections, corpora, workload.repeats, prices,
                      references(config.references, target_reference))
    result = DryRun(plan)
    secrets = tuple(v for p in chosen if len(v := env.get(p.key_env, "")) >= 4)
    if config.target.kind is TargetKind.LIVE:
        result.notes += [f"{p.key_env} is not set: a real run would refuse to start" for p in chosen
                         if not p.keyless and not env.get(p.key_env)]
    for job in plan.jobs:
        if job.invalid:
            continue
        provider, endpoint = job.provider, job.selection.endpoint
        key = None if provider.keyless else env.get(provider.key_env) or f"${provider.key_env}"
        request = build_request(provider, endpoint, bases[(provider.name, endpoint.host)], job.payload, key=key)
        price = "no documented price" if job.price.usd is None else f"worst case ${job.price.usd}"
        what = f"{job.selection.label} {job.corpus.name}/{job.item.id} repeat {job.repeat} ({price})"
        result.requests.append((what, curl_line(request, secrets)))
    return result
