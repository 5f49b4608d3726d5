"""A finished job's audio: downloaded (retried: the job is already paid for), checked to be audio, and kept
content-addressed beside the results store, its path relative to it.

What the bytes are is read by their own header where they have one (`harness.core.audio.read_as_claimed`); what
the request asked and what the answer says in words are held against it, each disagreement a drift row of kind
`answer-format` (never a failure: the clip is kept, read at its true rate). Bytes that are not whole audio — a
container whose header promises more than it holds included — are the job's protocol error, never a clip."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from harness.core.audio import Claim, read_as_claimed
from harness.core.errors import ProtocolError
from harness.core.validate import media_type_of
from harness.core.verdict import Drift
from harness.runner.deliver.answer_format import CONTENT_TYPE
from harness.runner.deliver.download import DownloadPolicy, Refresh, download
from harness.runner.deliver.exchange import Exchange
from harness.runner.deliver.job import Job
from harness.runner.deliver.media import inspect_audio, store_audio
from harness.runner.record.timing import Mark

ANSWER_FORMAT = "answer-format"  # the drift kind of an answer's words that disagree with its bytes or the request


async def download_audio(job: Job, url: str, declared: str | None, refresh: Refresh | None = None) -> None:
    """Fetch the finished job's audio; retried, because the job is already paid for (see bench.download).

    No key is sent: media hosts are not the provider's API.
    """
    services = job.services
    extra = services.target.extra_headers(job.label, job.planned.item.id, "download", job.record.attempt)
    outcome = await download(
        services.client,
        url,
        check=lambda body: inspect_audio(body, declared).problem,
        refresh=refresh,
        headers=extra,
        secrets=services.target.secrets,
        policy=DownloadPolicy(services.config.run.download_attempts, job.provider.retry),
        deadline=job.deadline,
    )
    for failure in outcome.failures[:-1] if outcome.exchange is None else outcome.failures:
        job.record.error("download", failure.error_class, f"download retried: {failure}", status=failure.status)
    if outcome.exchange is None:
        last = outcome.failures[-1]
        job.unfetched(
            "download",
            type(last)(
                f"no whole audio after {len(outcome.failures)} attempts ({outcome.refreshed} fresh links): {last}",
                status=last.status,
            ),
        )
    exchange = outcome.exchange
    marks = job.record.marks
    marks.set(Mark.MEDIA_REQUEST_SENT, exchange.sent)
    if exchange.first_byte is not None:
        marks.set(Mark.MEDIA_FIRST_BYTE, exchange.first_byte)
    marks.set(Mark.MEDIA_LAST_BYTE, exchange.last_byte)
    words = [Claim("status/media-type", declared)] if declared else []
    keep_audio(
        job, exchange, "download", words=[*words, Claim(CONTENT_TYPE, exchange.response.headers.get("content-type"))]
    )


def keep_audio(
    job: Job, exchange: Exchange, phase: str, *, asked: Claim | None = None, words: Sequence[Claim] = ()
) -> float | None:
    """Check the answer's body is audio, hold what was `asked` and what the answer's `words` say against it, and
    store it beside the database (its path relative to it); its seconds, where its bytes tell them."""
    return keep_bytes(job, exchange.body, phase, exchange.response.request.url.path, asked=asked, words=words)


def keep_bytes(
    job: Job, body: bytes, phase: str, source: str, *, asked: Claim | None = None, words: Sequence[Claim] = ()
) -> float | None:
    """Check `body` (from `source`) is audio, read by its own header where it has one, else as the answer's words
    (else the request) say; record each claim that disagrees; store it beside the database (its path relative to
    it). Returns its seconds, where its bytes tell them (the marks' checks hold the marks against them)."""
    reading = read_as_claimed(body, asked, words)
    job.record.add_drift(job.endpoint.key, phase, [Drift(m.place, m.note, ANSWER_FORMAT) for m in reading.mismatches])
    facts = reading.info
    if facts.problem is not None:
        job.fail(phase, ProtocolError(f"audio from {source}: {facts.problem}"))
    folder = job.services.config.output.audio_dir
    audio = store_audio(folder, body, media_type_of(reading.media_type) or None, facts)
    db_dir = job.services.store.path.parent.resolve()
    if audio.path.resolve().is_relative_to(db_dir):
        audio = replace(audio, path=audio.path.resolve().relative_to(db_dir))
    job.record.audio = audio
    return facts.duration_s
