"""One job, end to end: submit, wait (poll or webhook), download, classify, price, and write it down.

Provider-agnostic: everything comes from the spec (`Endpoint.role`, `JobBinding` pointers, the
lifecycle and its uncharged states, the price function). Every answer is validated as it arrives;
violations become `contract` errors. The order of commits is what makes a crash safe: `submitting`
(attempt n) before the submit goes out, `submitted` (job id and first marks) before any waiting, and
the whole result in one transaction at the end.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from harness.bench.config import BenchConfig, PollingMode
from harness.bench.exchange import Exchange, ExchangeFailed, send
from harness.bench.gates import Gates
from harness.bench.media import FirstAudio, inspect_audio, store_audio
from harness.bench.polling import PollContext, Schedule
from harness.bench.provenance import iso_from_epoch
from harness.bench.records import JobRecord
from harness.bench.store import Store
from harness.bench.target import Target
from harness.bench.timing import Mark, PollRecord, ServerTimes, derive, now, resolution_of, wall_of
from harness.bench.webhook import Callback, Receiver, WebhookHub
from harness.core.drift import resolve
from harness.core.errors import ContractViolation, ErrorClass, ProtocolError, ProviderError, ServerError
from harness.core.spec import Endpoint, JobBinding, Role
from harness.core.timestamps import parse_timestamp
from harness.core.transport import build_request, error_of, path_fields, retry_after_seconds
from harness.core.validate import check_response, media_type_of

MAX_POLL_FAILURES = 5  # consecutive failed polls before a job is given up
POLL_BACKOFF_S = 0.5


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


class Failed(Exception):
    """Ends a job: the error is already recorded as fatal."""


class JobExecution:
    """Drives one `JobRecord` through its endpoint's role."""

    def __init__(self, services: Services, record: JobRecord) -> None:
        self.s = services
        self.r = record
        self.job = record.job
        self.provider = record.job.provider
        self.endpoint = record.job.selection.endpoint
        self.label = record.job.selection.label
        self.charged = Decimal(0)

    # --- entry ------------------------------------------------------------------------------------------

    async def run(self) -> Decimal:
        """Run the job and store its result; returns the USD charged."""
        try:
            if self.r.provider_job_id is not None:  # resumed: submitted before the crash
                await self._wait_and_fetch()
            elif self.endpoint.role is Role.SUBMIT:
                await self._submit_job()
            elif self.endpoint.role in (Role.AUDIO, Role.STREAM):
                await self._direct()
            else:
                self.r.error("plan", ErrorClass.VALIDATION, f"{self.endpoint.key} is not a synthesis endpoint",
                             fatal=True)
        except Failed:
            pass
        if self.r.outcome is None:
            self.r.outcome = "ok"
        self._finish()
        return self.charged

    # --- submit ---------------------------------------------------------------------------------------

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

    async def _send_attempt(self, phase: str) -> Exchange:
        """Commit `submitting`, send, and account for an attempt that got no answer."""
        gate = self.s.gates[self.provider.name]
        await gate.ready()
        self.r.attempt += 1
        if self.r.attempt == 1:
            self.r.marks.set(Mark.REQUEST_SENT)  # provisional: replaced by the trace's instant below
        self._commit_submitting()
        request = self._request(self.endpoint, self.job.payload, phase, headers=self._webhook_headers())
        try:
            return await send(self.s.client, request, secrets=self.s.target.secrets)
        except ExchangeFailed as failure:
            # Sent but unanswered: the provider may have acted on it; count it as charged (worst case).
            if failure.reached_server:
                self.charged += self.r.cost(charged=True, basis="unknown-outcome:" + str(failure.error.error_class))
            else:
                self.r.cost(charged=False, basis="not-sent:" + str(failure.error.error_class))
            self.r.error(phase, failure.error.error_class, str(failure.error), fatal=True)
            raise Failed from None

    def _commit_submitting(self) -> None:
        """Committed before the request goes out: a crash from here on is an attempt in flight."""
        values: dict[str, Any] = {"state": "submitting", "attempts": self.r.attempt}
        if self.r.attempt == 1 and not self.r.resumed:
            values["started_at"] = iso_from_epoch(wall_of(self.r.marks.start))
        self.s.store.update_job(self.job.job_key, values)

    async def _submit(self, phase: str) -> Exchange:
        """Submit until accepted or refused; 429 (and 503 with Retry-After) are retried after the delay."""
        retries = 0
        while True:
            exchange = await self._send_attempt(phase)
            self._note_http(exchange)
            response = exchange.response
            error = error_of(response, self.s.target.secrets)
            self.s.gates[self.provider.name].note(response.status_code, response.headers, retry_after_seconds(response))
            if error is None:
                return exchange
            self.r.cost(charged=False, basis=f"rejected:{response.status_code}")
            retryable = response.status_code == 429 or (response.status_code == 503 and error.retry_after is not None)
            if retryable and retries < self.s.config.max_rate_limit_retries:
                retries += 1
                self.r.error(phase, error.error_class, str(error), status=response.status_code)
                self.s.gates[self.provider.name].close_for(error.retry_after or POLL_BACKOFF_S * 2**retries)
                continue
            self._violations(self.endpoint, exchange, phase)
            self.r.final_status = str(response.status_code)
            self.r.error(phase, error.error_class, str(error), status=response.status_code, fatal=True)
            raise Failed

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
        if not verdict.ok:
            shown = "; ".join(str(v) for v in verdict.violations[:3])
            self.r.error(phase, ErrorClass.CONTRACT, f"{endpoint.signature} answer breaks the contract: {shown}",
                         status=response.status_code, violations=verdict.violations)
        return not verdict.ok

    async def _submit_job(self) -> None:
        exchange = await self._submit("submit")
        response = exchange.response
        media_type = media_type_of(response.headers.get("content-type"))
        if media_type.startswith("audio/") or media_type == "application/octet-stream":
            # An asynchronous endpoint that answered with the audio itself (documented drift, TTS.ai).
            self._violations(self.endpoint, exchange, "submit")
            self.r.delivery = "sync"
            self.charged += self.r.cost(charged=True, basis="documented-price")
            self.r.marks.set(Mark.TERMINAL, exchange.last_byte)
            self._media(exchange, exchange.response.headers.get("content-type"), "submit")
            return
        binding = self.endpoint.job
        if binding is None:
            raise ValueError(f"{self.endpoint.key} is a SUBMIT endpoint without a JobBinding")
        violated = self._violations(self.endpoint, exchange, "submit")
        try:
            body = json.loads(exchange.body)
        except ValueError:
            # Accepted (2xx) but unreadable: the provider has the job and will charge for it.
            self.charged += self.r.cost(charged=True, basis="documented-price")
            self._fatal("submit", ProtocolError(f"{self.endpoint.signature}: 2xx answer is not JSON: "
                                                f"{exchange.body[:80]!r}", status=response.status_code))
        found, job_id = resolve(body, binding.id_pointer)
        if not found or not isinstance(job_id, str) or not job_id:
            self.charged += self.r.cost(charged=True, basis="documented-price")
            kind = ContractViolation if not violated else ProtocolError
            self._fatal("submit", kind(f"no job id at {binding.id_pointer} in the submit answer",
                                       status=response.status_code))
        self.r.marks.set(Mark.ACCEPTED)
        self.r.provider_job_id = job_id
        present, polling_url = (False, None)
        if binding.polling_url_pointer:
            present, polling_url = resolve(body, binding.polling_url_pointer)
        self.r.status_url = polling_url if present and isinstance(polling_url, str) else None
        self._commit_submitted()
        await self._wait_and_fetch()

    def _commit_submitted(self) -> None:
        """The job id and the first marks, committed before any waiting: a resume polls, never resubmits."""
        self.s.store.write(
            [("marks", self.r.mark_rows())],
            (self.job.job_key, {
                "state": "submitted", "provider_job_id": self.r.provider_job_id, "status_url": self.r.status_url,
                "http_version": self.r.http_version,
                "connection_reused": None if self.r.connection_reused is None else int(self.r.connection_reused),
                "connect_ms": self.r.connect_ms,
            }),
        )

    def _fatal(self, phase: str, error: ProviderError) -> None:
        self.r.error(phase, error.error_class, str(error), status=error.status, fatal=True)
        raise Failed

    # --- waiting --------------------------------------------------------------------------------------

    async def _wait_and_fetch(self) -> None:
        binding = self.endpoint.job
        assert binding is not None and self.r.provider_job_id is not None
        status_endpoint = self.provider.endpoint(binding.status_endpoint)
        lifecycle = status_endpoint.lifecycle or self.endpoint.lifecycle
        assert lifecycle is not None
        callback = self._expect_callback()
        body = await self._poll_until_terminal(status_endpoint, binding, callback)
        state = body.get(lifecycle.status_field)
        self.r.final_status = str(state)
        self._server_times(binding, body)
        if lifecycle.check_sequence(self.r.status_bodies):
            violations = lifecycle.check_sequence(self.r.status_bodies)
            self.r.error("poll", ErrorClass.CONTRACT, "status sequence breaks the lifecycle: "
                         + "; ".join(str(v) for v in violations[:3]), violations=violations)
        if state in lifecycle.uncharged:
            self.r.cost(charged=False, basis=f"uncharged-state:{state}")
        else:
            self.charged += self.r.cost(charged=True, basis="documented-price")
        if state not in lifecycle.success:
            message = "job ended " + str(state)
            if binding.error_pointer:
                _, detail = resolve(body, binding.error_pointer)
                message += f": {detail}" if detail else ""
            self._fatal("poll", ServerError(message))
        found, media_url = resolve(body, binding.media_pointer)
        if not found or not isinstance(media_url, str):
            self._fatal("poll", ContractViolation(f"no media URL at {binding.media_pointer} in a {state} status"))
        declared = None
        if binding.media_type_pointer:
            _, declared = resolve(body, binding.media_type_pointer)
        await self._download(str(media_url), declared if isinstance(declared, str) else None)

    def _expect_callback(self) -> asyncio.Future[Callback] | None:
        if self.s.hub is None or self.s.config.polling is not PollingMode.WEBHOOK or not self._webhook_headers():
            self.r.delivery = "poll"
            return None
        self.r.delivery = "webhook"
        assert self.r.provider_job_id is not None
        return self.s.hub.expect(self.provider.name, self.r.provider_job_id)

    async def _poll_until_terminal(self, endpoint: Endpoint, binding: JobBinding,
                                   callback: asyncio.Future[Callback] | None) -> Mapping[str, Any]:
        lifecycle = endpoint.lifecycle or self.endpoint.lifecycle
        assert lifecycle is not None and self.r.provider_job_id is not None
        schedule = self.s.schedules[self.label]
        sent = self.r.marks.values.get(Mark.REQUEST_SENT, self.r.marks.start)
        deadline = sent + self.s.config.job_timeout
        failures, last_pending, processing_since = 0, None, None
        while True:
            elapsed = now() - sent
            delay, reason = schedule.next_delay(PollContext(elapsed, len(self.r.polls), last_pending,
                                                            len(self.job.item.text),
                                                            processing_since))
            if callback is not None:
                delay, reason = max(delay * 4, 2.0), "webhook-fallback"  # webhooks lead; polls are a net
            if failures:
                delay, reason = max(delay, POLL_BACKOFF_S * 2 ** (failures - 1)), "backoff"
            if now() + delay > deadline:
                delay = max(deadline - now(), 0.0)
            if callback is not None:
                try:
                    done = await asyncio.wait_for(asyncio.shield(callback), timeout=delay)
                except TimeoutError:
                    pass
                else:
                    return self._on_callback(done, lifecycle)
            else:
                await asyncio.sleep(delay)
            if now() >= deadline:
                self._fatal("poll", _timeout(self.s.config.job_timeout, self.r.final_status))
            body = await self._poll_once(endpoint, binding, delay, reason)
            if body is None:
                failures += 1
                if failures >= MAX_POLL_FAILURES:
                    last = self.r.errors[-1] if self.r.errors else None
                    error_class = last["error_class"] if last else ErrorClass.TRANSPORT
                    self.r.error("poll", error_class, f"{failures} consecutive status requests failed", fatal=True)
                    raise Failed
                continue
            failures = 0
            state = body.get(lifecycle.status_field)
            poll = self.r.polls[-1]
            if state in lifecycle.terminal:
                poll.terminal = True
                self.r.marks.set(Mark.TERMINAL, poll.received)
                return body
            poll.pending = True
            last_pending = poll.sent - sent
            self.r.marks.set(Mark.LAST_PENDING, poll.sent, overwrite=True)
            if state not in lifecycle.initial:
                self.r.marks.set(Mark.FIRST_PROCESSING, poll.received)
                processing_since = self._processing_since(binding, body, sent)

    def _processing_since(self, binding: JobBinding, body: Mapping[str, Any], sent: float) -> float | None:
        """The server's processing start as elapsed client time, when the provider reports it."""
        if binding.started_pointer is None or binding.created_pointer is None:
            return None
        _, started = resolve(body, binding.started_pointer)
        _, created = resolve(body, binding.created_pointer)
        a, b = parse_timestamp(created if isinstance(created, str) else None), parse_timestamp(
            started if isinstance(started, str) else None)
        if a is None or b is None:
            return None
        return (b - a).total_seconds()

    def _on_callback(self, callback: Callback, lifecycle: Any) -> Mapping[str, Any]:
        self.r.marks.set(Mark.WEBHOOK_RECEIVED, callback.received)
        self.r.marks.set(Mark.TERMINAL, callback.received)
        self.r.status_bodies.append(callback.body)
        callback_endpoint = next(iter(self.provider.by_role(Role.CALLBACK)), None)
        if callback_endpoint is not None and callback_endpoint.request is not None:
            from harness.core.validate import check_request_json

            verdict = check_request_json(callback_endpoint, callback.body)
            if verdict.drift:
                self.r.add_drift(callback_endpoint.key, "webhook", verdict.drift)
            if not verdict.ok:
                self.r.error("webhook", ErrorClass.CONTRACT, "callback breaks the contract: "
                             + "; ".join(str(v) for v in verdict.violations[:3]), violations=verdict.violations)
        return callback.body

    async def _poll_once(self, endpoint: Endpoint, binding: JobBinding, delay: float, reason: str
                         ) -> Mapping[str, Any] | None:
        assert self.r.provider_job_id is not None
        if binding.status_param in path_fields(endpoint.path):
            path_params, payload = {binding.status_param: self.r.provider_job_id}, None
        else:
            path_params, payload = None, {binding.status_param: self.r.provider_job_id}
        gate = self.s.gates[self.provider.name]
        await gate.ready()
        request = self._request(endpoint, payload, "poll", path_params=path_params)
        poll = PollRecord(len(self.r.polls), reason, delay, now())
        self.r.polls.append(poll)
        try:
            exchange = await send(self.s.client, request, secrets=self.s.target.secrets)
        except ExchangeFailed as failure:
            poll.error_class = str(failure.error.error_class)
            self.r.error("poll", failure.error.error_class, str(failure.error))
            return None
        response = exchange.response
        poll.sent, poll.received = exchange.sent, exchange.headers_received
        poll.http_status, poll.connection_reused = response.status_code, exchange.trace.reused
        gate.note(response.status_code, response.headers, retry_after_seconds(response))
        error = error_of(response, self.s.target.secrets)
        if error is not None:
            poll.error_class = str(error.error_class)
            self._violations(endpoint, exchange, "poll")
            self.r.error("poll", error.error_class, str(error), status=response.status_code)
            if error.retry_after is not None:
                gate.close_for(error.retry_after)
            return None
        self._violations(endpoint, exchange, "poll")
        try:
            body = json.loads(exchange.body)
        except ValueError:
            poll.error_class = str(ErrorClass.PROTOCOL)
            self.r.error("poll", ErrorClass.PROTOCOL, f"status answer is not JSON: {exchange.body[:80]!r}",
                         status=response.status_code)
            return None
        if not isinstance(body, dict):
            poll.error_class = str(ErrorClass.PROTOCOL)
            self.r.error("poll", ErrorClass.PROTOCOL, "status answer is not a JSON object")
            return None
        lifecycle = endpoint.lifecycle or self.endpoint.lifecycle
        assert lifecycle is not None
        poll.provider_status = str(body.get(lifecycle.status_field))
        self.r.status_bodies.append(body)
        return body

    def _server_times(self, binding: JobBinding, body: Mapping[str, Any]) -> None:
        def at(pointer: str | None) -> tuple[str | None, Any]:
            if pointer is None:
                return None, None
            found, value = resolve(body, pointer)
            text = value if found and isinstance(value, str) else None
            return text, parse_timestamp(text)

        created, started, completed = at(binding.created_pointer), at(binding.started_pointer), at(
            binding.completed_pointer)
        self.r.server = ServerTimes(created[1], started[1], completed[1], resolution_of(created[0]),
                                    resolution_of(completed[0]))
        self.r.server_raw = (created[0], started[0], completed[0])

    # --- media ------------------------------------------------------------------------------------------

    async def _download(self, url: str, declared: str | None) -> None:
        request = self.s.client.build_request("GET", url)  # no key: media hosts are not the provider's API
        for name, value in self.s.target.extra_headers(self.label, self.job.item.id, "download", self.r.attempt).items():
            request.headers[name] = value
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

    # --- direct audio and streams ------------------------------------------------------------------------

    async def _direct(self) -> None:
        stream = self.endpoint.role is Role.STREAM
        self.r.delivery = "stream" if stream else "sync"
        detector = FirstAudio()
        first_audio: list[float] = []
        pending = bytearray()

        def watch(chunk: bytes, at: float) -> None:
            # Events may span chunks: decode only whole lines, and only until audio is found.
            if not stream or first_audio:
                return
            pending.extend(chunk)
            cut = pending.rfind(b"\n") + 1
            if cut and detector.feed(_stream_audio(bytes(pending[:cut]))):
                first_audio.append(at)
            del pending[:cut]

        gate = self.s.gates[self.provider.name]
        await gate.ready()
        self.r.attempt += 1
        self._commit_submitting()
        request = self._request(self.endpoint, self.job.payload, "submit")
        try:
            exchange = await send(self.s.client, request, secrets=self.s.target.secrets, on_chunk=watch)
        except ExchangeFailed as failure:
            basis = "unknown-outcome:" if failure.reached_server else "not-sent:"
            self.charged += self.r.cost(charged=failure.reached_server, basis=basis + str(failure.error.error_class))
            self._fatal("stream" if stream else "submit", failure.error)
        self._note_http(exchange)
        response = exchange.response
        gate.note(response.status_code, response.headers, retry_after_seconds(response))
        self._violations(self.endpoint, exchange, "submit")
        error = error_of(response, self.s.target.secrets)
        self.r.final_status = str(response.status_code)
        if error is not None:
            self.r.cost(charged=False, basis=f"rejected:{response.status_code}")
            self._fatal("submit", error)
        self.charged += self.r.cost(charged=True, basis="documented-price")
        self.r.marks.set(Mark.TERMINAL, exchange.last_byte)
        if exchange.first_byte is not None:
            self.r.marks.set(Mark.MEDIA_FIRST_BYTE, exchange.first_byte)
        self.r.marks.set(Mark.MEDIA_LAST_BYTE, exchange.last_byte)
        if stream:
            if first_audio:
                self.r.marks.set(Mark.FIRST_AUDIO, first_audio[0])
            audio = _stream_audio(exchange.body)
            if audio:
                exchange.body = audio
        self._media(exchange, response.headers.get("content-type"), "stream" if stream else "submit")

    # --- the end ------------------------------------------------------------------------------------------

    def _finish(self) -> None:
        r = self.r
        finished = now()
        if r.outcome == "ok" and r.audio is None:
            r.error("download", ErrorClass.PROTOCOL, "the job produced no audio", fatal=True)
        metrics = derive(r.marks, r.polls, r.server, finished)
        raw = r.server_raw
        update: dict[str, Any] = {
            "state": "done" if r.outcome == "ok" else "failed",
            "attempts": r.attempt,
            "provider_job_id": r.provider_job_id,
            "status_url": r.status_url,
            "delivery": r.delivery,
            "final_status": r.final_status,
            "outcome": r.outcome,
            "error_class": r.error_class,
            "error_message": r.error_message,
            "finished_at": iso_from_epoch(wall_of(finished)),
            "resumed": int(r.resumed),
            "start_offset_ms": r.start_offset_ms,
            "http_version": r.http_version,
            "connection_reused": None if r.connection_reused is None else int(r.connection_reused),
            "connect_ms": r.connect_ms,
            "polls": len(r.polls),
            "poll_errors": sum(1 for p in r.polls if p.error_class),
            "server_created_at": raw[0],
            "server_started_at": raw[1],
            "server_completed_at": raw[2],
            "cost_usd": r.total_usd(),
            **metrics,
        }
        if r.audio is not None:
            update |= {
                "audio_path": str(r.audio.path), "audio_sha256": r.audio.sha256, "audio_bytes": r.audio.size,
                "declared_media_type": r.audio.declared_media_type, "sniffed_media_type": r.audio.sniffed_media_type,
            }
        clip = r.clip_row()
        self.s.store.write(
            [("marks", r.mark_rows()), ("polls", r.poll_rows()), ("costs", r.costs), ("errors", r.errors),
             ("drift", r.drift), ("clips", [clip] if clip else [])],
            (self.job.job_key, update),
        )
        self.metrics = metrics
        if r.outcome == "ok" and metrics.get("e2e_ms") is not None and self.endpoint.role is Role.SUBMIT:
            processing = metrics.get("server_processing_ms")
            self.s.schedules[self.label].observe(
                len(self.job.item.text), float(metrics["e2e_ms"] or 0) / 1000.0,
                None if processing is None else processing / 1000.0,
            )


def _timeout(seconds: float, state: str | None) -> ProviderError:
    from harness.core.errors import TimeoutError_

    return TimeoutError_(f"the job did not finish within {seconds:g} s (last state {state or 'unknown'})")


def _stream_audio(data: bytes) -> bytes:
    """Audio bytes carried by Server-Sent Events (`data:` lines, base64 or JSON with a base64 field);
    bytes that are not SSE are returned unchanged."""
    import base64

    if not data.lstrip().startswith((b"data:", b"event:", b"id:", b":")):
        return data
    out = bytearray()
    for line in data.splitlines():
        if not line.startswith(b"data:"):
            continue
        payload = line[5:].strip()
        if not payload or payload == b"[DONE]":
            continue
        chunk: Any = payload
        if payload.startswith(b"{"):
            try:
                event = json.loads(payload)
            except ValueError:
                continue
            chunk = next((event[k] for k in ("audio", "chunk", "data", "audio_base64") if isinstance(
                event.get(k), str)), None)
            if chunk is None:
                continue
        try:
            out += base64.b64decode(chunk, validate=False)
        except ValueError:
            continue
    return bytes(out)
