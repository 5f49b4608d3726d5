"""The realtime protocols' own contract checks, run against any provider declared with one of them.

Each check is a plan (what to say, built from the declaration alone, so a recorded session is judged
again offline by the same plan) and a judgement of the sessions it recorded:

    synthesis        the whole text at once: audio, alignment, one final, a clean close (all frame rules); its
                     16-bit audio frames join as one sound (`seam_checks`: no click, inserted silence or header at
                     a seam, by the one rule `harness.core.seams`)
    streamed-input   the text in small pieces, paced at TOKENS_PER_S as a language model writes it (its seams too)
    two-contexts     (every socket with contexts) two utterances multiplexed on one socket, never mixed
    timing-marks     (every socket with timing marks, the multi-context ones too) the marks judged by the one verdict
                     `bench run` gives (`harness.core.timing_marks.judge_marks`, in the frame rules): their times,
                     and the transcript's words (or characters) spelled, each context's its own
    error-bad-key    a wrong key: a refused upgrade (4xx) or an error frame and a documented close; no audio
    error-malformed  a message that is not JSON (on a bare-text socket, a binary frame): an error frame or a
                     documented close other than 1000
    error-unknown-voice   a voice the declaration does not list: refused the protocol's way; no audio
    flush-limit      (a socket with a documented flush limit, such as 20 a minute) one flush past it: its
                     warning, that flush unanswered
    cancel           (a socket with a documented cancel) the text spoken and, CANCEL_AFTER_S after the first audio,
                     the cancel; the client listens until QUIET_S pass without a frame. Judged by the one rule
                     (`harness.core.protocols.cancel`): audio after the acknowledgement where the documents promise
                     none, or a promised acknowledgement missing, is a violation; audio after it where they are silent
                     is drift (a finding)

The socket's `rate` (every socket: its samples, at a rate other than the format's own where a client may ask one
(`rate_plan`), against the same text in a headed HTTP answer) needs more than a session, so it is judged apart:
`harness.contracts.socket_rate`, run by the suite's `test_rate`.

`run_check` records the sessions (`Session.to_json` makes them fixtures); `judge` returns `FrameFindings`
(violations located at `/frames/<index>/...`). The suite is `contracts/test_realtime.py`.
"""

from __future__ import annotations

import ssl as ssl_module
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import zip_longest

from harness.contracts.frame_checks import FrameFindings, check_session, schema_findings
from harness.contracts.seam_checks import session_seams
from harness.core.protocols.cancel import BROKEN, QUIET_S, CancelVerdict, judged
from harness.core.protocols.cancel import RULE as CANCEL_RULE
from harness.core.protocols.declaration import ProtocolDeclaration
from harness.core.protocols.realtime_grammar import Channel, Event, Grammar, Kind, Opening, Outgoing, Session, Utterance
from harness.core.protocols.realtime_session import listener, reader, run_session
from harness.core.protocols.websocket_speech import Flushes, SocketGrammar
from harness.core.seams import FINDINGS as SEAM_FINDINGS
from harness.core.seams import RULE as SEAMS_RULE
from harness.core.spec import Provider
from harness.core.target import FAULT_HEADER
from harness.core.verdict import Drift

SAMPLE_TEXT = "The quick brown fox jumps over the lazy dog."
OTHER_TEXT = "Seven silver swans swam across the quiet lake."
UNKNOWN_VOICE = "no-such-voice-7f3a"
MALFORMED = "{this is not json"  # what error-malformed sends on purpose (not a finding about the client)
TOKENS_PER_S = 40.0
WRONG_KEY = "wrong-key-for-the-realtime-checks"
IDLE_TIMEOUT_S = 30.0
CANCEL_AFTER_S = 0.1  # the cancel check's cancel, after the first audio: mid-sentence for any voice here
SEAMED = ("synthesis", "streamed-input")  # the checks whose one utterance's audio frames are judged at their seams
CANCEL_STALLS = 4  # a fast sandbox's first chunks paced at playback speed (`sandbox_paced`): the cancel comes
# CANCEL_AFTER_S after the first, while the second is still held


@dataclass(frozen=True, slots=True)
class RealtimeTarget:
    """One declared realtime provider as reached in this run."""

    provider: Provider
    base_url: str  # the API root (the WebSocket origin is its ws/wss twin)
    key: str
    ssl: ssl_module.SSLContext | None = None
    channel_key: str = ""  # the socket checked ("": the provider's first)

    @property
    def channel(self) -> Channel:
        return self.provider.channel(self.channel_key) if self.channel_key else self.provider.channels[0]

    @property
    def grammar(self) -> Grammar:
        return self.channel.grammar

    @property
    def declaration(self) -> ProtocolDeclaration:
        declaration = self.grammar.declaration
        assert isinstance(declaration, ProtocolDeclaration), f"{self.provider.name} was not declared in a file"
        return declaration

    def headers(self, key: str | None = None) -> dict[str, str]:
        if self.grammar.key_in_message:
            return {}
        return {self.provider.auth.header: self.provider.auth.header_value(key or self.key)}

    def utterance(
        self, chunks: Sequence[str], context: str = "utterance-1", voice: str | None = None, rate: int | None = None
    ) -> Utterance:
        formats: tuple[str, ...] = getattr(self.declaration, "formats", ())
        model = voice if voice and self.grammar.voice_is_model else self.declaration.models[0]
        model, spoken = self.grammar.speaker_of(model) or (model, self.declaration.voices[0])
        return Utterance(
            chunks=tuple(chunks),
            voice=voice or spoken,
            model=model,
            audio_format=str(formats[0]),
            context=context,
            rate=rate,
        )

    def other_rate(self) -> int | None:
        """A rate the socket lets a client ask beside its format's own (`SocketGrammar.other_rate`; None: none)."""
        formats: tuple[str, ...] = getattr(self.declaration, "formats", ())
        return self.grammar.other_rate(str(formats[0]))


@dataclass(frozen=True, slots=True, kw_only=True)
class SocketPlan:
    """What one check says on one socket: the opening (URL and messages) and the transcripts it sends."""

    name: str
    opening: Opening
    transcripts: Mapping[str, str] = field(default_factory=dict)
    key: str | None = None  # None: the target's key
    done: Callable[[Sequence[Event]], bool] | None = None  # when the client has seen enough (None: grammar's)
    quiet_s: float | None = None  # the client closes once this long passed without a frame (a cancelled utterance)


def _pieces(text: str, words_each: int = 2) -> list[str]:
    words = text.split(" ")
    return [
        " ".join(words[i : i + words_each]) + (" " if i + words_each < len(words) else "")
        for i in range(0, len(words), words_each)
    ]


def _paced(opening: Opening, per_s: float) -> Opening:
    return replace(opening, messages=tuple(replace(m, at_s=index / per_s) for index, m in enumerate(opening.messages)))


def _context_of(target: RealtimeTarget, context: str) -> str:
    return context if target.grammar.contexts else ""


def _refused_or_done(grammar: Grammar, opening: Opening) -> Callable[[Sequence[Event]], bool]:
    """A refusal plan waits for an error frame (or the server's close), or for the utterance to end
    when the server, wrongly, answers it."""
    return lambda events: any(e.kind is Kind.ERROR for e in events) or grammar.complete(events, opening)


def _refusal(name: str, grammar: Grammar, opening: Opening, key: str | None = None) -> SocketPlan:
    return SocketPlan(name=name, opening=opening, key=key, done=_refused_or_done(grammar, opening))


def plans(target: RealtimeTarget) -> dict[str, Callable[[], SocketPlan]]:
    """Every check that applies to the target's protocol, by name."""
    grammar = target.grammar
    found: dict[str, Callable[[], SocketPlan]] = {
        "synthesis": lambda: _speak_plan(target, "synthesis", [SAMPLE_TEXT], paced=False),
        "streamed-input": lambda: _speak_plan(target, "streamed-input", _pieces(SAMPLE_TEXT), paced=True),
        "error-bad-key": lambda: _refusal(
            "error-bad-key", grammar, grammar.opening(target.utterance([SAMPLE_TEXT])), key=WRONG_KEY
        ),
        "error-malformed": lambda: _malformed(target),
        "error-unknown-voice": lambda: _refusal(
            "error-unknown-voice", grammar, grammar.opening(target.utterance([SAMPLE_TEXT], voice=UNKNOWN_VOICE))
        ),
    }
    if grammar.contexts:
        found["two-contexts"] = lambda: _two_contexts(target)
    if grammar.timing_marks:
        found["timing-marks"] = lambda: _speak_plan(target, "timing-marks", [SAMPLE_TEXT], paced=False)
    if _flush_limit_of(grammar) is not None:
        found["flush-limit"] = lambda: _flush_limit(target)
    if isinstance(grammar, SocketGrammar) and grammar.socket.keepalive is not None:
        found["keepalive"] = lambda: _keepalive(target)
    if grammar.cancel is not None:
        found["cancel"] = lambda: _cancel(target)
    return found


def _cancel(target: RealtimeTarget) -> SocketPlan:
    """The text spoken, and the socket's cancel CANCEL_AFTER_S after its first audio; nothing is awaited but quiet."""
    utterance = target.utterance([SAMPLE_TEXT])
    opening = target.grammar.cancelling(utterance, target.grammar.opening(utterance), CANCEL_AFTER_S)
    assert opening is not None
    return SocketPlan(
        name="cancel",
        opening=opening,
        transcripts={_context_of(target, utterance.context): utterance.text},
        done=lambda events: False,
        quiet_s=QUIET_S,
    )


def rate_plan(target: RealtimeTarget) -> SocketPlan:
    """The synthesis at a rate other than the format's own, where the socket lets a client ask one: the `rate` check
    hears what a client that asked it would play, never only the rate the imitation sends anyway."""
    return _speak_plan(target, "synthesis", [SAMPLE_TEXT], paced=False, rate=target.other_rate())


def _speak_plan(
    target: RealtimeTarget, name: str, chunks: list[str], *, paced: bool, rate: int | None = None
) -> SocketPlan:
    utterance = target.utterance(chunks, rate=rate)
    opening = target.grammar.opening(utterance)
    return SocketPlan(
        name=name,
        opening=_paced(opening, TOKENS_PER_S) if paced else opening,
        transcripts={_context_of(target, utterance.context): utterance.text},
    )


def _malformed(target: RealtimeTarget) -> SocketPlan:
    opening = target.grammar.opening(target.utterance([SAMPLE_TEXT]))
    kept = opening.messages[: target.grammar.preamble]
    bad = replace(opening, messages=(*kept, Outgoing(malformed(target.grammar))))
    # Nothing is said, so nothing completes: the plan waits for the error frame or the server's close.
    return SocketPlan(
        name="error-malformed", opening=bad, done=lambda events: any(e.kind is Kind.ERROR for e in events)
    )


def malformed(grammar: Grammar) -> str | bytes:
    """A frame that is no message of the grammar's: text that is not JSON, or, where every text frame is the text
    itself (a bare-text socket), a binary frame."""
    return MALFORMED.encode() if grammar.bare_text else MALFORMED


def _two_contexts(target: RealtimeTarget) -> SocketPlan:
    first, second = (
        target.utterance(_pieces(SAMPLE_TEXT, 4), "context-a"),
        target.utterance(_pieces(OTHER_TEXT, 4), "context-b"),
    )
    a, b = target.grammar.opening(first), target.grammar.opening(second)
    interleaved = tuple(m for pair in zip_longest(a.messages, b.messages) for m in pair if m is not None)
    transcripts = {first.context: first.text, second.context: second.text}
    return SocketPlan(
        name="two-contexts",
        opening=replace(a, messages=interleaved),
        transcripts=transcripts,
        done=lambda events: {e.context for e in events if e.kind in (Kind.FINAL, Kind.ERROR)} >= set(transcripts),
    )


def _keepalive(target: RealtimeTarget) -> SocketPlan:
    """The synthesis with the socket's keepalive between its first and second text message (before the end, where
    the text is one message): taken without an answer, the speech unchanged."""
    assert isinstance(target.grammar, SocketGrammar)
    utterance = target.utterance(_pieces(SAMPLE_TEXT, 4))
    opening = target.grammar.opening(utterance)
    keepalive = target.grammar.keepalive(utterance)
    assert keepalive is not None
    first_text = opening.messages[target.grammar.preamble]
    at = target.grammar.preamble + 1
    messages = (*opening.messages[:at], replace(keepalive, after=first_text.after), *opening.messages[at:])
    return SocketPlan(
        name="keepalive",
        opening=replace(opening, messages=messages),
        transcripts={_context_of(target, utterance.context): utterance.text},
    )


def _flush_limit_of(grammar: Grammar) -> Flushes | None:
    """The socket's documented flush limit (20 every 60 seconds, say), where it has one."""
    if not isinstance(grammar, SocketGrammar) or grammar.socket.flushes is None or not grammar.socket.flushes.limit:
        return None
    return grammar.socket.flushes


def _flush_limit(target: RealtimeTarget) -> SocketPlan:
    limit = _flush_limit_of(target.grammar)
    assert limit is not None
    opening = target.grammar.opening(target.utterance(["Hi."]))
    flush = next(m for m in opening.messages if target.grammar.flushes_in((m.message,)))
    text = next(m for m in opening.messages if m is not flush)
    messages = (text, *(Outgoing(flush.message) for _ in range(limit.limit + 1)))

    def done(events: Sequence[Event]) -> bool:
        answered = sum(1 for e in events if e.kind in (Kind.FLUSHED, Kind.WARNING))
        return answered >= limit.limit + 1

    return SocketPlan(
        name="flush-limit", opening=replace(opening, messages=messages), transcripts={"": "Hi."}, done=done
    )


def sandbox_paced(plan: SocketPlan) -> SocketPlan:
    """The plan asking the sandbox to pace its stream's first chunks at playback speed (its `stall-<N>` fault): the
    fast sandbox speaks a whole utterance in milliseconds, so without it a cancel meets no speech still to come, as a
    provider's own pace makes it meet. A provider ignores the header."""
    headers = {**plan.opening.headers, FAULT_HEADER: f"stall-{CANCEL_STALLS}"}
    return replace(plan, opening=replace(plan.opening, headers=headers))


async def run_check(target: RealtimeTarget, plan: SocketPlan) -> Session:
    """Say the plan over the target's channel, recording the session."""
    grammar, opening = target.grammar, plan.opening
    url = target.channel.url(target.base_url, opening.path_params, opening.query)
    complete = reader(grammar, plan.done or (lambda events: grammar.complete(events, opening)))
    key = plan.key or target.key
    return await run_session(
        url,
        {**target.headers(key), **opening.headers},
        opening.messages,
        complete=complete,
        closing=opening.closing,
        client_closes=opening.client_closes,
        ssl=target.ssl,
        idle_timeout_s=IDLE_TIMEOUT_S,
        secrets=(key, target.key),
        heard=listener(grammar),
        key=key if grammar.key_in_message else "",
        quiet_s=plan.quiet_s,
    )


def judge(target: RealtimeTarget, plan: SocketPlan, session: Session) -> FrameFindings:
    """The frame rules, then what the check itself expects of the session."""
    if plan.name == "cancel":
        return _judge_cancel(target, plan, session)
    refusal = plan.name.startswith("error-")
    found = check_session(
        session, target.grammar, plan.transcripts, expect_audio=not refusal, marks_asked=plan.name == "timing-marks"
    )
    deliberate = {f"/frames/{f.index}" for f in session.sent() if (f.text or f.data) == malformed(target.grammar)}
    found.violations = [v for v in found.violations if v.pointer not in deliberate]
    if refusal:
        _expect_refusal(target.grammar, session, found)
    elif plan.name == "flush-limit":
        _expect_flush_warning(target.grammar, found)
    elif plan.name == "timing-marks":
        pass  # the frame rules judged its marks as asked for: spelling its transcript, none a finding
    elif session.handshake_status is not None:
        found.add(None, "/handshake", "an accepted upgrade (101)", f"HTTP {session.handshake_status}", "status")
    else:  # a check that speaks is answered without an error frame (the frame rules let an error excuse no audio)
        for event in (e for e in found.events if e.kind is Kind.ERROR):
            found.add(
                event.frame,
                "",
                "no error frame for a request the declaration allows",
                f"{event.code or 'error'}: {event.message}"[:120],
                "protocol",
            )
        _refused_by_close(target.grammar, session, found)
        if plan.name in SEAMED:
            for frame, seam in session_seams(found.events, target.grammar.audio_spec(session)):
                found.add(frame, "", SEAM_FINDINGS[seam.kind].expected, seam.detail, SEAMS_RULE)
    return found


def _refused_by_close(grammar: Grammar, session: Session, found: FrameFindings) -> None:
    """A request the declaration allows refused by the close alone (a socket that tells its errors so, no error frame
    before it): the close's code and reason name what was refused (a model no longer served)."""
    closing = session.closing
    ends = (None, 1000, grammar.ending_close)
    if (
        closing is None
        or not closing.by_server
        or closing.code in ends
        or any(e.kind is Kind.ERROR for e in found.events)
    ):
        return
    found.add(
        None,
        "/closing",
        "no error close for a request the declaration allows",
        f"close {closing.code}: {closing.reason}"[:160],
        "protocol",
    )


def _expect_refusal(grammar: Grammar, session: Session, found: FrameFindings) -> None:
    """Refused the protocol's way: an upgrade answered 4xx, or an error frame, or a documented close
    other than 1000 — and not a word spoken."""
    if session.handshake_status is not None:
        if not 400 <= session.handshake_status < 500:
            found.add(None, "/handshake", "a 4xx refusal", f"HTTP {session.handshake_status}", "status")
        return
    errors = [e for e in found.events if e.kind is Kind.ERROR]
    closing = session.closing
    closed_badly = closing is not None and closing.code not in (None, 1000) and closing.by_server
    if not errors and not closed_badly:
        found.add(
            None,
            "/closing",
            "an error frame or a documented error close",
            f"close {closing.code if closing else None} with no error frame",
            "protocol",
        )
    audio = [e for e in found.events if e.kind is Kind.AUDIO and e.audio]
    if audio:
        found.add(audio[0].frame, "", "no audio for a refused request", f"{len(audio)} audio frames", "protocol")


def _expect_flush_warning(grammar: Grammar, found: FrameFindings) -> None:
    limit = _flush_limit_of(grammar)
    assert limit is not None
    flushed = [e for e in found.events if e.kind is Kind.FLUSHED]
    warnings = [e for e in found.events if e.kind is Kind.WARNING]
    if len(flushed) != limit.limit or len(warnings) != 1:
        found.add(
            None,
            "",
            f"{limit.limit} flushes answered then one warning (the documented limit)",
            f"{len(flushed)} answered, {len(warnings)} warnings",
            "protocol",
        )


def _judge_cancel(target: RealtimeTarget, plan: SocketPlan, session: Session) -> FrameFindings:
    """A cancelled utterance has no end to check: its frames well formed, no error frame, then the cancel rule."""
    found = schema_findings(session, target.grammar)
    if session.handshake_status is not None:
        found.add(None, "/handshake", "an accepted upgrade (101)", f"HTTP {session.handshake_status}", "status")
        return found
    for event in (e for e in found.events if e.kind is Kind.ERROR):
        found.add(
            event.frame,
            "",
            "no error frame for a cancel the documents define",
            f"{event.code or 'error'}: {event.message}"[:120],
            "protocol",
        )
    context = next(iter(plan.transcripts), "")
    outcome = judged(session, target.grammar, context)
    cancel = session.sent()[-1].index if session.sent() else None
    if outcome.verdict is CancelVerdict.VIOLATION:
        found.add(cancel, "", BROKEN.expected, outcome.detail, CANCEL_RULE)
    elif outcome.verdict is CancelVerdict.FINDING:
        found.drift.append(Drift(f"/frames/{cancel}", outcome.detail, CANCEL_RULE))
    elif outcome.verdict is CancelVerdict.UNMEASURED:
        found.add(cancel, "", "a cancel that meets speech still to come", outcome.detail, CANCEL_RULE)
    return found
