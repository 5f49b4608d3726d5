"""Waiting for an asynchronous job: polling on the adaptive (or fixed) schedule, or a webhook with
sparse polls as a safety net; every status answer validated (`status_poll`), the lifecycle checked over the
whole sequence, the server's stamps kept as evidence for the figures derived after the run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, NoReturn

from harness.core.drift import resolve
from harness.core.errors import (
    ContractViolation,
    ErrorClass,
    LostResult,
    ProtocolError,
    ProviderError,
    ServerError,
)
from harness.core.lifecycle import Lifecycle
from harness.core.retry import retryable_status
from harness.core.spec import Endpoint, JobBinding, Role
from harness.core.validate import check_request_json
from harness.runner.deliver.audio_keeping import download_audio
from harness.runner.deliver.job import Failed, Job
from harness.runner.deliver.polling import PollContext, PollStep, next_poll, second_origins, stamp_resolution
from harness.runner.deliver.status_poll import poll_once, stamps_in, teach_schedule_clock
from harness.runner.deliver.webhook import Callback
from harness.runner.plan.config import PollingMode
from harness.runner.record.timing import Mark, PollRecord, now, wall_of

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
    if not isinstance(state, str):  # a callback's body (a poll's is read in `status_poll`): no state name in it
        job.charge("documented-price")
        job.fail(
            "webhook",
            ProtocolError(
                f"the job's last word has no state at /{lifecycle.status_field}: "
                f"{'missing' if state is None else repr(state)[:80]}"
            ),
        )
    record.final_status = state
    teach_schedule_clock(job, stamps_in(binding, body), finished=True)
    violations = lifecycle.check_sequence(record.status_bodies)
    if violations:
        record.error(
            "poll",
            ErrorClass.CONTRACT,
            "status sequence breaks the lifecycle: " + "; ".join(str(v) for v in violations[:3]),
            violations=violations,
        )
    if state in lifecycle.uncharged:
        record.cost(charged=False, basis=f"uncharged-state:{state}")
    else:
        job.charge("documented-price")
    detail = _error_said(binding, body)
    if state not in lifecycle.success:
        job.fail("poll", ServerError(f"job ended {state}" + (f": {detail}" if detail else "")))
    if detail:
        # An answer that carries an error is an error, even with a media URL beside it.
        job.fail("poll", ServerError(f"job ended {state} with an error at {binding.error_pointer}: {detail}"))
    found, media_url = resolve(body, binding.media_pointer)
    if not found or not isinstance(media_url, str):
        job.fail("poll", ContractViolation(f"no media URL at {binding.media_pointer} in a {state} status"))
    declared = None
    if binding.media_type_pointer:
        _, declared = resolve(body, binding.media_type_pointer)

    async def fresh_link() -> str | None:
        """A signed media URL that expired: the status answer hands out a new one."""
        again = await poll_once(job, status_endpoint, binding, lifecycle, 0.0, "refresh-media")
        found, url = resolve(again, binding.media_pointer) if again is not None else (False, None)
        return url if found and isinstance(url, str) else None

    await download_audio(job, str(media_url), declared if isinstance(declared, str) else None, fresh_link)


def _error_said(binding: JobBinding, body: Mapping[str, Any]) -> Any:
    """What the status answer says went wrong, where the documents put it (None, "" and an empty value: nothing)."""
    if not binding.error_pointer:
        return None
    _, detail = resolve(body, binding.error_pointer)
    return detail if detail not in (None, "", {}, []) else None


def _expect_callback(job: Job) -> asyncio.Future[Callback] | None:
    hub, record = job.services.hub, job.record
    if hub is None or job.services.config.polling.mode is not PollingMode.WEBHOOK or not job.webhook_headers():
        record.delivery = "poll"
        return None
    record.delivery = "webhook"
    assert record.provider_job_id is not None
    return hub.expect(job.provider.name, record.provider_job_id)


async def _poll_until_terminal(
    job: Job, endpoint: Endpoint, binding: JobBinding, callback: asyncio.Future[Callback] | None
) -> Mapping[str, Any]:
    record, deadline = job.record, job.deadline  # the job's own: the polls and the download share it
    lifecycle = endpoint.lifecycle or job.endpoint.lifecycle
    assert lifecycle is not None and record.provider_job_id is not None
    failures = 0
    while True:
        delay, reason = next_poll(
            PollStep(
                learnt=_learnt(job, binding, lifecycle),
                gate_wait=job.gate.closed_for(),
                backoff=job.provider.retry.backoff(failures) if failures else None,
                resumed_first=record.resumed and not record.polls,
                probing=job.probe is not None and not record.polls,
                webhook=callback is not None,
                until_deadline=deadline.left(),
            )
        )
        if reason == "retry-after":
            job.gate.waits += 1  # the poll waits for the gate here, not in its `ready`
        if callback is not None:
            try:
                done = await asyncio.wait_for(asyncio.shield(callback), timeout=delay)
            except TimeoutError:
                pass
            else:
                return _on_callback(job, done)
        else:
            await asyncio.sleep(delay)
        if deadline.passed():
            _deadline_passed(job, failures)
        body = await poll_once(job, endpoint, binding, lifecycle, delay, reason)
        if body is None:
            failures += 1
            _after_failed_polls(job, failures)
            continue
        failures = 0
        poll = record.polls[-1]
        if poll.terminal:
            record.marks.set(Mark.TERMINAL, poll.received)
            return body
        record.marks.set(Mark.LAST_PENDING, poll.sent, overwrite=True)
        if not poll.queued:
            record.marks.set(Mark.FIRST_PROCESSING, poll.received)


def _learnt(job: Job, binding: JobBinding, lifecycle: Lifecycle) -> tuple[float, str]:
    """What the job's schedule says, from what the job has seen so far (seconds since its submit)."""
    record = job.record
    sent = record.marks.values.get(Mark.REQUEST_SENT, record.marks.start)
    clock = job.schedule_clock
    origins = second_origins(clock, wall_of(sent), binding.completed_pointer is not None)
    last = record.polls[-1] if record.polls else None
    pending = [p for p in record.polls if p.pending]
    return job.services.schedules[job.label].next_delay(
        PollContext(
            elapsed=now() - sent,
            polls=sum(not p.queued for p in record.polls),
            last_pending=pending[-1].sent - sent if pending else None,
            chars=len(job.planned.item.text),
            second_origin=origins.origin,
            stamp_resolution=stamp_resolution(clock),
            round_origin=origins.round_origin,
            origin_doubt=origins.doubt,
            round_trip=0.0 if last is None or last.received is None else last.received - last.sent,
            queued=last is not None
            and last.queued
            and not lifecycle.transitions.get(last.provider_status or "", frozenset()) & lifecycle.success,
            started=_left_queue(record.polls, sent),
        )
    )


def _left_queue(polls: list[PollRecord], sent: float) -> float | None:
    """When the job left the queue, as elapsed time since `sent`: the middle of the last poll that saw it
    queued (or the submit) and the first that saw it further on; None until one has."""
    onward = next((p for p in polls if (p.pending or p.terminal) and not p.queued), None)
    if onward is None or onward.received is None:
        return None
    queued = [p.sent for p in polls if p.queued and p.seq < onward.seq]
    return ((queued[-1] if queued else sent) + onward.received) / 2 - sent


def _deadline_passed(job: Job, failures: int) -> NoReturn:
    """The job's time is up. Still pending by the provider's last word: a time-out. Its state unknown because
    the last polls failed (an outage of the status endpoint, or a status answer cut at the deadline): the job is
    kept `unfetched`, to fetch later."""
    if failures:
        requests = "the last status request" if failures == 1 else f"the last {failures} status requests"
        job.unfetched("poll", job.deadline.reached(f"after {requests} failed"))
    seen = next((p.provider_status for p in reversed(job.record.polls) if p.provider_status), None)
    job.fail("poll", job.deadline.reached(f"before the job finished (last state {seen or 'unknown'})"))


def _after_failed_polls(job: Job, failures: int) -> None:
    """An outage (5xx, 429, resets, time-outs, unreadable answers) is waited out until the deadline. Only
    `MAX_POLL_FAILURES` answers in a row that no retry changes end the wait sooner: 404s for a job the
    provider accepted (it is lost), or refusals such as 401 (kept unfetched: a later resume may pass)."""
    record = job.record
    recent = record.polls[-failures:]
    if failures < MAX_POLL_FAILURES or any(
        p.http_status is None or retryable_status(p.http_status) or p.error_class == ErrorClass.PROTOCOL for p in recent
    ):
        return
    if all(p.http_status == 404 for p in recent):
        # It accepted the job, then no longer knows it: nothing will bring the result back.
        job.fail(
            "poll",
            LostResult(
                f"the provider answers 404 for job {record.provider_job_id}, which it accepted: "
                f"the job is lost ({failures} status requests)",
                status=404,
            ),
        )
    last = recent[-1].http_status
    job.unfetched("poll", ProviderError(f"{failures} status requests in a row were refused (last {last})", status=last))


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
            record.error(
                "webhook",
                ErrorClass.CONTRACT,
                "callback breaks the contract: " + "; ".join(str(v) for v in verdict.violations[:3]),
                violations=verdict.violations,
            )
    return callback.body
