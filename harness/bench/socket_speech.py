"""Jobs spoken over a realtime socket (an offering with a `channel`): the text fed as a language model
writes it, the audio frames timed as they arrive, and every stream figure taken by the one listener of
`harness.bench.streaming`.

The text goes in whole (one message) or, with `--text-rate N`, token by token at N tokens a second
(`tokens`: a word and the space after it, the unit a language model's stream reaches a TTS client in).
Every time counts from the *first token*: the first message that carries text, after the protocol's
preamble (ElevenLabs' InitializeConnection). The socket is opened before it, as an agent keeps its socket
open before the model speaks, so the handshake is not in the figures (`connect_ms` keeps it apart).

The session is `harness.core.protocols.realtime_session`'s, with the `websockets` client; its frames are
read into events by the protocol's grammar. Each audio frame reached us after `Session.arrived_after` and by
its `t_s`: that interval is the one every figure carries. A refused upgrade, an error frame, a dropped
connection or an utterance the server never finished fail the job in the harness's error classes; the
characters sent are charged at the declared price once the socket was open (the providers bill them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from harness.bench.audio_keeping import keep_bytes
from harness.bench.job import Job
from harness.bench.streaming import Arrival, chunk_evidence
from harness.bench.timing import Mark
from harness.core.errors import (
    AuthError,
    BalanceError,
    ErrorClass,
    ProtocolError,
    ProviderError,
    RateLimitError,
    ServerError,
    TransportError,
    ValidationRejected,
    error_for_status,
)
from harness.core.protocols.realtime_grammar import Channel, Event, Kind, Opening, Outgoing, Session, Utterance
from harness.core.protocols.realtime_session import listener, reader, run_session
from harness.core.verdict import Drift, Violation

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
    """What the job asks the channel to say: the declared first voice and format, the offering's model."""
    declaration = channel.grammar.declaration
    voices: tuple[str, ...] = getattr(declaration, "voices", ())
    formats: tuple[str, ...] = getattr(declaration, "formats", ())
    if not voices or not formats:
        raise ValueError(f"{channel.key}: a realtime offering needs a declared provider (voices and formats)")
    voice = model if channel.grammar.voice_is_model else voices[0]
    model, voice = channel.grammar.speaker_of(model) or (model, voice)
    return Utterance(tokens(text) if rate is not None else (text,), voice, model, str(formats[0]))


def planned_socket(channel: Channel, model: str, text: str, rate: float | None, base_url: str
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


def _frame_error(event: Event) -> ProviderError:
    """An error frame in the harness's classes, by the words the protocols use for the cause."""
    words = f"{event.code} {event.message}".lower()
    kind: type[ProviderError] = ServerError
    if any(w in words for w in ("api_key", "unauthor", "credential", "auth")):
        kind = AuthError
    elif any(w in words for w in ("quota", "credit", "balance", "payment")):
        kind = BalanceError
    elif any(w in words for w in ("too_many", "rate", "concurren")):
        kind = RateLimitError
    elif any(w in words for w in ("invalid", "not_found", "not found", "unsupported", "malformed")):
        kind = ValidationRejected
    return kind(f"error frame {event.frame}: {event.code or 'error'}: {event.message}"[:300])


def failure_of(session: Session, events: Sequence[Event], final: Kind) -> ProviderError | None:
    """Why a session did not say its utterance, in the harness's error classes (None: it did)."""
    if session.handshake_status is not None:
        return error_for_status(session.handshake_status, f"{session.url}: the upgrade was refused with HTTP "
                                f"{session.handshake_status}: {session.handshake_body[:200]}", None)
    if session.opened_s is None:
        reason = session.closing.reason if session.closing else "no connection"
        return TransportError(f"{session.url}: {reason}")
    errors = [e for e in events if e.kind is Kind.ERROR]
    if errors:
        return _frame_error(errors[0])
    if not any(e.kind is final for e in events):
        closing = session.closing
        how = "the connection dropped without a close frame" if closing is None or closing.code is None \
            else f"the socket closed ({closing.code} {closing.reason!r})"
        return TransportError(f"{session.url}: {how} before the utterance was complete")
    return None


def read_frames(channel: Channel, session: Session) -> tuple[list[Event], list[Violation], list[Drift]]:
    """The server's frames as events, and what the grammar found wrong (those frames give no events)."""
    grammar, found, broken, drifted = channel.grammar, list[Event](), list[Violation](), list[Drift]()
    for frame in session.received():
        message, problems, drift = grammar.validate(frame, 0)
        drifted += drift
        broken += problems
        if not problems:
            found.extend(grammar.events(frame, message))
    return found, broken, drifted


def heard(channel: Channel, session: Session, events: Sequence[Event], context: str) -> tuple[float, list[Arrival]]:
    """When the first token left (monotonic seconds: after the protocol's preamble) and each audio chunk of
    `context` with the interval it arrived in."""
    start = session.started_at or 0.0
    first = session.first_token(channel.grammar.preamble)
    first_token = start + (first.t_s if first else session.opened_s or 0.0)
    return first_token, [
        Arrival(max(first_token, start + session.arrived_after.get(e.frame, 0.0)), start + e.t_s, e.audio)
        for e in events if e.kind is Kind.AUDIO and e.audio and e.context in ("", context)]


def _events(job: Job, channel: Channel, session: Session) -> list[Event]:
    """The events; a frame the grammar refuses is a (non-fatal) contract error, unknown fields drift."""
    events, broken, drift = read_frames(channel, session)
    if drift:
        job.record.add_drift(channel.key, "stream", drift)
    if broken:
        shown = "; ".join(str(p) for p in broken[:3])
        job.record.error("stream", ErrorClass.CONTRACT, f"{channel.signature} frames break the contract: {shown}",
                         violations=broken)
    return events


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


def _keep(job: Job, decode: Any, audio: Sequence[Arrival]) -> None:
    """The utterance's audio, decoded chunk by chunk and kept as one WAV file (what the listener heard)."""
    import numpy as np  # there: the chunks were decoded

    from harness.speech import encode_as

    decoded = [decode(a.audio) for a in audio]
    if not decoded or any(d is None for d in decoded):
        job.fail("stream", ProtocolError(f"audio from {job.label}: a chunk is not decodable as the declared format"))
    rate = decoded[0][1]
    samples = np.concatenate([np.asarray(d[0], dtype=np.float32) for d in decoded])
    keep_bytes(job, encode_as(samples, rate, "pcm_s16le", "wav"), None, "stream", job.label)


async def fetch_realtime(job: Job) -> None:
    """Say the job's text over its offering's channel and keep what a listener would have met."""
    record, services, offering = job.record, job.services, job.planned.selection.offering
    channel = job.provider.channel(offering.channel or "")
    rate = services.config.workload.text_rate
    record.delivery = "socket"
    target, grammar = services.target, channel.grammar
    url, utterance, opening = planned_socket(channel, offering.name, job.planned.item.text, rate,
                                             target.base_url(job.provider, channel.host))
    key = target.key(job.provider)
    in_header = key is not None and not grammar.key_in_message
    headers = {**({job.provider.auth.header: job.provider.auth.header_value(key)} if key and in_header else {}),
               **target.extra_headers(job.label, job.planned.item.id, "stream", record.attempt + 1),
               **opening.headers}  # what the protocol asks of the upgrade (Fish Audio's `model`)
    await job.gate.ready()
    record.attempt += 1
    job.commit_submitting()
    complete = reader(grammar, lambda events: grammar.complete(events, opening))
    session = await run_session(url, headers, opening.messages, complete=complete, closing=opening.closing,
                                client_closes=opening.client_closes, idle_timeout_s=IDLE_TIMEOUT_S,
                                secrets=target.secrets, heard=listener(grammar),
                                key=key if grammar.key_in_message and key else "")
    _account(job, channel, session, utterance)


def _account(job: Job, channel: Channel, session: Session, utterance: Utterance) -> None:
    record = job.record
    events = _events(job, channel, session)
    problem = failure_of(session, events, channel.grammar.final_kind)
    if session.handshake_status is not None or session.opened_s is None:
        record.final_status = None if session.handshake_status is None else str(session.handshake_status)
        record.cost(charged=False, basis=f"rejected:{session.handshake_status or 'no-connection'}")
        assert problem is not None
        job.fail("stream", problem)
    record.connect_ms = session.opened_s * 1000.0
    job.charge("documented-price")
    first_token, audio = heard(channel, session, events, utterance.context)
    record.marks.set(Mark.REQUEST_SENT, first_token, overwrite=True)
    decode = decoder(channel, session)
    if audio:
        record.marks.set(Mark.FIRST_AUDIO, audio[0].latest)
        record.chunks = chunk_evidence(audio, decode)
    record.text_rate = job.services.config.workload.text_rate
    ended = session.closing.t_s if session.closing else (session.frames[-1].t_s if session.frames else 0.0)
    record.marks.set(Mark.TERMINAL, audio[-1].latest if audio else (session.started_at or 0.0) + ended)
    record.final_status = None if session.closing is None or session.closing.code is None \
        else f"ws-{session.closing.code}"
    if problem is not None:
        job.fail("stream", problem)
    if not audio:
        job.fail("stream", ProtocolError(f"{channel.signature}: the utterance ended without audio"))
    _keep(job, decode, audio)
