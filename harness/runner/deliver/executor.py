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

from harness.core.answer_errors import error_in
from harness.core.drift import resolve
from harness.core.errors import ContractViolation, ErrorClass, ProtocolError
from harness.core.retry import retryable
from harness.core.spec import JsonBody, Role
from harness.core.transport import error_of, retry_after_seconds
from harness.core.validate import media_type_of
from harness.measurement import job_figures
from harness.results import JobOutcome, JobSubmitted, KeptAudio
from harness.runner.deliver.answer_format import header_words
from harness.runner.deliver.audio_answer import fetch_direct
from harness.runner.deliver.audio_keeping import keep_audio
from harness.runner.deliver.billing import read_submit_billing
from harness.runner.deliver.exchange import Exchange, ExchangeFailed
from harness.runner.deliver.job import Failed, Job, RunServices
from harness.runner.deliver.rpc_speech import fetch_rpc
from harness.runner.deliver.socket_speech import fetch_realtime
from harness.runner.deliver.waiting import wait_and_fetch
from harness.runner.record.provenance import iso_from_epoch
from harness.runner.record.records import JobRecord
from harness.runner.record.timing import Mark, wall_of

__all__ = ["Failed", "RunServices", "run_job"]


async def run_job(services: RunServices, record: JobRecord) -> Decimal:
    """Drive one job through its endpoint's role and store its result; returns the USD charged."""
    job = Job(services, record)
    try:
        if record.provider_job_id is not None:  # resumed: submitted before the crash
            await wait_and_fetch(job)
        elif record.job.selection.offering.channel is not None:
            await fetch_realtime(job)
        elif record.job.selection.offering.rpc is not None:
            await fetch_rpc(job)
        elif job.endpoint.role is Role.SUBMIT:
            await _submit_job(job)
        elif job.endpoint.role in (Role.AUDIO, Role.STREAM):
            await fetch_direct(job)
        else:
            record.error("plan", ErrorClass.VALIDATION, f"{job.endpoint.key} is not a synthesis endpoint", fatal=True)
    except Failed:
        pass
    if record.outcome is None:
        record.outcome = "ok"
    _finish(job)
    return job.charged


async def _send_attempt(job: Job, phase: str) -> Exchange:
    """Commit `submitting`, send, and account for an attempt that got no answer."""
    record = job.record
    await job.hold_submit()
    await job.ready()
    record.attempt += 1
    if record.attempt == 1:
        record.marks.set(Mark.REQUEST_SENT)  # provisional: replaced by the trace's instant below
    job.commit_submitting()
    request = job.request(job.endpoint, job.planned.payload, phase, headers=job.webhook_headers())
    try:
        return await job.send(request)
    except ExchangeFailed as failure:
        # Sent but unanswered: the provider may have acted on it; count it as charged (worst case).
        if failure.reached_server:
            job.charge("unknown-outcome:" + str(failure.error.error_class))
        else:
            record.cost(charged=False, basis="not-sent:" + str(failure.error.error_class))
        record.error(phase, failure.error.error_class, str(failure.error), fatal=True)
        raise Failed from None


async def _submit(job: Job, phase: str) -> Exchange:
    """Submit until accepted or refused; answers that say the submit was refused unread (408, 425, 429, 503
    with Retry-After: `harness.core.retry`) are retried after the provider's backoff or their Retry-After."""
    record, retries = job.record, 0
    while True:
        exchange = await _send_attempt(job, phase)
        job.note_http(exchange)
        response = exchange.response
        error = error_of(response, job.services.target.secrets)
        job.gate.note(response.status_code, response.headers, retry_after_seconds(response))
        if error is None:
            return exchange
        record.cost(charged=False, basis=f"rejected:{response.status_code}")
        if retryable(error, idempotent=False) and retries < job.services.config.run.max_rate_limit_retries:
            retries += 1
            record.error(phase, error.error_class, str(error), status=response.status_code)
            job.gate.close_for(job.provider.retry.delay(retries, error.retry_after))
            continue
        job.check_answer(job.endpoint, exchange, phase)
        record.final_status = str(response.status_code)
        record.error(phase, error.error_class, str(error), status=response.status_code, fatal=True)
        raise Failed


def _fail_if_the_submit_says_so(job: Job, body: Any) -> None:
    """A 2xx submit answer that says it failed, where the declaration says where its errors are (the jobs
    family's `Submit.errors`, on the success body): that error, classified as a non-2xx answer is, and not
    charged. Undeclared, such an answer is one without a job id."""
    endpoint = job.endpoint
    success = endpoint.response_for(endpoint.success_status)
    rules = next(
        (
            b.errors
            for b in (success.bodies if success is not None else ())
            if isinstance(b, JsonBody) and b.errors is not None
        ),
        None,
    )
    said = error_in(body, rules) if rules is not None else None
    if said is not None and rules is not None:
        job.record.cost(charged=False, basis="rejected:in-body")
        job.fail("submit", said.classified(endpoint.signature, rules, job.services.target.secrets))


async def _submit_job(job: Job) -> None:
    record, endpoint = job.record, job.endpoint
    exchange = await _submit(job, "submit")
    response = exchange.response
    media_type = media_type_of(response.headers.get("content-type"))
    if media_type.startswith("audio/") or media_type == "application/octet-stream":
        # An asynchronous endpoint that answered with the audio itself (documented drift).
        job.check_answer(endpoint, exchange, "submit")
        record.delivery = "sync"
        job.charge("documented-price")
        record.marks.set(Mark.TERMINAL, exchange.last_byte)
        keep_audio(job, exchange, "submit", words=header_words(response.headers.get("content-type")))
        return
    binding = endpoint.job
    if binding is None:
        raise ValueError(f"{endpoint.key} is a SUBMIT endpoint without a JobBinding")
    violated = job.check_answer(endpoint, exchange, "submit")
    try:
        body = json.loads(exchange.body)
    except ValueError:
        # Accepted (2xx) but unreadable: the provider has the job and will charge for it.
        job.charge("documented-price")
        job.fail(
            "submit",
            ProtocolError(
                f"{endpoint.signature}: 2xx answer is not JSON: {exchange.body[:80]!r}", status=response.status_code
            ),
        )
    _fail_if_the_submit_says_so(job, body)
    read_submit_billing(job, exchange)  # what the accepted submit says the job is billed, for its cost row
    found, job_id = resolve(body, binding.id_pointer)
    if not found or not isinstance(job_id, str) or not job_id:
        job.charge("documented-price")
        kind = ContractViolation if not violated else ProtocolError
        job.fail("submit", kind(f"no job id at {binding.id_pointer} in the submit answer", status=response.status_code))
    record.marks.set(Mark.ACCEPTED)
    record.provider_job_id = job_id
    present, polling_url = (False, None)
    if binding.polling_url_pointer:
        present, polling_url = resolve(body, binding.polling_url_pointer)
    record.status_url = polling_url if present and isinstance(polling_url, str) else None
    _commit_submitted(job)
    await wait_and_fetch(job)


def _http_facts(record: JobRecord) -> dict[str, Any]:
    return {
        "http_version": record.http_version,
        "connection_reused": None if record.connection_reused is None else int(record.connection_reused),
        "connect_ms": record.connect_ms,
    }


def _commit_submitted(job: Job) -> None:
    """The job id and the first marks, committed before any waiting: a resume polls, never resubmits."""
    record = job.record
    job.services.store.write(
        [("marks", record.mark_rows())],
        (
            job.planned.job_key,
            JobSubmitted(
                state="submitted",
                provider_job_id=record.provider_job_id,
                status_url=record.status_url,
                **_http_facts(record),
            ),
        ),
    )


def _finish(job: Job) -> None:
    """Write down what the job observed, in one transaction. Its figures are not decided here: they are derived
    from all of the run's evidence when the run ends (`harness.measurement`)."""
    record = job.record
    record.marks.set(Mark.FINISHED, overwrite=True)
    if record.outcome == "ok" and record.audio is None:
        record.error("download", ErrorClass.PROTOCOL, "the job produced no audio", fatal=True)
    finished = record.marks.values[Mark.FINISHED]
    stamps = record.stamps
    audio = record.audio
    update = JobOutcome(
        state={"ok": "done", "unfetched": "unfetched"}.get(record.outcome or "", "failed"),
        attempts=record.attempt,
        provider_job_id=record.provider_job_id,
        provider_request_id=record.provider_job_id or record.provider_request_id,
        status_url=record.status_url,
        delivery=record.delivery,
        final_status=record.final_status,
        outcome=record.outcome,
        error_class=record.error_class,
        error_message=record.error_message,
        finished_at=iso_from_epoch(wall_of(finished)),
        resumed=int(record.resumed),
        start_offset_ms=record.start_offset_ms,
        in_flight_at_submit=record.in_flight_at_start,
        **_http_facts(record),
        polls=len(record.polls),
        poll_errors=sum(1 for p in record.polls if p.error_class),
        server_created_at=stamps.created,
        server_started_at=stamps.started,
        server_completed_at=stamps.completed,
        clock_origin_s=wall_of(record.marks.start),
        start_observable=int(job.start_observable),
        declared_convention=job.declared_convention,
        text_rate=record.text_rate,
        timing_marks=record.timing_marks,
        said_transcript=record.said_transcript,
        cost_usd=record.total_usd(),
        cost_source=record.cost_source(),
        cancel=record.cancel,
        audio=None
        if audio is None
        else KeptAudio(
            audio_path=str(audio.path),
            audio_sha256=audio.sha256,
            audio_bytes=audio.size,
            declared_media_type=audio.declared_media_type,
            sniffed_media_type=audio.sniffed_media_type,
            asked_media_type=record.asked_media_type,
        ),
    )
    clip = record.clip_row()
    job.services.store.write(
        [
            ("marks", record.mark_rows()),
            ("polls", record.poll_rows()),
            ("chunks", record.chunk_rows()),
            ("costs", record.costs),
            ("errors", record.errors),
            ("drift", record.drift),
            ("clips", [clip] if clip else []),
        ],
        (job.planned.job_key, update),
    )
    if record.outcome == "ok" and job.endpoint.role is Role.SUBMIT:
        _teach_schedule(job)


def _teach_schedule(job: Job) -> None:
    """The model's schedule learns how long its jobs take from this one, as the schedule's own clock places it
    now: a provisional view that decides when later jobs are asked, never a stored figure."""
    record = job.record
    figures = job_figures(job.evidence(), job.schedule_clock)
    if figures.get("e2e_ms") is None:
        return
    processing = figures.get("processing_ms")
    # The polls the job's budget counted: those that found it queued spend none of it (see polling's
    # AdaptiveSchedule), so counting them here would shrink the core of a provider that shows its queue.
    budgeted = sum(not poll.queued for poll in record.polls)
    job.services.schedules[job.label].observe(
        len(job.planned.item.text),
        float(figures["e2e_ms"]) / 1000.0,
        budgeted,
        None if processing is None else float(processing) / 1000.0,
    )
