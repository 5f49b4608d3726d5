"""One job, end to end: submit, wait (poll or webhook), download, classify, price, and write it down.

Provider-agnostic: everything comes from the spec (`Endpoint.role`, `JobBinding` pointers, the
lifecycle and its uncharged states, the price function). Every answer is validated as it arrives;
violations become `contract` errors. The order of commits is what makes a crash safe: `submitting`
(attempt n) before the submit goes out, `submitted` (job id and first marks) before any waiting, and
the whole result in one transaction at the end.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from harness.bench.direct import Direct
from harness.bench.exchange import Exchange, ExchangeFailed, send
from harness.bench.job import Failed, Services
from harness.bench.provenance import iso_from_epoch
from harness.bench.timing import Mark, derive, now, wall_of
from harness.bench.waiting import POLL_BACKOFF_S, Waiting
from harness.core.drift import resolve
from harness.core.errors import ContractViolation, ErrorClass, ProtocolError
from harness.core.spec import Role
from harness.core.transport import error_of, retry_after_seconds
from harness.core.validate import media_type_of

__all__ = ["Failed", "JobExecution", "Services"]


class JobExecution(Waiting, Direct):
    """Drives one `JobRecord` through its endpoint's role."""

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

    def _finish(self) -> None:
        r = self.r
        finished = now()
        if r.outcome == "ok" and r.audio is None:
            r.error("download", ErrorClass.PROTOCOL, "the job produced no audio", fatal=True)
        metrics = derive(r.marks, r.polls, r.server, finished, self.s.stamps.of(self.provider.name))
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
            **r.stream_figures,
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
