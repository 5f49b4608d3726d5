"""A whole run: plan, price, start the target, execute every job under the caps, resume after a crash.

The run is resumable because everything it needs is in the database: the settings (`runs.config_json`),
the plan (`jobs`, with deterministic keys), and each job's progress. `--resume RUN_ID` rebuilds the plan
from the stored settings (same keys), skips finished jobs, polls jobs that were submitted (never
resubmits them), and resubmits only jobs whose submit was in flight at the crash — recording that
attempt as possibly charged, so the totals stay exact or err on the paid side.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from harness.core.client_health import RunHealth
from harness.core.corpora import Corpus
from harness.core.errors import ErrorClass, UsageError
from harness.core.spec import Provider, Upload
from harness.core.target import default_reference_voice
from harness.core.timestamps import parse_timestamp
from harness.measurement import recompute
from harness.results import (
    UNFETCHED,
    UNFINISHED_STATES,
    CostRow,
    Existing,
    JobClientHealth,
    JobRow,
    JobSkipped,
    LoadLevelRow,
    RunClientHealth,
    RunFinished,
    RunResumed,
    RunRow,
    Store,
    no_such_run,
    run_called,
)
from harness.runner.deliver.admission import Gates
from harness.runner.deliver.client_health import HealthMonitor, RenderRoom
from harness.runner.deliver.executor import RunServices, run_job
from harness.runner.deliver.polling import ScheduleBook
from harness.runner.deliver.webhook import WebhookHub, serve
from harness.runner.plan.budget import Budget
from harness.runner.plan.config import BenchConfig, PollingMode, ReferenceSettings, TargetKind
from harness.runner.plan.jobs import Plan, PlannedJob, PriceBook, References, build_plan, select, with_normalisation
from harness.runner.plan.languages import in_language
from harness.runner.plan.pricing import plan_notes
from harness.runner.plan.target import Target
from harness.runner.record.provenance import HARNESS_VERSION, git_revision, iso_now, machine
from harness.runner.record.records import JobRecord
from harness.runner.record.timing import JobMoments, Mark, mono_of, now

# What a resume picks up: jobs not started, in flight at a crash, or accepted with their result still to fetch.
RESUMABLE_STATES = (*UNFINISHED_STATES, UNFETCHED)

Listener = Callable[[PlannedJob, str], None]  # (job, outcome) after each job is stored


@dataclass(slots=True, kw_only=True)
class RunResult:
    run_id: str
    db_path: Path
    status: str
    planned: int
    counts: dict[str, int] = field(default_factory=dict)  # outcome or error class -> jobs
    spent_usd: Decimal = Decimal(0)
    notes: list[str] = field(default_factory=list)
    corpora: list[Corpus] = field(default_factory=list)  # what the run read, loaded once (hard text is judged by it)


@dataclass(slots=True, kw_only=True)
class PreparedRun:
    """Everything decided before anything is sent."""

    run_id: str
    config: BenchConfig
    providers: dict[str, Provider]
    corpora: list[Corpus]
    plan: Plan
    resumed: bool
    notes: list[str] = field(default_factory=list)


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def audio_type(path: Path) -> str:
    return {
        ".mp3": "audio/mpeg",
        ".wav": "audio/wav",
        ".flac": "audio/flac",
        ".ogg": "audio/ogg",
        ".m4a": "audio/mp4",
    }.get(path.suffix.lower(), "application/octet-stream")


def references(settings: ReferenceSettings, target_copy_url: str | None) -> References:
    """The cloning reference, the one place `--reference` and `--reference-url` are read: `--reference FILE`
    (else the project's own generated voice, `core.target.default_reference_voice`) as upload;
    `--reference-url` (else the target's copy of that voice, `Target.reference_url`) as URL."""
    path = settings.file or default_reference_voice()
    audio = None
    if path.is_file():
        audio = Upload(filename=path.name, content=path.read_bytes(), content_type=audio_type(path))
    url = settings.url or target_copy_url
    # A user's URL is known to hold the file only when the user gave the file too (for similarity scoring).
    url_path = path if audio and (settings.url is None or settings.file is not None) else None
    return References(url=url, audio=audio, path=path if audio else None, url_path=url_path)


def resolve_config(config: BenchConfig, store: Store) -> BenchConfig:
    """For --resume, the settings the run was started with (only where the output lives may differ)."""
    output = config.output
    if output.resume is None:
        return config
    run_id = run_called(store.conn, output.resume)
    row = store.run(run_id)
    if row is None:
        raise no_such_run(store.conn, run_id)
    stored = BenchConfig.model_validate(json.loads(row.config_json))
    return stored.updated(resume=run_id, out=output.out)


def prepare(
    config: BenchConfig, providers: Mapping[str, Provider], store: Store, reference_url: str | None = None
) -> PreparedRun:
    """The run id, corpora and plan (a new run, or the stored one for --resume) of settings already
    resolved by `resolve_config`; `reference_url` is the target's copy of the default reference voice."""
    resume, workload, cost = config.output.resume, config.workload, config.cost
    row: RunRow | None = None
    if resume is not None:
        row = store.run(resume)
        run_id = resume
    else:
        run_id = new_run_id()
    spoken = in_language(
        workload, with_normalisation(select(providers, workload.providers, workload.models), workload.normalisation)
    )
    corpora = spoken.corpora
    if row is not None:
        versions = json.loads(row.corpora_json)
        changed = [c.name for c in corpora if versions.get(c.name) != c.version]
        if changed:
            raise UsageError(f"run {run_id} used other versions of corpus {', '.join(changed)}: cannot resume it")
    prices = PriceBook.for_run(cost, providers, in_run={s.provider.name for s in spoken.selections})
    plan = build_plan(
        run_id,
        spoken.selections,
        corpora,
        workload.repeats,
        prices,
        references(config.references, reference_url),
        config.run.sweep,
    )
    # The plan's price doubts folded to a line a kind (`plan_notes`), here so the terminal and the library's
    # `BenchmarkResult.notes` say the same lines; `tts-harness providers --prices` lists each price.
    return PreparedRun(
        run_id=run_id,
        config=config,
        providers=dict(providers),
        corpora=corpora,
        plan=plan,
        resumed=resume is not None,
        notes=[*prices.notes, *plan_notes(plan.prices), *spoken.notes],
    )


def _run_row(prepared: PreparedRun, target: Target) -> RunRow:
    config, plan = prepared.config, prepared.plan
    return RunRow(
        run_id=prepared.run_id,
        created_at=iso_now(),
        updated_at=iso_now(),
        finished_at=None,
        status="running",
        harness_version=HARNESS_VERSION,
        git_revision=git_revision(),
        target=str(target.kind),
        target_url=target.url,
        sandbox_profile=target.sandbox_profile,
        sandbox_seed=target.sandbox_seed,
        corpora_json=json.dumps({c.name: c.version for c in prepared.corpora}),
        config_json=json.dumps(config.public()),
        providers_json=json.dumps(list(config.workload.providers)),
        models_json=json.dumps(list(config.workload.models)),
        repeats=config.workload.repeats,
        concurrency=config.run.concurrency,
        global_concurrency=config.run.global_concurrency,
        load_levels_json=json.dumps(list(config.run.sweep)) if config.run.sweep else None,
        polling=config.polling.label,
        budget_usd=None if config.cost.budget is None else float(config.cost.budget),
        planned_jobs=len(plan.jobs),
        planned_cost_usd=float(plan.cost_usd),
        plans_json=json.dumps(dict(config.cost.plans), sort_keys=True) if config.cost.plans else None,
        planned_unpriced=plan.unpriced,
        machine_json=json.dumps(machine()),
        resumes=0,
    )


def _job_row(run_id: str, job: PlannedJob) -> JobRow:
    endpoint = job.selection.endpoint
    return JobRow(
        job_key=job.job_key,
        run_id=run_id,
        seq=job.seq,
        harness_version=HARNESS_VERSION,
        git_revision=git_revision(),
        provider=job.provider.name,
        model=job.model,
        endpoint=endpoint.key,
        provider_model_id=endpoint.model_id,
        params_json=job.params_json,
        params_sha256=job.params_sha256,
        corpus=job.corpus.name,
        corpus_version=job.corpus.version,
        item_id=job.item.id,
        language=job.item.language,
        text=job.item.text,
        chars=len(job.item.text),
        repeat=job.repeat,
        load_level=job.level,
        state="planned",
    )


class Runner:
    """Executes a prepared run against a started target."""

    def __init__(
        self,
        prepared: PreparedRun,
        store: Store,
        target: Target,
        *,
        listener: Listener | None = None,
        scorer: Any = None,
    ) -> None:
        self.prepared = prepared
        self.store = store
        self.target = target
        self.listener = listener
        self.scorer = scorer
        config = prepared.config
        self.budget = Budget(config.cost.budget)
        self.gates = Gates(config.run.levels[0])
        self.slots = _global_slots(config)
        book = ScheduleBook(config.polling.mode, config.polling.interval, config.polling.max_polls)
        self.schedules = {j.selection.label: book.get(j.selection.label) for j in prepared.plan.jobs}
        self.run_start = now()
        self.stopped_by_budget = False
        self.spans: dict[str, tuple[float, float]] = {}  # job key -> (start, end), seconds from run_start
        self.room = RenderRoom(None)  # set for the run: holds jobs back while the embedded sandbox's renders pile up

    # --- bookkeeping --------------------------------------------------------------------------------

    def record_plan(self) -> None:
        """A new run: its row and every planned job, in one transaction, before anything is sent."""
        # Through the store's writer: the run's settings hold the target URL, redacted like any value.
        self.store.write(
            [
                ("runs", [_run_row(self.prepared, self.target)]),
                ("jobs", [_job_row(self.prepared.run_id, job) for job in self.prepared.plan.jobs]),
            ]
        )

    def _states(self) -> dict[str, JobRow]:
        return {row.job_key: row for row in self.store.jobs(self.prepared.run_id)}

    # --- the run --------------------------------------------------------------------------------------

    async def execute(self, client: httpx.AsyncClient) -> RunResult:
        config, run_id = self.prepared.config, self.prepared.run_id
        rows = self._states()
        if self.prepared.resumed:
            self.budget.spent = Decimal(str(self.store.spent_usd(run_id)))
            run = self.store.run(run_id)
            self.store.update_run(
                run_id, RunResumed(resumes=(run.resumes if run else 0) + 1, status="running", updated_at=iso_now())
            )
        todo = [
            job
            for job in self.prepared.plan.jobs
            if rows.get(job.job_key) is None or rows[job.job_key].state in RESUMABLE_STATES
        ]
        sandbox = self._embedded()
        self.room = RenderRoom(sandbox)
        async with self._receiver() as (hub, receiver), HealthMonitor(sandbox, self.run_start) as monitor:
            services = RunServices(
                config=config,
                client=client,
                target=self.target,
                store=self.store,
                gates=self.gates,
                schedules=self.schedules,
                hub=hub,
                receiver=receiver,
            )
            for level in config.run.sweep or (None,):
                # A sweep's levels run one after another, each with its own caps, so every job of a level
                # meets the load of that level only.
                batch = [job for job in todo if job.level == level]
                if level is not None:
                    self.gates = services.gates = self.gates.resized(level)
                    self.slots = _global_slots(config)
                started = iso_now()
                await asyncio.gather(*(self._one(services, job, rows.get(job.job_key)) for job in batch))
                if batch:
                    self._record_load(level, started)
        self._record_health(monitor.health(self.room))
        return self.result()

    def _embedded(self) -> Any:
        """The sandbox this process runs for the run (its loop and renders share the runner's cores), or None."""
        handle = self.target.handle
        return handle if self.target.kind is TargetKind.SANDBOX and hasattr(handle, "health") else None

    def _record_health(self, health: RunHealth) -> None:
        """The client's health: each job's share of saturated time and its loops' longest lateness (from this
        session's windows and the job's span), then the run's, after any earlier session's."""
        self.store.update_jobs(
            {
                key: JobClientHealth(
                    client_saturated=health.job_share(start, end), client_lag_ms=health.job_lag_ms(start, end)
                )
                for key, (start, end) in self.spans.items()
            }
        )
        run = self.store.run(self.prepared.run_id)
        earlier = run.client_health_json if run is not None else None
        whole = health.after(RunHealth.from_json(json.loads(earlier)) if earlier else None)
        self.store.update_run(
            self.prepared.run_id,
            RunClientHealth(
                client_saturated=whole.share,
                client_lag_p50_ms=whole.lag_p50_ms,
                client_lag_p95_ms=whole.lag_p95_ms,
                client_health_json=json.dumps(whole.to_json()),
            ),
        )

    def _record_load(self, level: int | None, started: str) -> None:
        """What each provider really had in flight at this level (the row says what was asked, too)."""
        run = self.prepared.config.run
        cap = run.concurrency if level is None else level
        self.store.insert(
            "load_levels",
            [
                LoadLevelRow(
                    run_id=self.prepared.run_id,
                    level=cap,
                    provider=provider,
                    cap=cap,
                    global_cap=run.global_concurrency,
                    max_in_flight=gate.in_flight.peak,
                    mean_in_flight=gate.in_flight.mean,
                    gate_waits=gate.waits,
                    started_at=started,
                    finished_at=iso_now(),
                )
                for provider, gate in self.gates.gates.items()
            ],
            Existing.REPLACE,
        )

    @contextlib.asynccontextmanager
    async def _receiver(self) -> AsyncIterator[tuple[WebhookHub | None, Any]]:
        polling = self.prepared.config.polling
        if polling.mode is not PollingMode.WEBHOOK:
            yield None, None
            return
        hub = WebhookHub(providers=self.prepared.providers)
        # The sandbox's client verifies certificates against the public roots only, so its callbacks come
        # over plain http (the sandbox allows that on loopback); live callbacks arrive through the user's
        # public URL. HTTPS with a throwaway CA (`serve(tls=True)`) is for callers told to trust it.
        async with serve(hub, tls=False, public_url=polling.webhook_url) as receiver:
            yield hub, receiver

    async def _one(self, services: RunServices, job: PlannedJob, row: JobRow | None) -> None:
        gate = self.gates[job.provider.name]
        run = self.prepared.config.run
        async with gate.jobs, self.slots:
            await gate.ramp(run.ramp_up, run.wave(self.gates.concurrency))
            await self.room.wait()  # before the job's clock starts: the embedded sandbox's renders are not its time
            record = self._record(job, row)
            if record is None:
                return
            record.start_offset_ms = (record.marks.start - self.run_start) * 1000.0
            refusal = self._reserve(job, record)
            if refusal is not None:
                self._skip(job, record, ErrorClass.BUDGET, refusal)
                return
            record.in_flight_at_start = gate.in_flight.enter()
            try:
                charged = await run_job(services, record)
            finally:
                gate.in_flight.leave()
                self.budget.release(job.job_key)
                self.spans[job.job_key] = (record.marks.start - self.run_start, now() - self.run_start)
            self.budget.settle(job.job_key, charged)
            if self.scorer is not None and record.outcome == "ok":
                clip = record.clip_row()
                if clip is not None:
                    self.scorer.submit(clip)
            if self.listener is not None:
                self.listener(job, record.error_class or record.outcome or "ok")

    def _record(self, job: PlannedJob, row: JobRow | None) -> JobRecord | None:
        """A fresh record, or one rebuilt from the database for a job a crash interrupted."""
        if job.invalid:
            record = JobRecord(job=job, run_id=self.prepared.run_id, marks=JobMoments(now()))
            self._skip(job, record, ErrorClass.VALIDATION, job.invalid)
            return None
        if row is None or row.state == "planned":
            return JobRecord(job=job, run_id=self.prepared.run_id, marks=JobMoments(now()))
        started = parse_timestamp(row.started_at)
        start = mono_of(started.timestamp()) if started else now()
        record = JobRecord(
            job=job,
            run_id=self.prepared.run_id,
            marks=JobMoments(start),
            attempt=row.attempts,
            resumed=True,
            charged_before=row.state == UNFETCHED,
        )
        # Attempts before the last one were refused (only 429/503 are retried): they cost nothing.
        prior = [
            record_cost(record, attempt, charged=False, basis="rejected:before-crash")
            for attempt in range(1, row.attempts)
        ]
        provider_job_id = row.provider_job_id
        if row.state == "submitting":
            recovery = self.target.recovery
            provider_job_id = recovery.accepted(job) if recovery is not None else None
        if provider_job_id is None:
            # The crash hit while this attempt was on the wire: it may have been charged, unless the
            # target can tell it accepted nothing (see harness.runner.record.recovery).
            charged = self.target.recovery is None
            prior.append(
                record_cost(
                    record,
                    row.attempts,
                    charged=charged,
                    basis="in-flight-at-crash" if charged else "in-flight-at-crash:not-accepted",
                )
            )
            self.store.insert("costs", prior, Existing.KEEP)
            self.budget.spent += Decimal(str(prior[-1].usd or 0)) if charged else Decimal(0)
            record.costs.clear()
            return record
        self.store.insert("costs", prior, Existing.KEEP)
        record.costs.clear()
        record.provider_job_id = provider_job_id
        record.status_url = row.status_url
        record.http_version = row.http_version
        record.connection_reused = None if row.connection_reused is None else bool(row.connection_reused)
        record.connect_ms = row.connect_ms
        for name, t_ms in self.store.marks(job.job_key).items():
            record.marks.values[Mark(name)] = start + t_ms / 1000.0
        return record

    def _reserve(self, job: PlannedJob, record: JobRecord) -> str | None:
        refusal = self.budget.admit(job)
        if refusal is not None:
            self.stopped_by_budget = True
        return refusal

    def _skip(self, job: PlannedJob, record: JobRecord, error_class: ErrorClass, message: str) -> None:
        record.cost(charged=False, basis=f"not-sent:{error_class}", attempt=0)
        record.error("plan", error_class, message, fatal=True)
        self.store.write(
            [("costs", record.costs), ("errors", record.errors)],
            (
                job.job_key,
                JobSkipped(
                    state="skipped",
                    outcome="skipped",
                    error_class=str(error_class),
                    error_message=message,
                    finished_at=iso_now(),
                ),
            ),
        )
        record.costs.clear()
        if self.listener is not None:
            self.listener(job, str(error_class))

    def derive_figures(self) -> None:
        """Every figure of the run from all of its evidence at once (`harness.measurement`): a job's interval
        does not depend on when it finished or on what the run had learnt by then."""
        recompute(self.store.conn, self.prepared.run_id, audio_root=self.store.path.parent.resolve())

    def result(self) -> RunResult:
        run_id = self.prepared.run_id
        self.derive_figures()
        counts = self.store.outcome_counts(run_id)
        unfinished = sum(n for k, n in counts.items() if k in UNFINISHED_STATES)
        status = (
            "stopped_budget"
            if self.stopped_by_budget
            else ("interrupted" if unfinished else "pending" if counts.get(UNFETCHED) else "finished")
        )
        self.store.update_run(run_id, RunFinished(status=status, finished_at=iso_now(), updated_at=iso_now()))
        return RunResult(
            run_id=run_id,
            db_path=self.store.path,
            status=status,
            planned=len(self.prepared.plan.jobs),
            counts=counts,
            spent_usd=Decimal(str(self.store.spent_usd(run_id))),
            notes=self.prepared.notes,
            corpora=self.prepared.corpora,
        )


def _global_slots(config: BenchConfig) -> asyncio.Semaphore | contextlib.nullcontext[None]:
    """The cap across providers, when the user set one (`--global-concurrency`)."""
    cap = config.run.global_concurrency
    return contextlib.nullcontext() if cap is None else asyncio.Semaphore(cap)


def record_cost(record: JobRecord, attempt: int, *, charged: bool, basis: str) -> CostRow:
    record.cost(charged=charged, basis=basis, attempt=attempt)
    return record.costs[-1]
