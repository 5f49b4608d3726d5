"""One job as one object: the run's shared `services`, the job's `record`, and the little every way of
running it needs — its one deadline (`harness.runner.deliver.deadline`), building and sending a request under it,
checking an answer, failing, charging, and what it has observed as evidence (`evidence`).

The ways a provider delivers audio are plain functions that take a `Job`: `waiting.wait_and_fetch`
(polling and webhooks), `audio_answer.fetch_direct` (audio in the answer, streams) and `socket_speech.fetch_realtime`
(sockets); `executor.run_job` picks one by the endpoint's role or the offering's channel, and each keeps what
it received through `audio_keeping`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NoReturn

import httpx

from harness.core.errors import ErrorClass, ProviderError
from harness.core.protocols.http_speech import label_documented
from harness.core.spec import Endpoint, Provider
from harness.core.transport import build_request
from harness.core.validate import check_response
from harness.measurement import JobEvidence, ProviderStamps, StampBook
from harness.results import JobFirstSubmitting, JobSubmitting, Store
from harness.runner.deliver.admission import Gates, ProviderGate
from harness.runner.deliver.deadline import Deadline
from harness.runner.deliver.exchange import Exchange, send
from harness.runner.deliver.polling import ClockProbe, Schedule
from harness.runner.deliver.webhook import Receiver, WebhookHub
from harness.runner.plan.config import BenchConfig, PollingMode
from harness.runner.plan.jobs import PlannedJob
from harness.runner.plan.target import Target
from harness.runner.record.provenance import iso_from_epoch
from harness.runner.record.records import JobRecord
from harness.runner.record.timing import Mark, now, wall_of


@dataclass(slots=True, kw_only=True)
class RunServices:
    """What every job of a run shares."""

    config: BenchConfig
    client: httpx.AsyncClient
    target: Target
    store: Store
    gates: Gates
    schedules: dict[str, Schedule]  # model label -> schedule
    hub: WebhookHub | None = None
    receiver: Receiver | None = None
    # What the poll schedule knows of each provider's clock, learnt as the run goes: it decides when to ask,
    # never what a figure is (the figures' clock is learnt from the whole run's evidence afterwards).
    schedule_clocks: StampBook = field(default_factory=StampBook)
    probes: dict[str, ClockProbe] = field(default_factory=dict)  # provider -> its held submits


#: Headers in which HTTP APIs commonly name a request for their logs (the first is the commonest).
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid")


class Failed(Exception):
    """Ends a job: the error is already recorded as fatal."""


@dataclass(slots=True)
class Job:
    """One planned job being run: what it shares with the run, what it has recorded, what it cost."""

    services: RunServices
    record: JobRecord
    charged: Decimal = field(default=Decimal(0))  # USD this job has been charged (or may have been)
    # When the job's time is up, whatever its answer (`harness.runner.deliver.deadline`): every wait of the job ends by
    # it.
    deadline: Deadline = field(init=False)
    probe: ClockProbe | None = None  # this job's submit was held to pin its provider's clock (until read)

    def __post_init__(self) -> None:
        # From the job's start; a job picked up after a crash gets its full time from now: the crash was not its
        # fault.
        record = self.record
        self.deadline = Deadline.after(
            self.services.config.run.job_timeout, now() if record.resumed else record.marks.start
        )

    @property
    def planned(self) -> PlannedJob:
        return self.record.job

    @property
    def provider(self) -> Provider:
        return self.record.job.provider

    @property
    def endpoint(self) -> Endpoint:
        return self.record.job.selection.endpoint

    @property
    def label(self) -> str:
        return self.record.job.selection.label

    @property
    def gate(self) -> ProviderGate:
        return self.services.gates[self.provider.name]

    @property
    def schedule_clock(self) -> ProviderStamps:
        return self.services.schedule_clocks.of(self.provider.name)

    @property
    def start_observable(self) -> bool:
        """Whether the provider shows a state between queued and finished: only then do polls see a job leave
        the queue (a batch that reads `processing` from the start has no queue to measure)."""
        binding = self.endpoint.job
        if binding is None:
            return False
        lifecycle = self.provider.endpoint(binding.status_endpoint).lifecycle or self.endpoint.lifecycle
        return lifecycle is not None and any(
            state not in lifecycle.initial and state not in lifecycle.terminal for state in lifecycle.states
        )

    @property
    def declared_convention(self) -> str | None:
        """How the provider's documents say its stamps print an instant (None: the run learns it)."""
        binding = self.endpoint.job
        return None if binding is None else binding.stamp_convention

    def evidence(self) -> JobEvidence:
        return self.record.evidence(
            start_observable=self.start_observable, declared_convention=self.declared_convention
        )

    def charge(self, basis: str) -> None:
        """A charged attempt at the documented price (or the worst case when the outcome is unknown). A job
        kept `unfetched` by an earlier pass of the run was charged then: its cost row is already stored."""
        if self.record.charged_before:
            return
        self.charged += self.record.cost(charged=True, basis=basis)

    def request(
        self,
        endpoint: Endpoint,
        payload: Mapping[str, Any] | None,
        phase: str,
        path_params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Request:
        target = self.services.target
        extra = dict(headers or {})
        extra.update(target.extra_headers(self.label, self.planned.item.id, phase, self.record.attempt))
        if endpoint is self.endpoint and self.planned.warnings:
            self.record.add_drift(endpoint.key, phase, self.planned.warnings)  # sent beyond a recommendation
        return build_request(
            self.provider,
            endpoint,
            target.base_url(self.provider, endpoint.host),
            payload,
            key=target.key(self.provider),
            path_params=path_params,
            headers=extra,
        )

    async def send(self, request: httpx.Request, on_chunk: Callable[[bytes, float], None] | None = None) -> Exchange:
        return await send(
            self.services.client,
            request,
            secrets=self.services.target.secrets,
            on_chunk=on_chunk,
            deadline=self.deadline,
        )

    async def ready(self) -> None:
        """Wait until the provider may be sent a request (its gate), never past the job's deadline: a send after
        it fails at once, unsent."""
        await self.gate.ready(until=self.deadline.at)

    async def hold_submit(self) -> None:
        """Hold a job's first submit, when its provider stamps `created_at` coarsely and the run does not yet
        know the server's clock well, to the instant that halves what it knows (`polling.ClockProbe`): a
        latency counts from the send, so the hold costs the run a fraction of a second, never a figure."""
        binding = self.endpoint.job
        if binding is None or binding.created_pointer is None or self.record.attempt or self.record.resumed:
            return
        probe = self.services.probes.setdefault(self.provider.name, ClockProbe())
        moment = now()
        delay = probe.hold(self.schedule_clock, moment, wall_of(moment))
        if delay is not None:
            self.probe = probe
            await asyncio.sleep(delay)

    def webhook_headers(self) -> dict[str, str]:
        receiver = self.services.receiver
        if self.services.config.polling.mode is not PollingMode.WEBHOOK or receiver is None:
            return {}
        names = {header.name.lower(): header.name for header in self.endpoint.request_headers}
        url_header = next((name for low, name in names.items() if low.endswith("webhook-url")), None)
        if url_header is None:
            return {}
        values = {url_header: receiver.callback_url(self.provider.name)}
        mode = next((name for low, name in names.items() if low.endswith("webhook-mode")), None)
        if mode is not None:
            values[mode] = "terminal"
        return values

    def commit_submitting(self) -> None:
        """Committed before the request goes out: a crash from here on is an attempt in flight."""
        record = self.record
        change = JobSubmitting(state="submitting", attempts=record.attempt)
        if record.attempt == 1 and not record.resumed:
            change = JobFirstSubmitting(
                state="submitting", attempts=record.attempt, started_at=iso_from_epoch(wall_of(record.marks.start))
            )
        self.services.store.update_job(self.planned.job_key, change)

    def note_http(self, exchange: Exchange) -> None:
        record = self.record
        if record.http_version is None:
            record.http_version = exchange.response.http_version
            record.connection_reused = exchange.trace.reused
            record.connect_ms = exchange.trace.connect_ms
        headers = exchange.response.headers
        record.provider_request_id = next(
            (headers[name] for name in REQUEST_ID_HEADERS if name in headers), record.provider_request_id
        )
        record.marks.set(Mark.REQUEST_SENT, exchange.sent, overwrite=True)
        record.marks.set(Mark.RESPONSE_HEADERS, exchange.headers_received, overwrite=True)

    def check_answer(self, endpoint: Endpoint, exchange: Exchange, phase: str, asked: str | None = None) -> bool:
        """Validate an answer against the spec; record drift and (non-fatal) contract violations.
        True when the answer breaks the contract. `asked`: the media type of the headerless samples asked for."""
        response = exchange.response
        exact = endpoint is self.endpoint and label_documented(self.provider, endpoint, self.planned.payload)
        verdict = check_response(
            self.provider,
            endpoint,
            response.status_code,
            response.headers,
            exchange.body,
            asked=asked,
            exact_label=exact,
        )
        if verdict.drift:
            self.record.add_drift(endpoint.key, phase, verdict.drift)
        # An unparsable body is a protocol error (recorded where the body is read), not a contract one.
        broken = [v for v in verdict.violations if v.rule != "protocol"]
        if broken:
            shown = "; ".join(str(v) for v in broken[:3])
            self.record.error(
                phase,
                ErrorClass.CONTRACT,
                f"{endpoint.signature} answer breaks the contract: {shown}",
                status=response.status_code,
                violations=broken,
            )
        return not verdict.ok

    def fail(self, phase: str, error: ProviderError) -> NoReturn:
        self.record.error(phase, error.error_class, str(error), status=error.status, fatal=True)
        raise Failed

    def unfetched(self, phase: str, error: ProviderError) -> NoReturn:
        """End a job the provider accepted whose result could not be fetched in its time: kept, not failed
        (`bench run --resume` polls it again and fetches the audio; see harness.runner.record.records)."""
        self.record.keep_unfetched(phase, error.error_class, str(error), status=error.status)
        raise Failed
