"""Jobs whose answer is the audio itself: a plain audio body (sync), or a stream of Server-Sent Events
whose time to first audio is taken at the first *decodable* audio, not the first bytes.
"""

from __future__ import annotations

from harness.bench.audio_keeping import keep_audio
from harness.bench.exchange import ExchangeFailed
from harness.bench.job import Job
from harness.bench.media import FirstAudio, stream_audio
from harness.bench.streaming import StreamWatch, chunk_evidence
from harness.bench.timing import Mark
from harness.core.audio_fields import AudioFieldError, carrier, json_audio
from harness.core.errors import ProtocolError
from harness.core.protocols.http_speech import asked_media_type
from harness.core.spec import JsonBody, NdjsonBody, Role
from harness.core.sse import is_sse
from harness.core.transport import error_of, retry_after_seconds


async def fetch_direct(job: Job) -> None:
    """Send the job's one request and read the audio from its answer."""
    record = job.record
    stream = job.endpoint.role is Role.STREAM and job.record.job.selection.offering.streams is not False
    record.delivery = "stream" if stream else "sync"
    asked = asked_media_type(job.provider, job.endpoint, job.planned.payload)  # headerless samples' type and rate
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
    job.check_answer(job.endpoint, exchange, "submit")
    error = error_of(response, job.services.target.secrets)
    record.final_status = str(response.status_code)
    if error is not None:
        record.cost(charged=False, basis=f"rejected:{response.status_code}")
        job.fail("submit", error)
    job.charge("documented-price")
    record.marks.set(Mark.TERMINAL, exchange.last_byte)
    if exchange.first_byte is not None:
        record.marks.set(Mark.MEDIA_FIRST_BYTE, exchange.first_byte)
    record.marks.set(Mark.MEDIA_LAST_BYTE, exchange.last_byte)
    if stream:
        if first_audio:
            record.marks.set(Mark.FIRST_AUDIO, first_audio[0])
        record.chunks = chunk_evidence(listener.arrivals(exchange.sent, exchange.headers_received))
        audio = stream_audio(exchange.body, where, lines=lines)
        if audio:
            exchange.body = audio
    elif isinstance(carried, JsonBody) and where is not None and response.status_code < 300:
        try:
            exchange.body = json_audio(exchange.body, where)
        except AudioFieldError as error:
            job.fail("submit", ProtocolError(f"{job.endpoint.signature}: {error}", status=response.status_code))
    # A stream's Content-Type (text/event-stream) names its transport, not the audio its events carry: the
    # audio is declared by nothing the answer says, so it is stored with no declared type (the contract
    # checks the transport's type; conformance compares a declared audio type with the decoded bytes).
    as_events = stream and (not events or events[0])
    declared = None if as_events or carried is not None else response.headers.get("content-type")
    declared = asked or declared  # headerless samples: the rate the request asked for (no answer can say it)
    keep_audio(job, exchange, declared, "stream" if stream else "submit")
