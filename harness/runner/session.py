"""One `bench run` from start to end: providers found, target up, plan shown, jobs run, scores queued.

The CLI and the perf scripts call `run_bench_session`; it owns the order of events that the runner's
promises depend on: the plan (and its price) is reported before anything is sent, the budget and the
live-consent checks refuse before the first request, and the run row is committed before any job.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import httpx

from harness.core import event_loop
from harness.core.credentials import CredentialGuard, credential_headers
from harness.core.errors import UsageError
from harness.core.redact import Redactor
from harness.core.registry import providers as registered_providers
from harness.core.spec import Provider
from harness.core.target import answers_as_sandbox, layout, not_like_the_sandbox
from harness.core.tls import shared_tls_context
from harness.results import RunStatus, Store
from harness.runner.deliver.catalogue import account_catalogues, record_catalogues
from harness.runner.plan.config import BenchConfig, TargetKind
from harness.runner.plan.consent import live_refusal
from harness.runner.plan.jobs import select
from harness.runner.plan.target import HeaderHook, Target, bench_target
from harness.runner.record.journal import keep_sandbox_state
from harness.runner.record.lease import Lease
from harness.runner.record.provenance import iso_now
from harness.runner.run import Listener, PreparedRun, Runner, RunResult, prepare, resolve_config

PlanHook = Callable[[PreparedRun, Target], None]  # shown the plan; may raise UsageError to refuse


def benchmarkable() -> dict[str, Provider]:
    """The registered providers that offer something to benchmark.

    Found by `harness.core.registry` alone, so every command behaves alike: `TTS_HARNESS_PROVIDERS`
    limits which plugins load, and a plugin that fails to load stops the run with a one-line usage
    error naming its entry point (set `TTS_HARNESS_PROVIDERS` to run without it).
    """
    return {name: provider for name, provider in registered_providers().items() if provider.offerings}


@contextlib.contextmanager
def sandbox_target(
    config: BenchConfig, providers: Sequence[Provider], headers: HeaderHook | None = None, **overrides: Any
) -> Iterator[Target]:
    """Start the sandbox in this process for the duration of the block."""
    try:
        from harness.sandbox import SandboxConfig, running
    except ImportError as error:
        raise UsageError(f"the sandbox is not installed ({error}); install tts-harness[sandbox]") from None
    settings = config.sandbox
    try:  # the sandbox's own limits, asked before it starts (NaN or 1e300 s of skew: no stamp could be printed)
        SandboxConfig(clock_skew_s=settings.clock_skew)
    except ValueError as error:
        raise UsageError(f"--clock-skew: {error}") from None
    profile = settings.profile or "realistic"
    served = [p.name for p in providers]
    # The documents require https callbacks; the sandbox's client does not trust a throwaway CA, so
    # callbacks to this loopback receiver go over plain http (only the sandbox allows that).
    overrides = {"clock_skew_s": settings.clock_skew, "precise_stamps": settings.precise_stamps, **overrides}
    if settings.catalogue is not None:  # the account's voices and models, spoken as the provider speaks them
        overrides.setdefault("catalogues", account_catalogues(settings.catalogue))
    with running(profile, settings.seed, providers=tuple(served), allow_http_webhooks=True, **overrides) as sandbox:
        serving = [p for p in providers if p.name in sandbox.providers]
        target = bench_target(layout(config.target.choice, serving, sandbox_root=sandbox.url), serving)
        target.sandbox_profile, target.sandbox_seed, target.headers = profile, settings.seed, headers
        target.notes += [
            f"provider {p.name} left out: the sandbox has no emulation of it" for p in providers if p not in serving
        ]
        target.handle = sandbox
        yield target


@contextlib.contextmanager
def open_target(
    config: BenchConfig, providers: Sequence[Provider], headers: HeaderHook | None = None, **sandbox_overrides: Any
) -> Iterator[Target]:
    # A target's reference_url is its own copy of the default voice; a user's --reference-url is read with
    # --reference in one place, harness.runner.run.references.
    where = config.target
    if where.kind is TargetKind.SANDBOX:
        with sandbox_target(config, providers, headers, **sandbox_overrides) as target:
            yield target
        return
    laid_out = layout(where.choice, providers)
    target = bench_target(laid_out, providers)
    target.headers = headers
    if laid_out.sandbox_root is not None and not answers_as_sandbox(where.choice.request_url or laid_out.sandbox_root):
        target.notes.append(not_like_the_sandbox(laid_out.sandbox_root))
    yield target


def _client(config: BenchConfig, guard: CredentialGuard, providers: int) -> httpx.AsyncClient:
    # One pooled client for the run: connections are kept alive and reused; set-up is timed apart.
    # httpcore scans its whole pool on every request: a pool no larger than the jobs in flight keeps that
    # cheap, and one connection per job is all a job ever uses at a time. Never smaller: a job waiting for
    # a connection would count the wait as the provider's latency.
    run = config.run
    in_flight = run.concurrency * max(1, providers)
    pool = min(in_flight, run.global_concurrency or in_flight) + 4
    limits = httpx.Limits(max_connections=pool, max_keepalive_connections=pool)
    timeout = httpx.Timeout(run.request_timeout, connect=min(10.0, run.request_timeout))
    # Redirects are followed (media on storage hosts), but a key never leaves its origin: see CredentialGuard.
    return httpx.AsyncClient(
        limits=limits,
        timeout=timeout,
        trust_env=False,
        follow_redirects=True,
        event_hooks=guard.event_hooks(),
        verify=shared_tls_context(trust_env=False),
    )


def check_live(prepared: PreparedRun, target: Target) -> None:
    """Live runs spend money: refuse without a budget or explicit consent, and say why (`consent`)."""
    refusal = live_refusal(prepared.config, prepared.plan, target.kind, resumed=prepared.resumed)
    if refusal is not None:  # what the target's probe found is said with it: the plan that would say it is not shown
        raise UsageError("; ".join((refusal, *(f"note: {note}" for note in target.notes))))


def selected_providers(providers: Mapping[str, Provider], config: BenchConfig) -> list[Provider]:
    """The providers of the selected models only: a live run asks for their keys and no others."""
    workload = config.workload
    picked = {selection.provider.name for selection in select(providers, workload.providers, workload.models)}
    return [provider for name, provider in providers.items() if name in picked]


def run_bench_session(
    config: BenchConfig,
    *,
    on_plan: PlanHook | None = None,
    listener: Listener | None = None,
    headers: HeaderHook | None = None,
    scorer: Any = None,
    providers: Mapping[str, Provider] | None = None,
    **sandbox_overrides: Any,
) -> RunResult:
    """Run (or resume) a benchmark; returns where its rows are and how the jobs ended."""
    known = benchmarkable() if providers is None else dict(providers)
    if not known:
        raise UsageError("no provider with benchmarkable models is registered")
    store = Store(config.output.db_path)
    lease: Lease | None = None
    try:
        config = resolve_config(config, store)  # once: for --resume, the settings the run started with
        if config.output.resume is not None:  # refuse before starting anything if another process writes this run
            lease = Lease(store, config.output.resume)
            lease.acquire()
        wanted = selected_providers(known, config)
        with open_target(config, wanted, headers, **sandbox_overrides) as target:
            store.redactor = Redactor((*target.secrets, *(key for key in target.keys.values() if key)))
            reachable = {name: provider for name, provider in known.items() if target.serves(name)}
            refused = [p.name for p in wanted if p.name not in reachable]
            if refused or not reachable:
                raise UsageError(
                    f"target {target.kind} cannot serve {', '.join(refused) or 'any provider'}: "
                    + "; ".join(target.notes)
                )
            prepared = prepare(config, reachable, store, target.reference_url)
            prepared.notes += keep_sandbox_state(target, store, prepared.run_id)
            if lease is None:
                lease = Lease(store, prepared.run_id)
                lease.acquire()
            prepared.notes += target.notes
            check_live(prepared, target)  # a refusal is the only output: its message names the plan's cost
            if on_plan is not None:
                on_plan(prepared, target)  # the plan and its price are shown before any request
            runner = Runner(prepared, store, target, listener=listener, scorer=scorer)
            if not prepared.resumed:
                runner.record_plan()
            try:
                guard = CredentialGuard.for_urls(target.bases.values(), credential_headers(reachable.values()))
                result = event_loop.run(_execute(runner, guard, lease))
            except KeyboardInterrupt:
                runner.derive_figures()  # the jobs that finished keep their figures
                store.update_run(prepared.run_id, RunStatus(status="interrupted", updated_at=iso_now()))
                raise
            return result
    finally:
        if lease is not None:
            lease.release()
        store.close()


async def _execute(runner: Runner, guard: CredentialGuard, lease: Lease) -> RunResult:
    heartbeat = asyncio.create_task(lease.keep_alive())
    try:
        providers = {job.provider.name: job.provider for job in runner.prepared.plan.jobs}
        async with _client(runner.prepared.config, guard, len(providers)) as client:
            # Their catalogues first (free GETs): what the run's models and voices were listed as that night.
            await record_catalogues(
                runner.prepared.run_id,
                providers.values(),
                runner.target,
                runner.store,
                client,
                runner.prepared.config.run.request_timeout,
            )
            return await runner.execute(client)
    finally:
        heartbeat.cancel()
