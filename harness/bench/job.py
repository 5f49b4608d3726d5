"""What every way of running a job shares: the run's services, the job's record, how a request to the
provider is built and how an answer is checked, and how audio is fetched and kept.

`JobExecution` (executor) combines this base with `Waiting` (polling and webhooks) and `Direct` (audio in
the answer, streams); each adds one way a provider delivers audio.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import httpx

from harness.bench.config import BenchConfig, PollingMode
from harness.bench.exchange import Exchange, ExchangeFailed, send
from harness.bench.gates import Gates
from harness.bench.media import inspect_audio, store_audio
from harness.bench.polling import Schedule
from harness.bench.provenance import iso_from_epoch
from harness.bench.records import JobRecord
from harness.bench.stampbook import StampBook
from harness.bench.store import Store
from harness.bench.target import Target
from harness.bench.timing import Mark, wall_of
from harness.bench.webhook import Receiver, WebhookHub
from harness.core.errors import ErrorClass, ProtocolError, ProviderError
from harness.core.spec import Endpoint
from harness.core.transport import build_request, error_of
from harness.core.validate import check_response, media_type_of


@dataclass(slots=True)
class Services:
    """What every job of a run shares."""

    config: BenchConfig
    client: httpx.AsyncClient
    target: Target
    store: Store
    gates: Gates
    schedules: dict[str, Schedule]  # model label -> schedule
    audio_dir: Path
    hub: WebhookHub | None = None
    receiver: Receiver | None = None
    db_dir: Path | None = None  # audio paths are stored relative to it (the scorer resolves them so)
    stamps: StampBook = field(default_factory=StampBook)  # what each provider's timestamps are worth


class Failed(Exception):
    """Ends a job: the error is already recorded as fatal."""


class JobBase:
    """One job's shared machinery; subclasses add the ways of waiting for its audio."""

    def __init__(self, services: Services, record: JobRecord) -> None:
        self.s = services
        self.r = record
        self.job = record.job
        self.provider = record.job.provider
        self.endpoint = record.job.selection.endpoint
        self.label = record.job.selection.label
        self.charged = Decimal(0)  # USD this job has been charged (or may have been)

    def _request(self, endpoint: Endpoint, payload: Mapping[str, Any] | None, phase: str,
                 path_params: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None
                 ) -> httpx.Request:
        extra = dict(headers or {})
        extra.update(self.s.target.extra_headers(self.label, self.job.item.id, phase, self.r.attempt))
        return build_request(
            self.provider, endpoint, self.s.target.base_url(self.provider, endpoint.host), payload,
            key=self.s.target.key(self.provider), path_params=path_params, headers=extra,
        )

    def _webhook_headers(self) -> dict[str, str]:
        if self.s.config.polling is not PollingMode.WEBHOOK or self.s.receiver is None:
            return {}
        names = {h.name.lower(): h.name for h in self.endpoint.request_headers}
        header = next((name for low, name in names.items() if low.endswith("webhook-url")), None)
        if header is None:
            return {}
        values = {header: self.s.receiver.callback_url(self.provider.name)}
        mode = next((name for low, name in names.items() if low.endswith("webhook-mode")), None)
        if mode is not None:
            values[mode] = "terminal"
        return values

    def _commit_submitting(self) -> None:
        """Committed before the request goes out: a crash from here on is an attempt in flight."""
        values: dict[str, Any] = {"state": "submitting", "attempts": self.r.attempt}
        if self.r.attempt == 1 and not self.r.resumed:
            values["started_at"] = iso_from_epoch(wall_of(self.r.marks.start))
        self.s.store.update_job(self.job.job_key, values)

    def _note_http(self, exchange: Exchange) -> None:
        if self.r.http_version is None:
            self.r.http_version = exchange.response.http_version
            self.r.connection_reused = exchange.trace.reused
            self.r.connect_ms = exchange.trace.connect_ms
        self.r.marks.set(Mark.REQUEST_SENT, exchange.sent, overwrite=True)
        self.r.marks.set(Mark.RESPONSE_HEADERS, exchange.headers_received, overwrite=True)

    def _violations(self, endpoint: Endpoint, exchange: Exchange, phase: str) -> bool:
        """Validate an answer against the spec; record drift and (non-fatal) contract violations."""
        response = exchange.response
        verdict = check_response(self.provider, endpoint, response.status_code, response.headers, exchange.body)
        if verdict.drift:
            self.r.add_drift(endpoint.key, phase, verdict.drift)
        # An unparsable body is a protocol error (recorded where the body is read), not a contract one.
        broken = [v for v in verdict.violations if v.rule != "protocol"]
        if broken:
            shown = "; ".join(str(v) for v in broken[:3])
            self.r.error(phase, ErrorClass.CONTRACT, f"{endpoint.signature} answer breaks the contract: {shown}",
                         status=response.status_code, violations=broken)
        return not verdict.ok

    def _fatal(self, phase: str, error: ProviderError) -> NoReturn:
        self.r.error(phase, error.error_class, str(error), status=error.status, fatal=True)
        raise Failed

    async def _download(self, url: str, declared: str | None) -> None:
        request = self.s.client.build_request("GET", url)  # no key: media hosts are not the provider's API
        extra = self.s.target.extra_headers(self.label, self.job.item.id, "download", self.r.attempt)
        request.headers.update(extra)
        try:
            exchange = await send(self.s.client, request, secrets=self.s.target.secrets)
        except ExchangeFailed as failure:
            self._fatal("download", failure.error)
        self.r.marks.set(Mark.MEDIA_REQUEST_SENT, exchange.sent)
        if exchange.first_byte is not None:
            self.r.marks.set(Mark.MEDIA_FIRST_BYTE, exchange.first_byte)
        self.r.marks.set(Mark.MEDIA_LAST_BYTE, exchange.last_byte)
        error = error_of(exchange.response, self.s.target.secrets)
        if error is not None:
            self._fatal("download", error)
        self._media(exchange, declared or exchange.response.headers.get("content-type"), "download")

    def _media(self, exchange: Exchange, declared: str | None, phase: str) -> None:
        facts = inspect_audio(exchange.body)
        if facts.problem is not None:
            self._fatal(phase, ProtocolError(f"audio from {exchange.response.request.url.path}: {facts.problem}"))
        audio = store_audio(self.s.audio_dir, exchange.body, media_type_of(declared) or None, facts)
        if self.s.db_dir is not None and audio.path.resolve().is_relative_to(self.s.db_dir.resolve()):
            audio = replace(audio, path=audio.path.resolve().relative_to(self.s.db_dir.resolve()))
        self.r.audio = audio
