"""Jobs whose answer is the audio itself: a plain audio body (sync), or a stream of Server-Sent Events
whose time to first audio is taken at the first *decodable* audio, not the first bytes.
"""

from __future__ import annotations

import json

from harness.core.answer_errors import error_in
from harness.core.audio_fields import AudioFieldError, carrier, json_audio
from harness.core.errors import ProtocolError
from harness.core.protocols.http_speech import asked_media_type
from harness.core.protocols.marks import EVENTS, JSON, NDJSON, answer_messages
from harness.core.protocols.marks_declared import endpoint_marks
from harness.core.redact import Redactor
from harness.core.spec import STREAM_ERRORS, EventStreamBody, JsonBody, NdjsonBody, Response, Role
from harness.core.sse import is_sse
from harness.core.stream_events import read_stream
from harness.core.transport import error_of, retry_after_seconds
from harness.core.verdict import Drift
from harness.runner.deliver.answer_format import (
    asked_claim,
    header_words,
    json_words,
    stream_disagreement,
    synthesis_of,
)
from harness.runner.deliver.audio_keeping import keep_audio
from harness.runner.deliver.billing import read_http_billing
from harness.runner.deliver.exchange import Exchange, ExchangeFailed
from harness.runner.deliver.job import Job
from harness.runner.deliver.marks_request import fetch_own_marks
from harness.runner.deliver.media import FirstAudio, join_audio_chunks, join_whole_files, stream_audio
from harness.runner.deliver.streaming import StreamWatch, chunk_evidence
from harness.runner.record.marks_evidence import answer_marks
from harness.runner.record.timing import Mark

STREAM_FINDING = "stream"  # the drift kind of what a stream did that leaves its audio whole


async def fetch_direct(job: Job) -> None:
    """Send the job's one request and read the audio from its answer."""
    record = job.record
    stream = job.endpoint.role is Role.STREAM and job.record.job.selection.offering.streams is not False
    record.delivery = "stream" if stream else "sync"
    asked = asked_media_type(job.provider, job.endpoint, job.planned.payload)  # headerless samples' type and rate
    record.asked_media_type = asked
    detector = FirstAudio(asked)
    first_audio: list[float] = []
    pending = bytearray()
    listener = StreamWatch()
    carried = carrier(job.endpoint.response_for(job.endpoint.success_status))  # audio as text in JSON or events
    where = carried.audio if carried is not None else None
    lines = isinstance(carried, NdjsonBody)

    events: list[bool] = []  # whether the stream carries events (SSE, NDJSON) or the audio itself: its first bytes

    def watch(chunk: bytes, at: float) -> None:
        if stream:
            listener.feed(chunk, at)
        if not stream or first_audio:
            return
        if not events:
            events.append(lines or is_sse(chunk))
        if not events[0]:  # the audio itself, sent as it is made: every piece counts
            if detector.feed(chunk):
                first_audio.append(at)
            return
        # Events may span chunks: decode only whole lines, and only until audio is found.
        pending.extend(chunk)
        cut = pending.rfind(b"\n") + 1
        if cut and detector.feed(stream_audio(bytes(pending[:cut]), where, lines=lines)):
            first_audio.append(at)
        del pending[:cut]

    gate = job.gate
    await gate.ready()
    record.attempt += 1
    job.commit_submitting()
    request = job.request(job.endpoint, job.planned.payload, "submit")
    try:
        exchange = await job.send(request, on_chunk=watch)
    except ExchangeFailed as failure:
        basis = "unknown-outcome:" if failure.reached_server else "not-sent:"
        job.charged += record.cost(charged=failure.reached_server, basis=basis + str(failure.error.error_class))
        job.fail("stream" if stream else "submit", failure.error)
    job.note_http(exchange)
    response = exchange.response
    gate.note(response.status_code, response.headers, retry_after_seconds(response))
    job.check_answer(job.endpoint, exchange, "submit", asked)
    error = error_of(response, job.services.target.secrets)
    record.final_status = str(response.status_code)
    if error is not None:
        record.cost(charged=False, basis=f"rejected:{response.status_code}")
        job.fail("submit", error)
    _fail_if_it_says_so(job, exchange.body)
    read_http_billing(job, exchange)  # what the answer says was billed, before its audio is taken out of it
    job.charge("documented-price")
    record.marks.set(Mark.TERMINAL, exchange.last_byte)
    if exchange.first_byte is not None:
        record.marks.set(Mark.MEDIA_FIRST_BYTE, exchange.first_byte)
    record.marks.set(Mark.MEDIA_LAST_BYTE, exchange.last_byte)
    if not stream and job.endpoint.role is Role.STREAM and carried is None and _chunked(exchange):
        record.delivery = "stream"  # declared whole, sent as it is made: a listener meets its seams all the same
    if stream:
        if first_audio:
            record.marks.set(Mark.FIRST_AUDIO, first_audio[0])
        record.chunks = chunk_evidence(listener.arrivals(exchange.sent, exchange.headers_received))
    seconds = _keep_answer(job, exchange, stream=stream, as_events=stream and (not events or events[0]))
    declared = endpoint_marks(job.provider, job.endpoint.key)
    if declared is not None and declared.lines:  # the marks come in place of audio: a request of their own
        await fetch_own_marks(job, declared, seconds)


def _chunked(exchange: Exchange) -> bool:
    """Whether the answer's body came chunked as it was made (HTTP/1.1 chunked transfer coding), not whole."""
    coding = exchange.response.headers.get("transfer-encoding", "")
    return "chunked" in coding.lower()


def _keep_answer(job: Job, exchange: Exchange, *, stream: bool, as_events: bool) -> float | None:
    """Take the audio out of a 2xx answer — refusing one that says it failed, a stream that is not whole, audio
    text that is not in its encoding — and keep it with what the answer and the request say it is, and the marks
    it carries; its seconds, where its bytes tell them."""
    response = exchange.response
    success = job.endpoint.response_for(job.endpoint.success_status)
    carried = carrier(success)  # audio as text in JSON or events
    lines = isinstance(carried, NdjsonBody)
    raw = exchange.body  # the answer as it came
    if as_events:
        exchange.body = _stream_audio(job, raw, _stream_body(success), lines=lines)
    elif carried is None:
        exchange.body = join_whole_files(raw)
    elif isinstance(carried, JsonBody) and carried.audio is not None:
        try:
            exchange.body = json_audio(raw, carried.audio)
        except AudioFieldError as error:
            job.fail("submit", ProtocolError(f"{job.endpoint.signature}: {error}", status=response.status_code))
    # What the answer says its audio is: the Content-Type where the body is the audio; where the audio travels in
    # JSON or events, the body's transport type says nothing of it, only the fields the synthesis declares do.
    if as_events or carried is not None:
        synthesis = synthesis_of(job.provider, job.endpoint)
        changed = stream_disagreement(synthesis, raw, lines=lines) if as_events else None
        if changed is not None:  # the pieces are of two forms: no one clip
            job.fail(
                "stream",
                ProtocolError(
                    Redactor(job.services.target.secrets).cut(
                        f"{job.endpoint.signature}: the stream's events disagree on their audio: {changed}", 300
                    )
                ),
            )
        words = json_words(synthesis, raw, lines=lines)
    else:
        words = header_words(response.headers.get("content-type"))
    seconds = keep_audio(
        job,
        exchange,
        "stream" if stream else "submit",
        asked=asked_claim(job.provider, job.endpoint, job.planned.payload),
        words=words,
    )
    form = (NDJSON if lines else EVENTS) if as_events else JSON if isinstance(carried, JsonBody) else ""
    _keep_marks(job, raw, form, seconds)
    return seconds


def _keep_marks(job: Job, raw: bytes, form: str, seconds: float | None) -> None:
    """The answer's timing marks as evidence, where its endpoint declares them in the answer (a JSON answer, its
    events or lines), read as the declaration says (`answer_messages`); marks a request of their own answers
    (`lines`) are not in this answer."""
    declared = endpoint_marks(job.provider, job.endpoint.key)
    if declared is None or declared.lines or not form:
        return
    job.record.timing_marks = answer_marks(
        declared, answer_messages(raw, declared, form), seconds, asked=declared.asked(job.planned.payload)
    )


def _stream_body(success: Response | None) -> EventStreamBody | NdjsonBody | None:
    """The declared stream of events the answer is (its audio, errors and last event), if any."""
    bodies = success.bodies if success is not None else ()
    return next((body for body in bodies if isinstance(body, EventStreamBody | NdjsonBody)), None)


def _fail_if_it_says_so(job: Job, raw: bytes) -> None:
    """A 2xx answer that is one JSON document saying it failed (a `base_resp`-style code, an `error` member) is
    that error, classified as a non-2xx answer is — audio beside it or not — and, refused, is not charged."""
    if not raw.lstrip().startswith(b"{"):
        return
    try:
        document = json.loads(raw)
    except ValueError:
        return  # not one document: a stream of events, read below
    success = job.endpoint.response_for(job.endpoint.success_status)
    bodies = success.bodies if success is not None else ()
    rules = next(
        (
            body.errors
            for body in bodies
            if isinstance(body, JsonBody | EventStreamBody | NdjsonBody) and body.errors is not None
        ),
        None,
    )
    said = error_in(document, rules)
    if said is not None:
        job.record.cost(charged=False, basis="rejected:in-body")
        job.fail("submit", said.classified(job.endpoint.signature, rules or STREAM_ERRORS, job.services.target.secrets))


def _stream_audio(job: Job, raw: bytes, declared: EventStreamBody | NdjsonBody | None, *, lines: bool) -> bytes:
    """The stream's audio, read whole (`harness.core.stream_events`): an error event is that error; an event that
    cannot be read, a missing last event or audio after it is a protocol error; no audio at all is never audio.
    What leaves the audio whole is recorded as drift."""
    reading = read_stream(raw, declared, lines=lines)
    signature = job.endpoint.signature
    if reading.findings:
        job.record.add_drift(job.endpoint.key, "stream", [Drift("", note, STREAM_FINDING) for note in reading.findings])
    if reading.error is not None:
        job.fail(
            "stream",
            reading.error.classified(
                signature, declared.errors if declared else STREAM_ERRORS, job.services.target.secrets
            ),
        )
    if reading.problems:
        first = reading.problems[0]
        more = f" (and {len(reading.problems) - 1} more)" if len(reading.problems) > 1 else ""
        job.fail(
            "stream",
            ProtocolError(
                Redactor(job.services.target.secrets).cut(
                    f"{signature}: the stream is not whole: {first.kind}: {first.note}{more}", 300
                )
            ),
        )
    if not reading.pieces:
        job.fail("stream", ProtocolError(f"{signature}: the stream carried no audio"))
    return join_audio_chunks(reading.audio)
