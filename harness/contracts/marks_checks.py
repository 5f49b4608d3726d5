"""The HTTP speech family's timing-marks check (issue 65): an answer whose endpoint declares marks in it (its JSON,
its events or lines) carries marks that keep the invariants of `harness.core.timing_marks` — in order, each message
going on from the one before (no overlap, no restart at a chunk), spelling the text sent — read by the runner's own
reading (`harness.core.protocols.marks.answer_timing_marks`) and judged by the one verdict `bench run` gives
(`harness.core.timing_marks.judge_marks`), their ends bounded by the answer's audio where its bytes tell its seconds.
A broken one fails under the rule's one name (`marks`) naming its kind's promise (both the rule's own,
`harness.core.timing_marks.RULE` and `FINDINGS`, which the timing-marks check declares), the message and the JSON
pointer of its marks; a time that is no time (NaN, a
list of millions) is a failure too. Marks that keep every invariant but sit where the words are not said fail the
`onset` rule (`harness.core.timing_marks.onset_finding`), the words heard by the aligner `bench run`'s scorer uses
(`harness.speech.ReferenceAligner`: the shipped voice's rendering warped onto the answer) — where the sandbox extra
and scipy are installed (a base install has no ear: the rule is not judged there). Marks a request of their own
answers (`lines`) are the runner's (`harness.runner.deliver.marks_request`), not checked here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.core.audio import AudioDecodeError, read_declared
from harness.core.audio_fields import carrier
from harness.core.protocols.http_speech import Format, Synthesis
from harness.core.protocols.marks import EVENTS, JSON, NDJSON, Marks, answer_messages, answer_timing_marks
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.spec import EventStreamBody, JsonBody, NdjsonBody
from harness.core.timing_marks import (
    FINDINGS,
    MarksAnswer,
    MarksFinding,
    MarksKind,
    TimingMark,
    as_words,
    judge_marks,
    onset_finding,
    paired_onsets,
)
from harness.core.timing_marks import RULE as MARKS_RULE
from harness.core.verdict import Violation

NAME = "timing-marks"
SAMPLE_RATE_HEARD = 16000  # the aligner hears 16 kHz mono


def answer_form(synthesis: Synthesis) -> str:
    """How the synthesis' answer carries its marks: one JSON document, events or lines; "" where it carries none."""
    marks = synthesis.marks
    if marks is None or marks.lines:
        return ""
    body = carrier(synthesis.endpoint.response_for(synthesis.endpoint.success_status))
    if isinstance(body, EventStreamBody):
        return EVENTS
    if isinstance(body, NdjsonBody):
        return NDJSON
    return JSON if isinstance(body, JsonBody) else ""


def where_listed(marks: Marks, part: int) -> str:
    """The pointer of a message's marks: the list of objects, or the list of starts."""
    return f"{NAME}/message/{part}{marks.items_at if marks.items_at is not None else marks.start_at}"


def marks_violations(
    synthesis: Synthesis,
    body: bytes,
    sent: str,
    duration_s: float | None = None,
    audio: bytes | None = None,
    fmt: Format | None = None,
) -> list[Violation]:
    """What an answer's marks break, by the one verdict `bench run` gives (`judge_marks`; `duration_s`: the audio's
    seconds, where they could be read, for the bounds; `audio` in `fmt`: the answer's sound, where the marks keep
    every invariant, for the `onset` rule), each naming the message and pointer of its first mark concerned."""
    marks, form = synthesis.marks, answer_form(synthesis)
    assert marks is not None and form
    found, problems = answer_timing_marks(marks, answer_messages(body, marks, form))
    violations = []
    answer = MarksAnswer(
        marks=tuple(found),
        duration_s=duration_s,
        sent=sent,
        chars=marks.chars,
        problems=tuple(problems),
        advertised=True,
    )
    findings = list(judge_marks(answer))
    if not findings and audio is not None and fmt is not None:
        findings += [onset] if (onset := heard_onset(found, marks.chars, audio, fmt.spec, sent)) else []
    for finding in findings:
        if finding.kind is MarksKind.MISSING:
            violations.append(Violation(where_listed(marks, 0), FINDINGS[finding.kind].expected, "none", MARKS_RULE))
            continue
        part = found[finding.index].part if finding.index is not None and finding.index < len(found) else 0
        at = (
            f"{NAME}/message"
            if finding.kind is MarksKind.BAD_INPUT and finding.index is None
            else where_listed(marks, part)
        )
        violations.append(Violation(at, FINDINGS[finding.kind].expected, finding.message, MARKS_RULE))
    return violations


def answer_seconds(synthesis: Synthesis, audio: bytes, fmt: Format) -> float | None:
    """The seconds of an answer's audio in `fmt`, read from its bytes as declared (None: they cannot be told without
    a decoder), against which the marks' ends are bounded. A stream's pieces joined are one sound only where they
    are headerless: joined files (a WAV an event) would read as the first one's length."""
    if answer_form(synthesis) != JSON and fmt.spec.container != "raw":
        return None
    try:
        info = read_declared(audio, fmt.spec.codec, fmt.spec.container, fmt.spec.sample_rate)
    except AudioDecodeError:
        return None
    return info.duration_s if info.problem is None else None


def asked(marks: Marks) -> dict[str, Any]:
    """The request fields that ask for the marks, by pointer (as `Marks.ask` writes them)."""
    return {at: value for at, value in [(marks.asked_by, marks.asked_value), *marks.also_sets] if at}


def heard_onset(
    marks: Sequence[TimingMark], chars: bool, audio: bytes, spec: AudioSpec, sent: str
) -> MarksFinding | None:
    """The `onset` rule on an answer's sound (`audio`, as `spec` declares it): where the aligner hears each sent word
    against the marks' starts; None where it holds, where the aligner cannot place the words (it says why to `bench
    run`; here a word it cannot place is no pair), or where no ear is installed."""
    try:
        import soxr

        from harness.speech import AudioCodecError, ReferenceAligner, decode_as
    except ImportError:  # a base install: numpy, soundfile, soxr and scipy come with the sandbox and score extras
        return None
    try:
        samples, rate = decode_as(audio, spec.codec, spec.container, spec.sample_rate or 0)
    except (AudioCodecError, ValueError):
        return None  # the format checks say what the bytes are
    if not rate or not len(samples) or not sent:
        return None
    mono = samples if samples.ndim == 1 else samples.mean(axis=1)
    aligner = ReferenceAligner()
    try:
        placed = aligner.align(soxr.resample(mono, rate, SAMPLE_RATE_HEARD), sent)
    except ImportError:
        return None
    pairs = paired_onsets(as_words(marks) if chars else marks, [(w.text, w.start_s) for w in placed])
    return onset_finding(pairs, aligner.onset_limit_ms)
