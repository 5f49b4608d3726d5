"""Waiting for an asynchronous job: polling on the adaptive (or fixed) schedule, or a webhook with
sparse polls as a safety net; every status answer validated, the lifecycle checked over the whole
sequence, server timestamps kept for the latency estimate.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

from harness.bench.config import PollingMode
from harness.bench.exchange import ExchangeFailed, send
from harness.bench.job import Failed, JobBase
from harness.bench.polling import PollContext, second_origin, stamp_resolution
from harness.bench.timing import Mark, PollRecord, now, read_server_times, wall_of
from harness.bench.webhook import Callback
from harness.core.drift import resolve
from harness.core.errors import ContractViolation, ErrorClass, ProviderError, ServerError, TimeoutError_
from harness.core.lifecycle import Lifecycle
from harness.core.spec import Endpoint, JobBinding, Role
from harness.core.timestamps import parse_timestamp
from harness.core.transport import error_of, path_fields, retry_after_seconds
from harness.core.validate import check_request_json

MAX_POLL_FAILURES = 5  # consecutive failed polls before a job is given up
POLL_BACKOFF_S = 0.25  # first retry delay after a failed poll; doubles per failure


class Waiting(JobBase):
    """Polls (or awaits the callback of) a submitted job until it ends, then fetches its audio."""

    async def _wait_and_fetch(self) -> None:
        binding = self.endpoint.job
        assert binding is not None and self.r.provider_job_id is not None
        status_endpoint = self.provider.endpoint(binding.status_endpoint)
        lifecycle = status_endpoint.lifecycle or self.endpoint.lifecycle
        assert lifecycle is not None
        callback = self._expect_callback()
        try:
            body = await self._poll_until_terminal(status_endpoint, binding, callback)
        except Failed:
            # Accepted but never seen to end: the provider charges accepted jobs unless they end uncharged.
            self.charged += self.r.cost(charged=True, basis="documented-price")
            raise
        finally:
            if callback is not None and self.s.hub is not None:
                self.s.hub.forget(self.provider.name, self.r.provider_job_id)
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
        # A job picked up after a crash gets its full timeout from now: the crash was not its fault.
        deadline = (now() if self.r.resumed else sent) + self.s.config.job_timeout
        failures, last_pending, processing_since = 0, None, None
        while True:
            elapsed = now() - sent
            clock = self.s.stamps.of(self.provider.name)
            delay, reason = schedule.next_delay(PollContext(
                elapsed, len(self.r.polls), last_pending, len(self.job.item.text), processing_since,
                second_origin=second_origin(clock, wall_of(sent)), stamp_resolution=stamp_resolution(clock)))
            if callback is not None:
                delay, reason = max(delay * 4, 2.0), "webhook-fallback"  # webhooks lead; polls are a net
            if self.r.resumed and not self.r.polls:
                delay, reason = 0.0, "resume"  # it may have finished while the runner was down
            if failures:
                delay, reason = POLL_BACKOFF_S * 2 ** (failures - 1), "backoff"
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
                seen = next((p.provider_status for p in reversed(self.r.polls) if p.provider_status), None)
                self._fatal("poll", _timeout(self.s.config.job_timeout, seen))
            body = await self._poll_once(endpoint, binding, delay, reason)
            if body is None:
                failures += 1
                if failures >= MAX_POLL_FAILURES:
                    # The job ends in the class of the last failure (a 5xx, a reset, a timeout).
                    error_class = self.r.errors[-1]["error_class"] if self.r.errors else ErrorClass.TRANSPORT
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

    def _on_callback(self, callback: Callback, lifecycle: Lifecycle) -> Mapping[str, Any]:
        self.r.marks.set(Mark.WEBHOOK_RECEIVED, callback.received)
        self.r.marks.set(Mark.TERMINAL, callback.received)
        self.r.status_bodies.append(callback.body)
        callback_endpoint = next(iter(self.provider.by_role(Role.CALLBACK)), None)
        if callback_endpoint is not None and callback_endpoint.request is not None:
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
        if binding.created_pointer is not None:
            found, created = resolve(body, binding.created_pointer)
            self._learn_offset(created if found and isinstance(created, str) else None)
        return body

    def _server_times(self, binding: JobBinding, body: Mapping[str, Any]) -> None:
        def at(pointer: str | None) -> str | None:
            if pointer is None:
                return None
            found, value = resolve(body, pointer)
            return value if found and isinstance(value, str) else None

        created, started, completed = at(binding.created_pointer), at(binding.started_pointer), at(
            binding.completed_pointer)
        self._learn_offset(created)
        self.r.server = read_server_times(self.s.stamps.of(self.provider.name), created, started, completed)
        self.r.server_raw = (created, started, completed)

    def _learn_offset(self, created: str | None) -> None:
        """The submit was in flight when the server stamped `created_at`: one more bound on its clock."""
        sent = self.r.marks.values.get(Mark.REQUEST_SENT)
        if created is None or sent is None or self.r.resumed or self.r.offset_learned:
            return
        received = self.r.marks.values.get(Mark.RESPONSE_HEADERS, sent)
        self.s.stamps.of(self.provider.name).observe_submit(created, wall_of(sent), wall_of(received))
        self.r.offset_learned = True


def _timeout(seconds: float, state: str | None) -> ProviderError:
    return TimeoutError_(f"the job did not finish within {seconds:g} s (last state {state or 'unknown'})")
