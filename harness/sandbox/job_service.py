"""The job side of one provider: accept a submit, report status, serve media, produce the audio.

All generic: the emulation supplies the plan and the bodies; this module does the charging, the drawn
timeline, the job faults, the bounded store, the production task, the webhook task and the view of a job
at a clock reading that every body is rendered from.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from starlette.responses import Response

from harness.core.lifecycle import Lifecycle
from harness.core.spec import Cost, Role
from harness.sandbox.emulation import Call, Emulation, JobView, Reject, Reply, WebhookTarget
from harness.sandbox.faults import JOB_FAULTS, Fault, draw_faults
from harness.sandbox.http_bodies import ConnectionFinder, TruncatedResponse
from harness.sandbox.job_audio import ProductionFailed
from harness.sandbox.jobs import EmulatedJob, StoreFull
from harness.sandbox.languages import settled_languages
from harness.sandbox.loading import Served
from harness.sandbox.misreadings import misread_speech
from harness.sandbox.netguard import UrlRefused
from harness.sandbox.state import SandboxState
from harness.sandbox.timeline import Outcome, Phase, Timeline, WorkerPool, transitions
from harness.sandbox.urls import Urls
from harness.speech import EngineUnavailableError

log = logging.getLogger("harness.sandbox")

FAILED_MESSAGE = "Generation failed: the model could not synthesise this request"
ERROR_MESSAGE = "System error: the worker stopped unexpectedly"


class JobService:
    def __init__(self, state: SandboxState, served: Served) -> None:
        self.state = state
        self.provider = served.provider
        self.emulation: Emulation = served.emulation
        self.lifecycle: Lifecycle | None = next(
            (ep.lifecycle for ep in self.provider.endpoints if ep.lifecycle is not None), None
        )
        # Which path or query parameter of each status endpoint carries the job id (from the JobBindings).
        self.id_params: dict[str, str] = {
            ep.job.status_endpoint: ep.job.status_param
            for ep in self.provider.endpoints
            if ep.role is Role.SUBMIT and ep.job is not None
        }
        self.pools: dict[str, WorkerPool] = {}  # model id -> its workers, when the profile has a pool

    def urls(self, origin: str) -> Urls:
        return Urls(origin, self.provider, self.emulation.media_path, self.emulation.media_host, self.state.origins)

    # --- submit -------------------------------------------------------------------------------------

    async def submit(self, call: Call, faults: frozenset[Fault]) -> Reply:
        state, emulation = self.state, self.emulation
        model_id = call.endpoint.model_id or ""
        if model_id in state.config.disabled_models or Fault.MODEL_DISABLED in faults:
            raise emulation.model_disabled(model_id)
        plan = emulation.plan(call)
        target = plan.webhook or emulation.webhook(call)
        try:
            if target is not None:
                state.dispatcher.check(target, emulation.webhook_https_only)
            for voice in plan.speech.voices:  # refuse a forbidden reference before anything is contacted
                if voice.reference is not None and voice.reference.url is not None:
                    state.policy.check(voice.reference.url, voice.reference.field)
        except UrlRefused as refused:
            raise emulation.invalid(call, [str(refused)]) from None
        now = state.clock.now()
        cost = emulation.price(call)
        payer = state.payer(self.provider.name, call.key, call.client)
        if payer is not None:
            if not state.accounts.charge(self.provider.name, payer, cost, now):
                assert cost is not None
                raise emulation.insufficient_balance(call, cost)
            # A model that documents 402 but no price (VibeVoice) costs nothing here, yet an empty wallet
            # still cannot start it.
            left = state.accounts.available(self.provider.name, payer, now)
            if cost is None and call.endpoint.response_for(402) is not None and left is not None and left <= 0:
                raise emulation.insufficient_balance(call, Cost(Decimal(0)))
        sequence = state.jobs.next_sequence()
        rng = state.job_rng(sequence)
        drawn = draw_faults(state.settings.fault_rates, rng, JOB_FAULTS)
        job_faults = (faults & JOB_FAULTS) | drawn
        outcome = Phase.COMPLETED
        if Fault.JOB_ERROR in job_faults:
            outcome = Phase.ERROR
        elif Fault.JOB_FAILED in job_faults:
            outcome = Phase.FAILED
        queue_s, processing_s = self._waits(
            plan.model_id, now, *plan.timing.draw(plan.speech.characters, rng, state.settings.time_scale)
        )
        processing_s += state.drift.added_latency_s  # a provider that became slower (`ProviderDrift`)
        timeline = Timeline.draw(
            now,
            queue_s,
            processing_s,
            outcome,
            never_finish=Fault.NEVER_FINISH in job_faults,
            backwards=Fault.STATUS_BACKWARDS in job_faults,
        )
        job = EmulatedJob(
            id=emulation.job_id(plan, state.uuid7(rng, now)),
            sequence=sequence,
            provider=self.provider.name,
            key=call.key,
            client=call.client,
            payer=payer,
            endpoint_key=call.endpoint.key,
            plan=plan,
            params=call.params,
            cost=cost,
            timeline=timeline,
            faults=job_faults,
            origin=call.urls.origin,
            states=emulation.states,
            webhook=target,
        )
        try:
            state.jobs.add(job, now)
        except StoreFull:
            if payer is not None:
                state.accounts.refund(self.provider.name, payer, cost, now)
            raise emulation.busy(state.settings.retry_after_s) from None
        if outcome is Phase.ERROR and math.isfinite(timeline.finished):
            self._refund_if_uncharged(job, outcome, timeline.finished)
        if state.journal is not None:  # persisted before the answer: a job its submitter knows survives
            state.journal.accepted(job)
        state.counters.add("jobs.created")
        for fault in job_faults:
            state.counters.add(f"faults.{fault.value}")
        self.start(job)
        return emulation.accepted(self.view(job, now, call.urls), call)

    def _waits(self, model_id: str, now: float, queue_s: float, processing_s: float) -> tuple[float, float]:
        """(queue, processing) seconds of a job submitted at `now`: its drawn dispatch wait, then, with a
        worker pool, however long it waits for a free worker."""
        workers = self.state.settings.workers
        if workers is None:
            return queue_s, processing_s
        pool = self.pools.get(model_id)
        if pool is None:
            pool = self.pools[model_id] = WorkerPool(workers)
        return pool.start(now + queue_s, processing_s) - now, processing_s

    def start(self, job: EmulatedJob) -> None:
        """Produce a job's audio and deliver its callbacks (on submit, or when a snapshot restores it: a job
        restored with its result only has its callbacks left)."""
        done = asyncio.Event()
        if job.ready.is_set():
            done.set()
        else:
            self.state.spawn(self._produce(job, done))
        if job.webhook is not None:
            self.state.spawn(self._call_back(job, job.webhook, done))

    async def _call_back(self, job: EmulatedJob, target: WebhookTarget, done: asyncio.Event) -> None:
        await self.state.dispatcher.run(job, target, done, lambda at: self._callback(job, at))
        job.called_back = True  # not when cancelled (the sandbox stopping): a later sandbox delivers them then
        if self.state.journal is not None:
            self.state.journal.called_back(job)

    def _refund_if_uncharged(self, job: EmulatedJob, phase: Phase, at: float) -> None:
        if job.payer is not None and self.lifecycle is not None and job.states.word(phase) in self.lifecycle.uncharged:
            self.state.accounts.refund(job.provider, job.payer, job.cost, at)

    async def _produce(self, job: EmulatedJob, done: asyncio.Event) -> None:
        clock = self.state.clock
        try:
            if job.timeline.outcome is Phase.COMPLETED and math.isfinite(job.timeline.finished):
                speech = settled_languages(
                    misread_speech(job.plan.speech, self.state.drift.misread),
                    self.state.drift.language_fallback.get(job.provider),
                    partial(self.state.findings.record, job.provider, "speech", ("language",)),
                )
                job.recipe = await self.state.producer.resolve(speech)
                await self.state.producer.audio(job.recipe)
                job.outcome = Outcome(ready_at=clock.now())
        except ProductionFailed as failure:
            job.outcome = Outcome(failed_at=clock.now(), failure=Phase.FAILED, message=str(failure))
        except EngineUnavailableError as missing:  # an optional engine (espeak-ng): the speech module said so once
            job.outcome = Outcome(failed_at=clock.now(), failure=Phase.ERROR, message=f"{ERROR_MESSAGE} ({missing})")
            self._refund_if_uncharged(job, Phase.ERROR, job.ends_at())
        except Exception:
            log.exception("sandbox: producing audio for job %s failed", job.id)
            job.outcome = Outcome(failed_at=clock.now(), failure=Phase.ERROR, message=ERROR_MESSAGE)
            self._refund_if_uncharged(job, Phase.ERROR, job.ends_at())
        finally:
            job.ready.set()
            done.set()
            self.state.counters.add("jobs.produced")
            if self.state.journal is not None:
                self.state.journal.produced(job)

    # --- status and media ---------------------------------------------------------------------------

    def find(self, call: Call) -> EmulatedJob:
        param = self.id_params.get(call.endpoint.key, "")
        job_id = call.path_params.get(param) or call.query.get(param) or ""
        job = self.state.jobs.get(job_id)
        # Where the status endpoint needs auth, a job is visible to its own key only; where it does not
        # (a status poll without a key), the id alone finds it.
        owner_mismatch = call.endpoint.auth_required and job is not None and job.key != call.key
        if job is None or job.provider != self.provider.name or owner_mismatch:
            raise self.emulation.unknown_job(job_id)
        return job

    def status(self, call: Call) -> Reply:
        job = self.find(call)
        view = self.view(job, self.state.clock.now(), call.urls)
        return Reply(dict(self.emulation.status(view)), status=call.endpoint.success_status)

    async def media(self, job_id: str, faults: frozenset[Fault], find: ConnectionFinder | None) -> Response:
        job = self.state.jobs.get(job_id)
        if (
            job is None
            or job.provider != self.provider.name
            or job.recipe is None
            or job.phase(self.state.clock.now()) is not Phase.COMPLETED
        ):
            raise Reject(404, f"No media for request {job_id!r}")
        audio = await self.state.producer.audio(job.recipe)
        media_type = job.plan.speech.media_type
        if Fault.TRUNCATED_AUDIO in faults or Fault.TRUNCATED_AUDIO in job.faults:
            return TruncatedResponse(audio, media_type, find)
        return Response(audio, media_type=media_type)

    # --- views --------------------------------------------------------------------------------------

    def _callback(self, job: EmulatedJob, at: float) -> dict[str, Any]:
        return dict(self.emulation.status(self.view(job, at, self.urls(job.origin)), callback=True))

    def view(self, job: EmulatedJob, now: float, urls: Urls) -> JobView:
        wall = self.state.clock.wall
        phase = job.phase(now)
        changes = transitions(job.timeline, job.outcome, now)
        error = None
        if phase in (Phase.FAILED, Phase.ERROR):
            error = job.outcome.message or (FAILED_MESSAGE if phase is Phase.FAILED else ERROR_MESSAGE)
        speech = job.plan.speech
        return JobView(
            id=job.id,
            model_id=job.plan.model_id,
            phase=phase,
            state=job.states.word(phase),
            created_at=wall(job.timeline.created),
            updated_at=wall(changes[-1][1]),
            started_at=wall(job.timeline.started) if now >= job.timeline.started else None,
            completed_at=wall(job.ends_at()) if phase.terminal else None,
            error=error,
            media_url=urls.media(job_id=job.id, ext=speech.audio_format.value) if phase is Phase.COMPLETED else None,
            media_type=speech.media_type,
            cost=job.cost,
            params=job.params,
            extra=job.plan.extra,
            urls=urls,
            stamps=self.state.stamps,
        )


def restarter(state: SandboxState) -> Callable[[EmulatedJob], None]:
    """Resumes a restored job's production and callbacks with its provider's service (`snapshot.keep`)."""
    services: dict[str, JobService] = {}

    def start(job: EmulatedJob) -> None:
        service = services.get(job.provider)
        if service is None:
            service = services[job.provider] = JobService(state, state.served[job.provider])
        service.start(job)

    return start
