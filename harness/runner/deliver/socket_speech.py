"""Jobs spoken over a realtime socket (an offering with a `channel`): the text fed as a language model
writes it, the audio frames timed as they arrive, and every stream figure taken by the one listener of
`harness.runner.deliver.streaming`.

The text goes in whole (one message) or, with `--text-rate N`, token by token at N tokens a second
(`tokens`: a word and the space after it, the unit a language model's stream reaches a TTS client in).
Every time counts from the *first token*: the first message that carries text, after the protocol's
preamble (an opening message). The socket is opened before it, as an agent keeps its socket
open before the model speaks, so the handshake is not in the figures (`connect_ms` keeps it apart).

The session is `harness.core.protocols.realtime_session`'s, with the `websockets` client; its frames are
read into events by the protocol's grammar. Each audio frame reached us after `Session.arrived_after` and by
its `t_s`: that interval is the one every figure carries. A refused upgrade, an error frame, a dropped
connection or an utterance the server never finished (no final marker; on a socket without one, no close with its
code) fail the job in the harness's error classes; the
characters sent are charged at the declared price once the socket was open (the providers bill them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NoReturn

from harness.core.answer_errors import BodyErrors, status_of
from harness.core.errors import (
    ErrorClass,
    ProtocolError,
    ProviderError,
    TimeoutError_,
    TransportError,
    error_for_status,
)
from harness.core.protocols.cancel import QUIET_S
from harness.core.protocols.realtime_grammar import (
    Channel,
    Event,
    Grammar,
    Kind,
    Opening,
    Outgoing,
    Session,
    Utterance,
)
from harness.core.protocols.realtime_session import listener, reader, run_session
from harness.core.redact import Redactor
from harness.core.transcript_agreement import transcript_disagreement
from harness.core.verdict import Drift, Violation
from harness.runner.deliver.audio_answer import STREAM_FINDING
from harness.runner.deliver.audio_keeping import keep_bytes
from harness.runner.deliver.billing import read_socket_billing
from harness.runner.deliver.deadline import DeadlineReached, within
from harness.runner.deliver.job import Job
from harness.runner.deliver.socket_cancel import cancelling, record_cancel
from harness.runner.deliver.streaming import Arrival, chunk_evidence
from harness.runner.record.marks_evidence import socket_marks
from harness.runner.record.timing import Mark

_TOKEN = re.compile(r"\S+\s*")
IDLE_TIMEOUT_S = 30.0


def tokens(text: str) -> tuple[str, ...]:
    """The text as a language model streams it: each word with the whitespace after it."""
    found = tuple(_TOKEN.findall(text.strip()))
    return found or (text,)


def fed(opening: Opening, preamble: int, chunks: int, rate: float | None) -> Opening:
    """The opening's messages on a language model's schedule: the preamble at once, the text chunk k at
    k / `rate` seconds, what closes the utterance (flush, end of input) with the last chunk."""
    if rate is None:
        return opening
    timed: list[Outgoing] = []
    for index, outgoing in enumerate(opening.messages):
        rank = min(max(index - preamble, 0), chunks - 1)
        timed.append(replace(outgoing, at_s=0.0 if index < preamble else rank / rate))
    return replace(opening, messages=tuple(timed))


def utterance_of(channel: Channel, model: str, text: str, rate: float | None) -> Utterance:
    """What the job asks the channel to say: the declared first voice and format, the offering's model, and a sample
    rate other than the format's own where the socket lets a client ask one (`Grammar.other_rate`), so the rate heard
    is judged on what a client that chose a rate plays, never only on the rate the imitation sends anyway."""
    declaration = channel.grammar.declaration
    voices: tuple[str, ...] = getattr(declaration, "voices", ())
    formats: tuple[str, ...] = getattr(declaration, "formats", ())
    if not voices or not formats:
        raise ValueError(f"{channel.key}: a realtime offering needs a declared provider (voices and formats)")
    voice = model if channel.grammar.voice_is_model else voices[0]
    model, voice = channel.grammar.speaker_of(model) or (model, voice)
    return Utterance(
        chunks=tokens(text) if rate is not None else (text,),
        voice=voice,
        model=model,
        audio_format=str(formats[0]),
        rate=channel.grammar.other_rate(str(formats[0])),
    )


def planned_socket(
    channel: Channel, model: str, text: str, rate: float | None, base_url: str
) -> tuple[str, Utterance, Opening]:
    """Where a job's socket opens, what it says and on what schedule (the run's and the dry run's one view)."""
    utterance = utterance_of(channel, model, text, rate)
    grammar = channel.grammar
    opening = fed(grammar.opening(utterance), grammar.preamble, len(utterance.chunks), rate)
    return channel.url(base_url, opening.path_params, opening.query), utterance, opening


def describe(channel: Channel, model: str, text: str, rate: float | None, base_url: str) -> str:
    """The dry run's line for a socket job."""
    url, utterance, opening = planned_socket(channel, model, text, rate, base_url)
    feeding = "the text at once" if rate is None else f"{len(utterance.chunks)} tokens at {rate:g} a second"
    return f"{channel.signature} at {url}: {len(opening.messages)} messages, {feeding}"


# The cause an error frame (or a close's reason) names in words, where its code names no status: the words the
# protocols use, in the order that settles a message naming two ("invalid api key" is auth, not invalid input).
_WORDS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (401, ("api_key", "api key", "apikey", "unauthor", "unauthent", "credential", "auth", "forbidden")),
    (402, ("quota", "credit", "balance", "payment", "arrear", "billing")),
    (429, ("too_many", "too many", "rate limit", "rate_limit", "ratelimit", "throttl", "concurren")),
    (400, ("invalid", "not_found", "not found", "unsupported", "malformed", "bad request", "unknown voice")),
)


def status_in_words(words: str) -> int:
    """The HTTP status the words of an error name (500: they name none, the provider only said it failed)."""
    lowered = words.lower()
    return next((status for status, found in _WORDS if any(w in lowered for w in found)), 500)


def frame_error(event: Event, statuses: Mapping[str, int], where: str, secrets: tuple[str, ...] = ()) -> ProviderError:
    """An error frame in the harness's classes, exactly as a non-2xx answer is classified: by the status the
    provider's own code means (its declared refusals, else an HTTP or gRPC status it names:
    `harness.core.answer_errors.status_of`), else by the words of its code and message."""
    status = status_of(event.code, BodyErrors(statuses=statuses)) if event.code else 500
    if status == 500:
        status = status_in_words(f"{event.code} {event.message}")
    said = Redactor(secrets).cut(f"{event.code or 'error'}: {event.message}", 300)
    return error_for_status(status, f"{where}: error frame {event.frame}: {said}")


@dataclass(frozen=True, slots=True)
class Frames:
    """A session's server frames read whole (`Grammar.read`): their events, what breaks the contract, the unknown
    fields, and the problems of the refused frames that may have taken audio with them (`lost`)."""

    events: list[Event] = field(default_factory=list)
    broken: list[Violation] = field(default_factory=list)
    drift: list[Drift] = field(default_factory=list)
    lost: list[Violation] = field(default_factory=list)


def failure_of(
    session: Session,
    frames: Frames,
    grammar: Grammar,
    context: str = "",
    secrets: tuple[str, ...] = (),
    *,
    ends: bool = True,
) -> ProviderError | None:
    """Why a session is no result, in the harness's error classes (None: it said its utterance, whole).

    A refused upgrade is its status; an error frame (of the utterance's context, or of the socket) is the provider's
    error, audio before it or not; a frame that may have carried audio and could not be read, audio after the final
    marker and a socket that ended before it are protocol errors — the audio kept would have a gap or an end that is
    not the utterance's; a connection that dropped is a transport error, one that fell silent a time-out. `ends` False:
    an utterance cancelled on purpose (`harness.runner.deliver.socket_cancel`), whose end is not awaited and not judged
    here."""
    redact = Redactor(secrets)
    if session.handshake_status is not None:
        return error_for_status(
            session.handshake_status,
            redact.cut(
                f"{session.url}: the upgrade was refused with HTTP {session.handshake_status}: "
                f"{session.handshake_body}",
                300,
            ),
            None,
        )
    if session.opened_s is None:
        reason = session.closing.reason if session.closing else "no connection"
        kind: type[ProviderError] = TimeoutError_ if "TimeoutError" in reason else TransportError
        return kind(redact.cut(f"{session.url}: {reason}", 300))
    mine = [e for e in frames.events if e.context in ("", context)]
    errors = [e for e in mine if e.kind is Kind.ERROR]
    if errors:
        return frame_error(errors[0], grammar.error_statuses, session.url, secrets)
    if frames.lost:
        more = f" (and {len(frames.lost) - 1} more)" if len(frames.lost) > 1 else ""
        return ProtocolError(
            redact.cut(
                f"{session.url}: a frame that may carry audio could not be read, so the audio "
                f"has a gap: {frames.lost[0]}{more}",
                300,
            )
        )
    if not ends:
        return None
    final = next((e for e in mine if e.kind is grammar.final_kind), None)
    if final is None and ended_by_close(session, grammar):
        return None  # no final message: the server's close after the end is the utterance's end
    if final is None:
        return _unfinished(session, grammar, redact)
    late = [e for e in mine if e.kind is Kind.AUDIO and e.audio and e.frame > final.frame]
    if late:
        return ProtocolError(
            f"{session.url}: {len(late)} audio frames after the final marker (frame {final.frame}), "
            f"the first in frame {late[0].frame}: the utterance's end is not where the audio ends"
        )
    return None


def ended_by_close(session: Session, grammar: Grammar) -> bool:
    """Whether a socket without a final message (`Grammar.ending_close`) ended its utterance as it says: the server's
    close with that code."""
    closing = session.closing
    return (
        grammar.ending_close is not None
        and closing is not None
        and closing.by_server
        and closing.code == grammar.ending_close
    )


def _unfinished(session: Session, grammar: Grammar, redact: Redactor) -> ProviderError:
    """The socket ended before the utterance's final marker: how it ended says in which class."""
    closing, url = session.closing, session.url
    if closing is None or (closing.code is None and closing.by_server):
        return TransportError(f"{url}: the connection dropped without a close frame before the utterance was complete")
    if closing.code is None:
        return TimeoutError_(redact.cut(f"{url}: {closing.reason} before the utterance was complete", 300))
    meaning = grammar.close_codes.get(closing.code, "")
    how = redact.cut(
        f"the socket closed ({closing.code}{f' {meaning}' if meaning else ''}, reason {closing.reason!r})", 200
    )
    if closing.code in (1000, 1001) or not closing.by_server:
        return ProtocolError(f"{url}: {how} before the final marker: the utterance is not complete")
    return error_for_status(status_in_words(closing.reason), f"{url}: {how} before the utterance was complete")


def read_frames(channel: Channel, session: Session) -> Frames:
    """The server's frames read whole; a refused frame gives no events (see `Frames`)."""
    found = Frames()
    for frame in session.received():
        reading = channel.grammar.read(frame)
        found.events.extend(reading.events)
        found.broken.extend(reading.problems)
        found.drift.extend(reading.drift)
        if reading.lost:
            found.lost.extend(reading.problems)
    return found


def heard(channel: Channel, session: Session, events: Sequence[Event], context: str) -> tuple[float, list[Arrival]]:
    """When the first token left (monotonic seconds: after the protocol's preamble) and each audio chunk of
    `context` with the interval it arrived in."""
    start = session.started_at or 0.0
    first = session.first_token(channel.grammar.preamble)
    first_token = start + (first.t_s if first else session.opened_s or 0.0)
    return first_token, [
        Arrival(max(first_token, start + session.arrived_after.get(e.frame, 0.0)), start + e.t_s, e.audio)
        for e in events
        if e.kind is Kind.AUDIO and e.audio and e.context in ("", context)
    ]


def _frames(job: Job, channel: Channel, session: Session) -> Frames:
    """The frames read; a frame the grammar refuses is a contract error (fatal only where it may have taken audio
    with it: `failure_of`), unknown fields drift."""
    frames = read_frames(channel, session)
    if frames.drift:
        job.record.add_drift(channel.key, "stream", frames.drift)
    if frames.broken:
        shown = "; ".join(str(p) for p in frames.broken[:3])
        job.record.error(
            "stream",
            ErrorClass.CONTRACT,
            f"{channel.signature} frames break the contract: {shown}",
            violations=frames.broken,
        )
    return frames


def _ending_finding(job: Job, channel: Channel, session: Session) -> None:
    """How a socket ended after its utterance was complete, where that is not a clean close: recorded, the audio is
    whole (its final marker came)."""
    closing = session.closing
    if closing is None or not closing.by_server or closing.code in (1000, 1001):
        return
    how = (
        "dropped without a close frame"
        if closing.code is None
        else f"closed with {closing.code} ({channel.grammar.close_codes.get(closing.code, 'undocumented')})"
    )
    job.record.add_drift(
        channel.key, "stream", [Drift("/closing", f"the socket {how} after the utterance was complete", STREAM_FINDING)]
    )


def _transcript_finding(job: Job, channel: Channel, events: Sequence[Event], utterance: Utterance) -> None:
    """Where a speech-to-speech socket sent a transcript beside its audio that is not the text asked (the rule:
    `harness.core.transcript_agreement`): recorded, the audio kept and scored as it is."""
    said = "".join(e.message for e in events if e.kind is Kind.TRANSCRIPT and e.context in ("", utterance.context))
    job.record.said_transcript = said or None  # held against what the ear hears, once scored (docs/realtime.md)
    found = transcript_disagreement(said, utterance.text)
    if found is not None:
        job.record.add_drift(channel.key, "stream", [Drift("/transcript", found, STREAM_FINDING)])


def decoder(channel: Channel, session: Session) -> Any:
    """Chunks of the session's audio decoded as the format it asked for (None: not decodable)."""
    spec = channel.grammar.audio_spec(session)

    def decode(audio: bytes) -> tuple[Any, int] | None:
        try:
            from harness.speech import AudioCodecError, decode_as  # the one decoder (score/sandbox extra)
        except ImportError:
            return None
        try:
            return decode_as(audio, spec.codec, spec.container, spec.sample_rate)
        except (AudioCodecError, ValueError):
            return None

    return decode


def _keep(job: Job, decode: Any, audio: Sequence[Arrival]) -> float:
    """The utterance's audio, decoded chunk by chunk and kept as one WAV file (what the listener heard); its
    seconds."""
    import numpy as np  # there: the chunks were decoded

    from harness.speech import encode_as

    decoded = [decode(a.audio) for a in audio]
    if not decoded or any(d is None for d in decoded):
        job.fail("stream", ProtocolError(f"audio from {job.label}: a chunk is not decodable as the declared format"))
    rate = decoded[0][1]
    samples = np.concatenate([np.asarray(d[0], dtype=np.float32) for d in decoded])
    keep_bytes(job, encode_as(samples, rate, "pcm_s16le", "wav"), "stream", job.label)
    return len(samples) / rate


async def fetch_realtime(job: Job) -> None:
    """Say the job's text over its offering's channel and keep what a listener would have met."""
    record, services, offering = job.record, job.services, job.planned.selection.offering
    channel = job.provider.channel(offering.channel or "")
    rate = services.config.workload.text_rate
    record.delivery = "socket"
    target, grammar = services.target, channel.grammar
    url, utterance, opening = planned_socket(
        channel, offering.name, job.planned.item.text, rate, target.base_url(job.provider, channel.host)
    )
    key = target.key(job.provider)
    in_header = key is not None and not grammar.key_in_message
    headers = {
        **({job.provider.auth.header: job.provider.auth.header_value(key)} if key and in_header else {}),
        **target.extra_headers(job.label, job.planned.item.id, "stream", record.attempt + 1),
        **opening.headers,
    }  # what the protocol asks of the upgrade (a `model` header)
    await job.ready()
    record.attempt += 1
    job.commit_submitting()
    if job.deadline.passed():  # its time went waiting for the provider's gate: nothing was sent
        record.cost(charged=False, basis="not-sent:timeout")
        job.fail("stream", job.deadline.reached(f"before the socket to {channel.signature} was opened"))
    cancelled = cancelling(job, channel, utterance, opening)  # `--cancel-after`, on a socket that documents one
    opening = cancelled or opening
    complete = reader(grammar, lambda events: grammar.complete(events, opening))
    seen: list[Session] = []  # the session, once a frame has come (the socket was open)

    def completed(session: Session) -> bool:
        seen[:] = [session]
        return cancelled is None and complete(session)  # a cancelled utterance ends in quiet, not complete

    try:
        session = await within(
            job.deadline,
            run_session(
                url,
                headers,
                opening.messages,
                complete=completed,
                closing=opening.closing,
                client_closes=opening.client_closes,
                idle_timeout_s=IDLE_TIMEOUT_S,
                secrets=target.secrets,
                heard=listener(grammar),
                key=key if grammar.key_in_message and key else "",
                quiet_s=None if cancelled is None else QUIET_S,
            ),
        )
    except DeadlineReached:
        _cut(job, channel, seen[0] if seen else None)
    _account(job, channel, session, utterance, cancelled=cancelled is not None)


def _cut(job: Job, channel: Channel, session: Session | None) -> NoReturn:
    """The socket was still going at the job's deadline: a time-out. Open (a frame came), the characters sent
    are charged as for any open socket; not known to be open, charged as the worst case."""
    if session is not None and session.opened_s is not None:
        job.record.connect_ms = session.opened_s * 1000.0
        job.charge("documented-price")
        doing = f"while the socket to {channel.signature} was open ({len(session.received())} frames received)"
    else:
        job.charge(f"unknown-outcome:{ErrorClass.TIMEOUT}")
        doing = f"while opening the socket to {channel.signature} (no frame had come)"
    job.fail("stream", job.deadline.reached(doing))


def _account(job: Job, channel: Channel, session: Session, utterance: Utterance, *, cancelled: bool = False) -> None:
    record = job.record
    frames = _frames(job, channel, session)
    events = frames.events
    problem = failure_of(
        session, frames, channel.grammar, utterance.context, job.services.target.secrets, ends=not cancelled
    )
    if session.handshake_status is not None or session.opened_s is None:
        record.final_status = None if session.handshake_status is None else str(session.handshake_status)
        record.cost(charged=False, basis=f"rejected:{session.handshake_status or 'no-connection'}")
        assert problem is not None
        job.fail("stream", problem)
    record.connect_ms = session.opened_s * 1000.0
    read_socket_billing(job, channel, session, utterance.context)
    job.charge("documented-price")
    first_token, audio = heard(channel, session, events, utterance.context)
    record.marks.set(Mark.REQUEST_SENT, first_token, overwrite=True)
    decode = decoder(channel, session)
    spec = channel.grammar.audio_spec(session)
    if spec.container == "raw" and spec.codec == "pcm_s16le":  # headerless samples: no frame of theirs holds a header
        record.asked_media_type = f"audio/pcm;rate={spec.sample_rate}"
    if audio:
        record.marks.set(Mark.FIRST_AUDIO, audio[0].latest)
        record.chunks = chunk_evidence(audio, decode)
    record.text_rate = job.services.config.workload.text_rate
    ended = session.closing.t_s if session.closing else (session.frames[-1].t_s if session.frames else 0.0)
    record.marks.set(Mark.TERMINAL, audio[-1].latest if audio else (session.started_at or 0.0) + ended)
    record.final_status = (
        None if session.closing is None or session.closing.code is None else f"ws-{session.closing.code}"
    )
    if problem is not None:
        job.fail("stream", problem)
    if not audio:
        job.fail("stream", ProtocolError(f"{channel.signature}: the utterance ended without audio"))
    _ending_finding(job, channel, session)
    _transcript_finding(job, channel, events, utterance)
    if cancelled:
        record_cancel(job, channel, session, utterance.context, decode)
    seconds = _keep(job, decode, audio)
    record.timing_marks = socket_marks(channel.grammar, session, events, utterance.context, record.chunks, seconds)
