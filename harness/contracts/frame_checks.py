"""Frame-level checks of a realtime session: what crossed the socket, judged frame by frame.

`check_session(session, grammar, transcripts)` reads a recorded `Session` (live, sandbox or a fixture: the
checks are pure functions of the frames) and returns `Violation`s located at `/frames/<index>/...`:

    schema     every message, both directions, validates against its protocol's model, its audio text in its
               declared encoding; binary frames only where the protocol sends audio that way
    order      each utterance (context) ends with exactly one final message (isFinal, done, Flushed per
               Flush); nothing of it comes after its final or its error; a socket without a final message
               (`Grammar.ending_close`) is ended by the server's close with its code, after the client's last frame
    turns      where each turn's audio ends with an answer of its own (`Grammar.turn_ends`: an
               is_final_audio_for_turn), one comes after the utterance's last audio, before its final
    echo       an answer that carries back a request's id (`Grammar.answered_id`: a request_id, a flush's nonce)
               names one the client gave (`Grammar.sent_ids`) before it, never a constant of its own
    contexts   every message names a context the client opened; timestamps name only words of their own
               context's transcript (two contexts' audio never mixed)
    marks      each utterance's marks, read from the frames as `bench run` reads them, judged by the one verdict
               (`harness.core.timing_marks.judge_marks`): numbers (not NaN, not millions), in order, within the
               audio (or one sample-rate mismatch), no duplicate timestamps, no overlap or restart between frames;
               where the check asked for them (`marks_asked`), spelling the transcript, and none a finding; named
               by the rule's one name and each kind's promise (`harness.core.timing_marks.RULE`, `FINDINGS`)
    audio      the bytes read as the declared encoding (`harness.core.audio.read_declared`, from the bytes
               alone: no decoder, so a base install runs these checks): whole samples, floats within
               [-1.5, 1.5], a container whole, of the declared kind, and at its declared rate (headerless
               audio cannot say its rate: a wrong rate shows as marks beyond the audio)
    close      the socket ends with a documented close code (a drop without a close frame is a violation)

`FrameFindings.text()` prints each as `frame 12: /frames/12/alignment/charStartTimesMs/3: expected ..., got ...`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from harness.contracts.marks_checks import heard_onset
from harness.core.audio import RAW_SAMPLE_BYTES, AudioDecodeError, AudioKind, float_peak, read_declared
from harness.core.protocols.marks import socket_marks_of, socket_timing_marks
from harness.core.protocols.realtime_grammar import AudioSpec, Direction, Event, Grammar, Kind, Session
from harness.core.timing_marks import (
    FINDINGS,
    MarksAnswer,
    MarksFinding,
    MarksKind,
    TimingMark,
    judge_marks,
    spoken_words,
)
from harness.core.timing_marks import RULE as MARKS_RULE
from harness.core.verdict import Drift, Violation, pointer

_FLOAT_PEAK = 1.5  # float samples a little over full scale are a resampler's overshoot, not a wrong encoding


@dataclass(slots=True)
class FrameFindings:
    violations: list[Violation] = field(default_factory=list)
    drift: list[Drift] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def add(self, frame: int | None, inner: str, expected: str, got: str, rule: str) -> None:
        at = pointer("frames", frame) + inner if frame is not None else inner
        self.violations.append(Violation(at, expected, got, rule))

    def text(self) -> str:
        return "\n".join(_line(v) for v in self.violations)


def _line(violation: Violation) -> str:
    parts = violation.pointer.split("/")
    frame = f"frame {parts[2]}: " if len(parts) > 2 and parts[1] == "frames" else ""
    return f"{frame}{violation}"


def check_session(
    session: Session,
    grammar: Grammar,
    transcripts: Mapping[str, str] | None = None,
    *,
    expect_audio: bool = True,
    marks_asked: bool = False,
) -> FrameFindings:
    """Every frame rule on one session. `transcripts`: each context's text as the client sent it
    (context "" for protocols with one utterance a socket); `expect_audio`: the session should speak;
    `marks_asked`: the check asked for the marks, so they must spell each transcript and none is a finding."""
    found = FrameFindings()
    _schema(session, grammar, found)
    _order(session, grammar, found)
    _turns(session, grammar, found)
    _echoes(session, grammar, found)
    _contexts(grammar, transcripts or {}, found)
    _alignment_and_audio(session, grammar, found, expect_audio, transcripts or {}, marks_asked)
    _close(session, grammar, found)
    return found


def schema_findings(session: Session, grammar: Grammar) -> FrameFindings:
    """Only the frames' own rules (each well formed, its events read): a session with no end to judge (a cancel's)."""
    found = FrameFindings()
    _schema(session, grammar, found)
    return found


def _schema(session: Session, grammar: Grammar, found: FrameFindings) -> None:
    rank = {Direction.SEND: 0, Direction.RECV: 0}
    for frame in session.frames:
        reading = grammar.read(frame, rank[frame.direction])  # audio text not in its encoding is a violation too
        rank[frame.direction] += 1
        found.violations.extend(reading.problems)
        found.drift.extend(reading.drift)
        found.events.extend(reading.events)


def _order(session: Session, grammar: Grammar, found: FrameFindings) -> None:
    ended: dict[str, int] = {}  # context -> the frame of its final or error
    finals: dict[str, int] = defaultdict(int)
    for event in found.events:
        context = event.context
        if context in ended and event.kind in (Kind.AUDIO, Kind.MARKS, grammar.final_kind):
            found.add(
                event.frame,
                "",
                f"nothing more for {_name(context)} after frame {ended[context]}",
                f"a {event.kind.value} message",
                "order",
            )
            continue
        if event.kind is grammar.final_kind:
            finals[context] += 1
            if grammar.final_kind is Kind.FINAL:
                ended[context] = event.frame
        elif event.kind is Kind.ERROR and grammar.contexts:
            ended[context] = event.frame
    if grammar.ending_close is not None and not _refused(found, session):
        _ended_by_close(session, grammar.ending_close, found)
    flushes = (
        grammar.flushes_in([f.text if f.text is not None else f.data for f in session.sent()])
        if grammar.final_kind is Kind.FLUSHED
        else 0
    )
    answered = finals[""] + sum(1 for e in found.events if e.kind is Kind.WARNING)  # a Warning answers a Flush
    if grammar.final_kind is Kind.FLUSHED and not _refused(found, session) and answered != flushes:
        found.add(
            None,
            "",
            f"one Flushed (or Warning) for each of the {flushes} Flush messages sent",
            f"{finals['']} Flushed",
            "order",
        )
    if grammar.final_kind is Kind.FLUSHED and finals[""]:
        last = max(e.frame for e in found.events if e.kind is Kind.FLUSHED)
        late = [e for e in found.events if e.kind is Kind.AUDIO and e.frame > last]
        if late and flushes == finals[""]:
            found.add(
                late[0].frame,
                "",
                "no audio after the Flushed that answers the last Flush",
                f"{len(late)} audio frames",
                "order",
            )


def _turns(session: Session, grammar: Grammar, found: FrameFindings) -> None:
    """Where each turn ends with an answer of its own, the utterance's last audio is followed by one (a client that
    ends its turn on it waits for it), before the final where one came."""
    if not grammar.turn_ends or _refused(found, session):
        return
    audio = [e.frame for e in found.events if e.kind is Kind.AUDIO and e.audio]
    if not audio:
        return
    final = min((e.frame for e in found.events if e.kind is Kind.FINAL), default=math.inf)
    if not any(audio[-1] < e.frame <= final for e in found.events if e.kind is Kind.FLUSHED):
        found.add(
            audio[-1],
            "",
            "the turn's end (its own answer) after the last audio, before the final",
            "none" if final == math.inf else f"the final in frame {final} first",
            "order",
        )


def _echoes(session: Session, grammar: Grammar, found: FrameFindings) -> None:
    """Every answer that carries back a request's id names one the client gave before it."""
    if not grammar.echoes_ids:
        return
    given: list[object] = []
    for frame in session.frames:
        if frame.data is not None and grammar.binary_audio and frame.direction is Direction.RECV:
            continue
        try:
            message = grammar.decode(frame)
        except ValueError:
            continue
        if frame.direction is Direction.SEND:
            given.extend(grammar.sent_ids(message))
            continue
        carries, said = grammar.answered_id(message)
        if carries and given and said not in given:
            found.add(
                frame.index,
                "",
                f"the id the request gave ({', '.join(map(repr, given[-3:]))}) carried back",
                repr(said),
                "echo",
            )


def _ended_by_close(session: Session, code: int, found: FrameFindings) -> None:
    """No final message: the utterance ends when the server closes with `code`, once the client has said all."""
    closing = session.closing
    if closing is None or not closing.by_server or closing.code != code:
        by = "server" if closing is not None and closing.by_server else "client"
        how = "no close" if closing is None else f"close {closing.code} by the {by}"
        found.add(None, "/closing", f"the server's close {code}, which ends the utterance", how, "order")
        return
    sent = session.sent()
    if sent and sent[-1].t_s > closing.t_s:
        found.add(
            sent[-1].index,
            "",
            f"the server's close {code} after the client's last frame",
            f"a frame sent {sent[-1].t_s - closing.t_s:.3f} s after it",
            "order",
        )


def _refused(found: FrameFindings, session: Session) -> bool:
    """Refused at the upgrade, by an error frame, or by the server's close naming an error (a `DATA-0001` reason)."""
    closing = session.closing
    closed_badly = closing is not None and closing.by_server and closing.code not in (None, 1000)
    return session.handshake_status is not None or closed_badly or any(e.kind is Kind.ERROR for e in found.events)


def _name(context: str) -> str:
    return f"context {context!r}" if context else "the utterance"


def _contexts(grammar: Grammar, transcripts: Mapping[str, str], found: FrameFindings) -> None:
    if not grammar.contexts:
        return
    opened = set(transcripts)
    finals: dict[str, int] = defaultdict(int)
    for event in found.events:
        if event.context and opened and event.context not in opened:
            found.add(
                event.frame,
                "/context_id",
                f"one of the contexts sent ({', '.join(sorted(opened))})",
                repr(event.context),
                "contexts",
            )
        if event.kind is Kind.FINAL:
            finals[event.context] += 1
        if event.kind is Kind.MARKS and event.context in transcripts and not grammar.character_marks:
            allowed = set(spoken_words(transcripts[event.context]))
            for index, mark in enumerate(event.marks):
                if spoken_words(mark.text) and not set(spoken_words(mark.text)) <= allowed:
                    found.add(
                        event.frame,
                        f"{event.pointer}/words/{index}",
                        f"a word of {_name(event.context)}'s transcript",
                        repr(mark.text),
                        "contexts",
                    )
    if grammar.character_marks:  # a character names no word: each context's characters, joined, spell its words
        _context_characters(transcripts, found)
    errors = {e.context for e in found.events if e.kind is Kind.ERROR}
    for context in sorted(opened - errors):
        if finals[context] != 1:
            found.add(None, "", f"exactly one done for {_name(context)}", str(finals[context]), "order")


def _context_characters(transcripts: Mapping[str, str], found: FrameFindings) -> None:
    """Character marks, each context's joined in order: the words they spell are its transcript's."""
    for context, transcript in transcripts.items():
        marked = [e for e in found.events if e.kind is Kind.MARKS and e.context == context]
        allowed = set(spoken_words(transcript))
        stray = [word for word in spoken_words("".join(m.text for e in marked for m in e.marks)) if word not in allowed]
        if stray:
            found.add(
                marked[0].frame,
                marked[0].pointer,
                f"the characters of {_name(context)}'s transcript",
                " ".join(stray)[:120],
                "contexts",
            )


def _alignment_and_audio(
    session: Session,
    grammar: Grammar,
    found: FrameFindings,
    expect_audio: bool,
    transcripts: Mapping[str, str],
    marks_asked: bool,
) -> None:
    spec, chunk_files = grammar.audio_spec(session), grammar.chunk_files
    audio: dict[str, list[tuple[int, bytes]]] = defaultdict(list)
    for event in found.events:
        if event.kind is Kind.AUDIO and event.audio:
            audio[event.context].append((event.frame, event.audio))
    spoken = bool(audio)
    if expect_audio and not spoken and not any(e.kind is Kind.ERROR for e in found.events):
        found.add(None, "", "audio", "no audio frame", "audio")
    durations: dict[int, float] = {}  # frame -> seconds of audio it carried
    totals: dict[str, float] = {}
    for context, chunks in audio.items():
        total = _audio(spec, chunks, chunk_files, found)
        if total is not None:
            totals[context] = total
        width = RAW_SAMPLE_BYTES.get(spec.codec)
        if spec.container == "raw" and width and spec.sample_rate:
            durations.update({frame: len(data) / width / spec.sample_rate for frame, data in chunks})
    # Each context's sound as one stream, for the `onset` rule (a file a chunk is not one sound: not heard)
    sounds = {} if chunk_files else {context: b"".join(data for _, data in chunks) for context, chunks in audio.items()}
    _alignment(session, grammar, found, (durations, totals, sounds), transcripts, marks_asked)


def _audio(spec: AudioSpec, chunks: list[tuple[int, bytes]], chunk_files: bool, found: FrameFindings) -> float | None:
    """The audio rule on one context's chunks, read from their bytes as `spec` declares them (no decoder: the
    base install runs these checks); its seconds, or None where they cannot be told."""
    # Each chunk a file of its own (chunk_files): read one by one, their lengths added; else one stream.
    pieces = [data for _, data in chunks] if chunk_files else [b"".join(data for _, data in chunks)]
    first = chunks[0][0]
    try:
        infos = [read_declared(piece, spec.codec, spec.container, spec.sample_rate) for piece in pieces]
    except AudioDecodeError as error:
        found.add(first, "", f"audio in {spec}", str(error), "audio")
        return None
    problem = next((info.problem for info in infos if info.problem is not None), None)
    if problem is not None:
        found.add(first, "", f"audio in {spec}", problem, "audio")
        return None
    rate = infos[0].sample_rate
    if rate != spec.sample_rate and infos[0].kind is not AudioKind.OPUS:  # Opus always runs at 48 kHz
        found.add(first, "", f"audio at {spec.sample_rate} Hz (declared)", f"{rate} Hz in its header", "audio")
    if spec.codec == "pcm_f32le":
        peaks = [peak for piece in pieces if (peak := float_peak(piece, spec.container)) is not None]
        loudest = max(peaks, key=lambda peak: math.inf if math.isnan(peak) else peak, default=0.0)
        if not loudest <= _FLOAT_PEAK:
            found.add(first, "", "float samples within [-1, 1]", f"peak {loudest:.3g}", "audio")
    seconds = [info.duration_s for info in infos]
    return sum(s for s in seconds if s is not None) if None not in seconds else None


def _alignment(
    session: Session,
    grammar: Grammar,
    found: FrameFindings,
    heard: tuple[Mapping[int, float], Mapping[str, float], Mapping[str, bytes]],
    transcripts: Mapping[str, str],
    asked: bool,
) -> None:
    """Each utterance's marks, read from the frames as `bench run` reads them (`socket_timing_marks`), judged by the one
    verdict (`harness.core.timing_marks.judge_marks`) against its audio's seconds; against its transcript, and none at
    all a finding, where the check `asked` for them. Chunk-relative marks whose chunks' seconds cannot be told here
    (a container's) are judged only as what they are (numbers), not placed. `heard`: each audio frame's seconds,
    each context's seconds and its sound; marks that keep every invariant are held to where the words are heard
    there (the `onset` rule, `harness.contracts.marks_checks.heard_onset`)."""
    declared = socket_marks_of(grammar)
    if declared is None:
        return
    durations, totals, sounds = heard
    spec = grammar.audio_spec(session)
    frames = {frame.index: frame.text for frame in session.received()}
    for context in _utterances(grammar, found, transcripts):
        events = [e for e in found.events if not grammar.contexts or e.context == context]
        chunks = [durations.get(e.frame) for e in events if e.kind is Kind.AUDIO and e.audio]
        placed = not declared.chunk_relative or None not in chunks
        marks, problems = socket_timing_marks(declared, frames, events, [c or 0.0 for c in chunks])
        sent = transcripts.get(context, "") if asked else ""
        answer = MarksAnswer(
            marks=tuple(marks) if placed else (),
            duration_s=totals.get(context),
            sent=sent,
            chars=declared.chars,
            problems=tuple(problems),
            advertised=asked and placed,
        )
        where = {e.frame: e.pointer for e in events if e.kind is Kind.MARKS}
        findings = list(judge_marks(answer))
        if not findings and placed and sent and context in sounds:
            findings += [onset] if (onset := heard_onset(marks, declared.chars, sounds[context], spec, sent)) else []
        for finding in findings:
            if finding.kind is MarksKind.SAMPLE_RATE:  # named at the first mark past the audio, where one is
                total = totals.get(context, 0.0)
                finding = replace(finding, index=next((i for i, m in enumerate(marks) if m.end_s > total), None))
            frame, inner = _marks_pointer(finding, marks, where, declared.text_at)
            if finding.kind is MarksKind.MISSING:  # where the list would be: in the first audio frame it rides on
                audio = next((e.frame for e in events if e.kind is Kind.AUDIO), None)
                frame = audio if declared.answer is None else next(iter(where), None)
            found.add(frame, inner, FINDINGS[finding.kind].expected, finding.message, MARKS_RULE)


def _utterances(grammar: Grammar, found: FrameFindings, transcripts: Mapping[str, str]) -> list[str]:
    """The contexts whose marks are judged: each sent (and each that answered), or the socket's one utterance."""
    if not grammar.contexts:
        return [next(iter(transcripts), "")]
    answered = [e.context for e in found.events if e.kind in (Kind.AUDIO, Kind.MARKS)]
    return list(dict.fromkeys([*transcripts, *answered]))


def _marks_pointer(
    finding: MarksFinding, marks: list[TimingMark], where: Mapping[int, str], text_at: str
) -> tuple[int | None, str]:
    """The frame and pointer of the first mark a finding concerns (`/alignment/charStartTimesMs/3`), else the first
    marks frame's list."""
    if finding.index is None or finding.index >= len(marks):
        first = next(iter(where), None)
        return first, where.get(first, text_at) if first is not None else text_at
    frame = marks[finding.index].part
    within = finding.index - next(i for i, m in enumerate(marks) if m.part == frame)
    return frame, f"{where.get(frame, '')}/{within}"


def _close(session: Session, grammar: Grammar, found: FrameFindings) -> None:
    closing = session.closing
    if session.handshake_status is not None or closing is None:
        return
    if closing.code is None:
        found.add(None, "/closing", "a close frame with a documented code", closing.reason, "close")
    elif closing.code not in grammar.close_codes and not 3000 <= closing.code < 5000:
        found.add(
            None,
            "/closing/code",
            "a documented close code (" + ", ".join(map(str, grammar.close_codes)) + ")",
            str(closing.code),
            "close",
        )
