"""`bench run --cancel-after MS`: a socket job whose socket documents a cancel says its text, then cancels it MS after
its first audio, as an agent does when the user interrupts, and keeps what followed (docs/cancel.md).

Why after the first audio, not after sending: a cancel before any audio cancels nothing a listener heard, and the
time from sending to the first audio is the provider's latency, which differs by an order of magnitude between
providers; counted from the first audio, the same MS meets every provider mid-utterance.

The session sends the socket's cancel as its last message (`Grammar.cancelling`) and ends once no frame came for
`QUIET_S` (`run_session`'s `quiet_s`): a cancelled utterance has no end to wait for. It is judged by the one rule
(`harness.core.protocols.cancel.judged`): its figures go on the job's row (`cancel_*`, schema 14); audio where the
documents promise none is a contract error on the job, audio where they are silent a finding. A socket without a
declared cancel speaks its utterances to their end, as without the option.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness.core.errors import ErrorClass
from harness.core.protocols.cancel import BROKEN, RULE, CancelOutcome, CancelVerdict, judged
from harness.core.protocols.realtime_grammar import Channel, Opening, Session, Utterance
from harness.core.verdict import Drift, Violation
from harness.results import JobCancel
from harness.runner.deliver.audio_answer import STREAM_FINDING
from harness.runner.deliver.job import Job


def cancelling(job: Job, channel: Channel, utterance: Utterance, opening: Opening) -> Opening | None:
    """The job's opening with the cancel, where the run asks for one and the socket documents one (else None)."""
    after_ms = job.services.config.workload.cancel_after
    if after_ms is None:
        return None
    return channel.grammar.cancelling(utterance, opening, after_ms / 1000.0)


def columns(outcome: CancelOutcome, after_ms: float) -> JobCancel:
    """The job row's cancel_* columns (schema 14)."""
    return JobCancel(
        cancel_after_ms=after_ms,
        cancel_to_silence_ms=outcome.to_silence_ms,
        cancel_after_ack_frames=outcome.after_ack_frames,
        cancel_after_ack_s=outcome.after_ack_audio_s,
        cancel_verdict=outcome.verdict.value,
        cancel_detail=outcome.detail or None,
    )


def record_cancel(job: Job, channel: Channel, session: Session, context: str, decode: Callable[[bytes], Any]) -> None:
    """Judge the cancelled session and keep the verdict: the row's columns, a contract error for a violation, a
    finding where the documents are silent."""
    after_ms = job.services.config.workload.cancel_after
    assert after_ms is not None

    def seconds(audio: bytes) -> float | None:
        decoded = decode(audio)
        return None if decoded is None else len(decoded[0]) / decoded[1]

    outcome = judged(session, channel.grammar, context if channel.grammar.contexts else "", seconds)
    job.record.cancel = columns(outcome, after_ms)
    if outcome.verdict is CancelVerdict.VIOLATION:
        job.record.error(
            "stream",
            ErrorClass.CONTRACT,
            f"{channel.signature} cancel: {outcome.detail}",
            violations=[Violation("/cancel", BROKEN.expected, outcome.detail, RULE)],
        )
    elif outcome.verdict is CancelVerdict.FINDING:
        job.record.add_drift(channel.key, "stream", [Drift("/cancel", outcome.detail, STREAM_FINDING)])
