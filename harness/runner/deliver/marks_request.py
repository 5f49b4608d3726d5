"""An answer's timing marks asked in a request of their own (issue 65): where the declaration says the marks come in
place of the audio (`Marks.lines`: speech marks that a provider "returns ... instead of synthesized speech"), the
runner sends the job's request again asking for them (`Marks.ask`: the fields its declaration names) once its
audio is kept, and keeps the lines as the evidence an answer's own marks are (`marks_evidence.answer_marks`).

The marks' request is billed as its answer says (its billing signals, else the planned price: it carries the same
text; a user who asks for both pays for both: users report being "billed twice for the same text"), on the
job's spend, in a costs row of its own (attempt −n: the n-th attempt's marks, apart from the attempts a retry
counts). Its times are not the job's: the latency figures stay the audio request's. A marks' request that fails is
one line of the evidence, never the job's failure: the audio came.
"""

from __future__ import annotations

import copy

from harness.core.protocols.marks import NDJSON, Marks, answer_messages
from harness.core.transport import error_of, retry_after_seconds
from harness.runner.deliver.billing import read_http_billing
from harness.runner.deliver.exchange import ExchangeFailed
from harness.runner.deliver.job import Job
from harness.runner.record.marks_evidence import answer_marks

PHASE = "marks"  # the phase the marks' request is sent and charged as


async def fetch_own_marks(job: Job, declared: Marks, seconds: float | None) -> None:
    """Ask the job's endpoint for the marks of its text in a request of their own and keep them as evidence."""
    payload = copy.deepcopy(dict(job.planned.payload))
    declared.ask(payload)
    await job.ready()
    record = job.record
    try:
        exchange = await job.send(job.request(job.endpoint, payload, PHASE))
    except ExchangeFailed as failure:
        job.charged += record.cost(
            charged=failure.reached_server, attempt=-record.attempt, basis=f"marks-request:{failure.error.error_class}"
        )
        record.timing_marks = answer_marks(
            declared, [], seconds, asked=False, problems=[f"the marks' request failed: {failure.error}"]
        )
        return
    response = exchange.response
    job.gate.note(response.status_code, response.headers, retry_after_seconds(response))
    error = error_of(response, job.services.target.secrets)
    if error is not None:
        record.cost(charged=False, attempt=-record.attempt, basis=f"marks-request-rejected:{response.status_code}")
        record.timing_marks = answer_marks(
            declared, [], seconds, asked=False, problems=[f"the marks' request was refused: {error}"]
        )
        return
    read_http_billing(job, exchange)
    job.charged += record.cost(charged=True, attempt=-record.attempt, basis="marks-request")
    record.timing_marks = answer_marks(declared, answer_messages(exchange.body, declared, NDJSON), seconds, asked=True)
