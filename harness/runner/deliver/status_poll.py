"""One status request of an asynchronous job, and what its answer teaches: the job's state as the lifecycle
reads it, the server's stamps as written, and — for the poll schedule only — the provider's clock.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from harness.core.drift import resolve
from harness.core.errors import ErrorClass
from harness.core.lifecycle import Lifecycle
from harness.core.spec import Endpoint, JobBinding
from harness.core.transport import error_of, path_fields, retry_after_seconds
from harness.measurement import Seen, ServerStamps, learn_completion, learn_submit
from harness.runner.deliver.exchange import ExchangeFailed
from harness.runner.deliver.job import Job
from harness.runner.record.timing import Mark, PollRecord, now


def status_call(
    endpoint: Endpoint, binding: JobBinding, job_id: str
) -> tuple[dict[str, str] | None, dict[str, str] | None]:
    """Where a status request carries the job id: (path parameters, payload)."""
    if binding.status_param in path_fields(endpoint.path):
        return {binding.status_param: job_id}, None
    return None, {binding.status_param: job_id}


def stamps_in(binding: JobBinding, body: Mapping[str, Any]) -> ServerStamps:
    """The server's stamps a status answer carries, exactly as written."""

    def at(pointer: str | None) -> str | None:
        if pointer is None:
            return None
        found, value = resolve(body, pointer)
        return value if found and isinstance(value, str) else None

    return ServerStamps(at(binding.created_pointer), at(binding.started_pointer), at(binding.completed_pointer))


def seen_in(lifecycle: Lifecycle, state: Any) -> Seen:
    if state in lifecycle.terminal:
        return Seen.FINISHED
    return Seen.QUEUED if state in lifecycle.initial else Seen.RUNNING


def teach_schedule_clock(job: Job, stamps: ServerStamps, *, finished: bool = False) -> None:
    """What the schedule knows of the provider's clock, from this job's stamps (the same rules the run's
    figures are derived with, `harness.measurement.clock_learning`): its submit once `created_at` is read, its
    completion once it has finished. The schedule uses it to decide when to ask, never what a figure is."""
    record = job.record
    record.stamps = ServerStamps(
        stamps.created or record.stamps.created,
        stamps.started or record.stamps.started,
        stamps.completed or record.stamps.completed,
    )
    clock = job.schedule_clock
    evidence = job.evidence()
    if not record.offset_learned and record.stamps.created is not None and learn_submit(clock, evidence):
        record.offset_learned = True
        if job.probe is not None:  # a held submit's stamp is read: the provider's next submit may be held
            sent = record.marks.values.get(Mark.REQUEST_SENT, record.marks.start)
            job.probe.answered(record.marks.values.get(Mark.RESPONSE_HEADERS, sent) - sent)
            job.probe = None
    if finished:
        learn_completion(clock, evidence)


async def poll_once(
    job: Job, endpoint: Endpoint, binding: JobBinding, lifecycle: Lifecycle, delay: float, reason: str
) -> Mapping[str, Any] | None:
    """One status request; its body when it is a readable answer, None for a failed poll (recorded)."""
    record = job.record
    assert record.provider_job_id is not None
    path_params, payload = status_call(endpoint, binding, record.provider_job_id)
    gate = job.gate
    await job.ready()  # never past the job's deadline
    request = job.request(endpoint, payload, "poll", path_params=path_params)
    poll = PollRecord(seq=len(record.polls), reason=reason, planned_delay=delay, sent=now())
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
        record.error(
            "poll",
            ErrorClass.PROTOCOL,
            f"status answer is not JSON: {exchange.body[:80]!r}",
            status=response.status_code,
        )
        return None
    if not isinstance(body, dict):
        poll.error_class = str(ErrorClass.PROTOCOL)
        record.error("poll", ErrorClass.PROTOCOL, "status answer is not a JSON object")
        return None
    state = body.get(lifecycle.status_field)
    if not isinstance(state, str):
        # No state name, or a list or an object where one goes: nothing to read the job's progress from.
        poll.error_class = str(ErrorClass.PROTOCOL)
        record.error(
            "poll",
            ErrorClass.PROTOCOL,
            f"status answer has no state at /{lifecycle.status_field}: "
            f"{'missing' if state is None else repr(state)[:80]}",
            status=response.status_code,
        )
        return None
    poll.provider_status, poll.seen = state, seen_in(lifecycle, state)
    stamps = stamps_in(binding, body)
    poll.stamps = (stamps.created, stamps.started, stamps.completed)
    record.status_bodies.append(body)
    teach_schedule_clock(job, replace(stamps, completed=None))
    return body
