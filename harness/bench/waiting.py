"""Waiting for an asynchronous job: polling on the adaptive (or fixed) schedule, or a webhook with
sparse polls as a safety net; every status answer validated, the lifecycle checked over the whole
sequence, server timestamps kept for the latency estimate.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any, NoReturn

from harness.bench.config import PollingMode
from harness.bench.exchange import ExchangeFailed
from harness.bench.job import Failed, Job
from harness.bench.polling import PROBE_POLL_S, PollContext, second_origins, stamp_resolution
from harness.bench.stampbook import Convention
from harness.bench.timing import Mark, PollRecord, learn_clock_from_completion, now, read_server_times, wall_of
from harness.bench.webhook import Callback
from harness.core.drift import resolve
from harness.core.errors import (
    ContractViolation,
    ErrorClass,
    LostResult,
    ProviderError,
    ServerError,
    TimeoutError_,
)
from harness.core.lifecycle import Lifecycle
from harness.core.retry import retryable_status
from harness.core.spec import Endpoint, JobBinding, Role
from harness.core.transport import error_of, path_fields, retry_after_seconds
from harness.core.validate import check_request_json

MAX_POLL_FAILURES = 5  # consecutive 404s (the job forgotten) or refusals no retry changes before giving up


async def wait_and_fetch(job: Job) -> None:
    """Poll (or await the callback of) a submitted job until it ends, then fetch its audio."""
    record, binding = job.record, job.endpoint.job
    assert binding is not None and record.provider_job_id is not None
    status_endpoint = job.provider.endpoint(binding.status_endpoint)
    lifecycle = status_endpoint.lifecycle or job.endpoint.lifecycle
    assert lifecycle is not None
    callback = _expect_callback(job)
    hub = job.services.hub
    # A job picked up after a crash gets its full timeout from now: the crash was not its fault.
    started = now() if record.resumed else record.marks.values.get(Mark.REQUEST_SENT, record.marks.start)
    job.deadline = started + job.services.config.run.job_timeout  # polls and the download share it
    try:
        body = await _poll_until_terminal(job, status_endpoint, binding, callback)
    except Failed:
        # Accepted but never seen to end: the provider charges accepted jobs unless they end uncharged.
        job.charge("documented-price")
        raise
    finally:
        if callback is not None and hub is not None:
            hub.forget(job.provider.name, record.provider_job_id)
    state = body.get(lifecycle.status_field)
    record.final_status = str(state)
    _server_times(job, binding, body)
    if not record.resumed:  # a resumed job's bracket spans the crash
        learn_clock_from_completion(job.services.stamps.of(job.provider.name), record.marks, record.polls,
                                    record.server_raw[2])
    violations = lifecycle.check_sequence(record.status_bodies)
    if violations:
        record.error("poll", ErrorClass.CONTRACT, "status sequence breaks the lifecycle: "
                     + "; ".join(str(v) for v in violations[:3]), violations=violations)
    if state in lifecycle.uncharged:
        record.cost(charged=False, basis=f"uncharged-state:{state}")
    else:
        job.charge("documented-price")
    if state not in lifecycle.success:
        message = "job ended " + str(state)
        if binding.error_pointer:
            _, detail = resolve(body, binding.error_pointer)
            message += f": {detail}" if detail else ""
        job.fail("poll", ServerError(message))
    found, media_url = resolve(body, binding.media_pointer)
    if not found or not isinstance(media_url, str):
        job.fail("poll", ContractViolation(f"no media URL at {binding.media_pointer} in a {state} status"))
    declared = None
    if binding.media_type_pointer:
        _, declared = resolve(body, binding.media_type_pointer)

    async def fresh_link() -> str | None:
        """A signed media URL that expired: the status answer hands out a new one."""
        again = await _poll_once(job, status_endpoint, binding, lifecycle, 0.0, "refresh-media")
        found, url = resolve(again, binding.media_pointer) if again is not None else (False, None)
        return url if found and isinstance(url, str) else None

    await job.download(str(media_url), declared if isinstance(declared, str) else None, fresh_link)


def _expect_callback(job: Job) -> asyncio.Future[Callback] | None:
    hub, record = job.services.hub, job.record
    if hub is None or job.services.config.polling.mode is not PollingMode.WEBHOOK or not job.webhook_headers():
        record.delivery = "poll"
        return None
    record.delivery = "webhook"
    assert record.provider_job_id is not None
    return hub.expect(job.provider.name, record.provider_job_id)


async def _poll_until_terminal(job: Job, endpoint: Endpoint, binding: JobBinding,
                               callback: asyncio.Future[Callback] | None) -> Mapping[str, Any]:
    record, timeout, deadline = job.record, job.services.config.run.job_timeout, job.deadline
    lifecycle = endpoint.lifecycle or job.endpoint.lifecycle
    assert lifecycle is not None and record.provider_job_id is not None
    schedule = job.services.schedules[job.label]
    sent = record.marks.values.get(Mark.REQUEST_SENT, record.marks.start)
    failures, last_pending = 0, None
    while True:
        elapsed = now() - sent
        clock = job.services.stamps.of(job.provider.name)
        origins = second_origins(clock, wall_of(sent), binding.completed_pointer is not None)
        last = record.polls[-1] if record.polls else None
        delay, reason = schedule.next_delay(PollContext(
            elapsed, sum(not p.queued for p in record.polls), last_pending, len(job.planned.item.text),
            second_origin=origins.origin, stamp_resolution=stamp_resolution(clock),
            round_origin=origins.round_origin, origin_doubt=origins.doubt,
            round_trip=0.0 if last is None or last.received is None else last.received - last.sent,
            queued=last is not None and last.queued and not lifecycle.transitions.get(
                last.provider_status or "", frozenset()) & lifecycle.success,
            started=_left_queue(record.polls, sent)))
        if callback is not None:
            delay, reason = max(delay * 4, 2.0), "webhook-fallback"  # webhooks lead; polls are a net
        if job.probe is not None and not record.polls:
            # A held submit's created_at is what the provider's next held submit waits on: read it at once.
            delay, reason = min(delay, PROBE_POLL_S), "clock"
        if record.resumed and not record.polls:
            delay, reason = 0.0, "resume"  # it may have finished while the runner was down
        if failures:  # after a failed poll: the provider's backoff (Retry-After has closed its gate)
            delay, reason = job.provider.retry.backoff(failures), "backoff"
        if now() + delay > deadline:
            delay = max(deadline - now(), 0.0)
        if callback is not None:
            try:
                done = await asyncio.wait_for(asyncio.shield(callback), timeout=delay)
            except TimeoutError:
                pass
            else:
                return _on_callback(job, done)
        else:
            await asyncio.sleep(delay)
        if now() >= deadline:
            _deadline_passed(job, timeout, failures)
        body = await _poll_once(job, endpoint, binding, lifecycle, delay, reason)
        if body is None:
            failures += 1
            _after_failed_polls(job, failures)
            continue
        failures = 0
        state = body.get(lifecycle.status_field)
        poll = record.polls[-1]
        if state in lifecycle.terminal:
            poll.terminal = True
            record.marks.set(Mark.TERMINAL, poll.received)
            return body
        poll.pending = True
        poll.queued = state in lifecycle.initial
        last_pending = poll.sent - sent
        record.marks.set(Mark.LAST_PENDING, poll.sent, overwrite=True)
        if state not in lifecycle.initial:
            record.marks.set(Mark.FIRST_PROCESSING, poll.received)


def _left_queue(polls: list[PollRecord], sent: float) -> float | None:
    """When the job left the queue, as elapsed time since `sent`: the middle of the last poll that saw it
    queued (or the submit) and the first that saw it further on; None until one has."""
    onward = next((p for p in polls if (p.pending or p.terminal) and not p.queued), None)
    if onward is None or onward.received is None:
        return None
    queued = [p.sent for p in polls if p.queued and p.seq < onward.seq]
    return ((queued[-1] if queued else sent) + onward.received) / 2 - sent


def _deadline_passed(job: Job, timeout: float, failures: int) -> NoReturn:
    """The job's time is up. Still pending by the provider's last word: a time-out. Its state unknown because
    the last polls failed (an outage of the status endpoint): the job is kept `unfetched`, to fetch later."""
    if failures:
        job.unfetched("poll", TimeoutError_(
            f"the status endpoint failed {failures} times in a row until the job's {timeout:g} s deadline"))
    seen = next((p.provider_status for p in reversed(job.record.polls) if p.provider_status), None)
    job.fail("poll", _timeout(timeout, seen))


def _after_failed_polls(job: Job, failures: int) -> None:
    """An outage (5xx, 429, resets, time-outs, unreadable answers) is waited out until the deadline. Only
    `MAX_POLL_FAILURES` answers in a row that no retry changes end the wait sooner: 404s for a job the
    provider accepted (it is lost), or refusals such as 401 (kept unfetched: a later resume may pass)."""
    record = job.record
    recent = record.polls[-failures:]
    if failures < MAX_POLL_FAILURES or any(p.http_status is None or retryable_status(p.http_status)
                                           or p.error_class == ErrorClass.PROTOCOL for p in recent):
        return
    if all(p.http_status == 404 for p in recent):
        # It accepted the job, then no longer knows it: nothing will bring the result back.
        job.fail("poll", LostResult(
            f"the provider answers 404 for job {record.provider_job_id}, which it accepted: "
            f"the job is lost ({failures} status requests)", status=404))
    last = recent[-1].http_status
    job.unfetched("poll", ProviderError(f"{failures} status requests in a row were refused (last {last})",
                                        status=last))


def _on_callback(job: Job, callback: Callback) -> Mapping[str, Any]:
    record = job.record
    record.marks.set(Mark.WEBHOOK_RECEIVED, callback.received)
    record.marks.set(Mark.TERMINAL, callback.received)
    record.status_bodies.append(callback.body)
    callback_endpoint = next(iter(job.provider.by_role(Role.CALLBACK)), None)
    if callback_endpoint is not None and callback_endpoint.request is not None:
        verdict = check_request_json(callback_endpoint, callback.body)
        if verdict.drift:
            record.add_drift(callback_endpoint.key, "webhook", verdict.drift)
        if not verdict.ok:
            record.error("webhook", ErrorClass.CONTRACT, "callback breaks the contract: "
                         + "; ".join(str(v) for v in verdict.violations[:3]), violations=verdict.violations)
    return callback.body


def status_call(endpoint: Endpoint, binding: JobBinding, job_id: str
                ) -> tuple[dict[str, str] | None, dict[str, str] | None]:
    """Where a status request carries the job id: (path parameters, payload)."""
    if binding.status_param in path_fields(endpoint.path):
        return {binding.status_param: job_id}, None
    return None, {binding.status_param: job_id}


async def _poll_once(job: Job, endpoint: Endpoint, binding: JobBinding, lifecycle: Lifecycle, delay: float,
                     reason: str) -> Mapping[str, Any] | None:
    """One status request; its body when it is a readable answer, None for a failed poll (recorded)."""
    record = job.record
    assert record.provider_job_id is not None
    path_params, payload = status_call(endpoint, binding, record.provider_job_id)
    gate = job.gate
    await gate.ready()
    request = job.request(endpoint, payload, "poll", path_params=path_params)
    poll = PollRecord(len(record.polls), reason, delay, now())
    record.polls.append(poll)
    try:
        exchange = await job.send(request)
    except ExchangeFailed as failure:
        poll.error_class = str(failure.error.error_class)
        record.error("poll", failure.error.error_class, str(failure.error))
        return None
    response = exchange.response
    poll.sent, poll.received = exchange.sent, exchange.headers_received
    poll.http_status, poll.connection_reused = response.status_code, exchange.trace.reused
    gate.note(response.status_code, response.headers, retry_after_seconds(response))
    error = error_of(response, job.services.target.secrets)
    if error is not None:
        poll.error_class = str(error.error_class)
        job.check_answer(endpoint, exchange, "poll")
        record.error("poll", error.error_class, str(error), status=response.status_code)
        if error.retry_after is not None:
            gate.close_for(error.retry_after)
        return None
    job.check_answer(endpoint, exchange, "poll")
    try:
        body = json.loads(exchange.body)
    except ValueError:
        poll.error_class = str(ErrorClass.PROTOCOL)
        record.error("poll", ErrorClass.PROTOCOL, f"status answer is not JSON: {exchange.body[:80]!r}",
                     status=response.status_code)
        return None
    if not isinstance(body, dict):
        poll.error_class = str(ErrorClass.PROTOCOL)
        record.error("poll", ErrorClass.PROTOCOL, "status answer is not a JSON object")
        return None
    poll.provider_status = str(body.get(lifecycle.status_field))
    record.status_bodies.append(body)
    if binding.created_pointer is not None:
        found, created = resolve(body, binding.created_pointer)
        _learn_offset(job, created if found and isinstance(created, str) else None)
    return body


def _server_times(job: Job, binding: JobBinding, body: Mapping[str, Any]) -> None:
    def at(pointer: str | None) -> str | None:
        if pointer is None:
            return None
        found, value = resolve(body, pointer)
        return value if found and isinstance(value, str) else None

    created, started, completed = at(binding.created_pointer), at(binding.started_pointer), at(
        binding.completed_pointer)
    _declare_convention(job, binding)
    _learn_offset(job, created)
    job.record.server = read_server_times(job.services.stamps.of(job.provider.name), created, started, completed)
    job.record.server_raw = (created, started, completed)


def _declare_convention(job: Job, binding: JobBinding) -> None:
    """A provider whose documents say how its stamps round needs no evidence for it."""
    if binding.stamp_convention is not None:
        job.services.stamps.of(job.provider.name).declared = Convention(binding.stamp_convention)


def _learn_offset(job: Job, created: str | None) -> None:
    """The submit was in flight when the server stamped `created_at`: one more bound on its clock."""
    record = job.record
    sent = record.marks.values.get(Mark.REQUEST_SENT)
    if created is None or sent is None or record.resumed or record.offset_learned:
        return
    received = record.marks.values.get(Mark.RESPONSE_HEADERS, sent)
    job.services.stamps.of(job.provider.name).observe_submit(created, wall_of(sent), wall_of(received))
    record.offset_learned = True
    if job.probe is not None:  # a held submit's stamp is read: the provider's next submit may be held
        job.probe.answered(received - sent)
        job.probe = None


def _timeout(seconds: float, state: str | None) -> ProviderError:
    return TimeoutError_(f"the job did not finish within {seconds:g} s (last state {state or 'unknown'})")
