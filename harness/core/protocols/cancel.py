"""A cancelled utterance judged against what its socket's documents promise (`realtime_grammar.Cancel`); it names no
provider. The one owner of the rule: the benchmark's `--cancel-after` jobs, the contract suite's cancel check and
the docs (docs/cancel.md) all read `judged`.

    client   text … (first audio) … CANCEL ─────────────── quiet for QUIET_S: the client closes
    server   audio audio audio │ audio? │ ACK? │ audio? …
                               └ cancel-to-silence: from the cancel to the last audio of its context
                                              └ after the ack: frames and seconds of audio (no ack declared: after the
                                                cancel, those within IN_FLIGHT_S of it excused as already on their way)

What the documents promise decides what audio after the reference is: DROPPED — a violation; FINISHED — expected
(the generation under way ends as it would have); SILENT — a finding (the documents say what becomes of the text,
never of the speech). A declared acknowledgement that never comes is a violation. A cancel sent after the context's
final marker cancelled nothing: the session is not judged ("unmeasured").

The cancel is the client's last message (`Grammar.cancelling` appends it and the session sends nothing after it), so
it is found without reading the client's frames.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from harness.core.checks import FindingKind
from harness.core.protocols.realtime_grammar import AfterCancel, AudioSpec, Event, Grammar, Kind, Session
from harness.core.timing_marks import TimingMark

IN_FLIGHT_S = 0.5  # no acknowledgement declared: audio this soon after the cancel left before the server read it
QUIET_S = 1.0  # after its cancel the client listens until no frame came for this long, then closes
SAMPLE_BYTES = {"pcm_s16le": 2, "pcm_f32le": 4, "pcm_mulaw": 1, "pcm_alaw": 1}


#: The rule's one name (the contract suite's violations, the runner's, `compare --fail-on`, history's JUnit case) and
#: what its verdicts break: the cancel check declares them (`harness.checks.cancel`), every judge applying it says them.
RULE = "cancel"
BROKEN = FindingKind(
    "violation",
    "what the socket's documented `Cancel` promises (harness/core/protocols/"
    "realtime_grammar.py, quoting its page): dropped — no audio of the cancelled utterance after "
    "the acknowledgement (none declared: beyond the in-flight allowance after the cancel); and the "
    "declared acknowledgement comes",
)
SILENT = FindingKind(
    "finding",
    "none: the documents say what becomes of the text, not of the speech, so audio after "
    "the cancel is recorded, not a violation",
)


class CancelVerdict(StrEnum):
    KEPT = "kept"  # the speech after the cancel is what the documents promise
    VIOLATION = "violation"  # audio where the documents promise none, or no acknowledgement where they promise one
    FINDING = "finding"  # audio after it where the documents are silent
    UNMEASURED = "unmeasured"  # the cancel met no speech (the utterance had ended), or was never sent


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelOutcome:
    """One cancelled session's figures (seconds on the session's clock; None: not measured) and its verdict."""

    cancel_s: float | None
    ack_s: float | None
    to_silence_ms: float | None  # from the cancel to the last audio frame of its context (0: none came after it)
    after_ack_frames: int | None  # audio frames of the context after the acknowledgement (none declared: the cancel)
    after_ack_audio_s: float | None  # their seconds of audio (None: not decodable here)
    verdict: CancelVerdict
    detail: str


def raw_seconds(spec: AudioSpec) -> Callable[[bytes], float | None]:
    """Seconds of a raw PCM chunk of `spec` (None for a container or a compressed codec: the caller decodes)."""
    width = SAMPLE_BYTES.get(spec.codec) if spec.container == "raw" else None

    def seconds(audio: bytes) -> float | None:
        return None if width is None else len(audio) / (width * spec.sample_rate)

    return seconds


def judged(
    session: Session, grammar: Grammar, context: str = "", seconds_of: Callable[[bytes], float | None] | None = None
) -> CancelOutcome:
    """`session`, whose last client message was the grammar's cancel, judged for the utterance `context`."""
    declared = grammar.cancel
    sent = session.sent()
    if declared is None or not sent:
        return _unmeasured("the socket declares no cancel, or nothing was sent")
    cancel = sent[-1]
    seconds = seconds_of or raw_seconds(grammar.audio_spec(session))
    events = [
        e
        for f in session.received()
        for e in grammar.read(f).events
        if not grammar.contexts or e.context in ("", context)
    ]  # one utterance a socket: every answer is its
    before = [e for e in events if e.frame < cancel.index]
    if not any(e.kind is Kind.AUDIO and e.audio for e in before):
        return _unmeasured("no audio came before the cancel")
    if any(e.kind is grammar.final_kind for e in before):
        return _unmeasured("the utterance had ended before the cancel: there was nothing to cancel")
    after = [e for e in events if e.frame > cancel.index]
    audio = [e for e in after if e.kind is Kind.AUDIO and e.audio]
    to_silence = (audio[-1].t_s - cancel.t_s) * 1000.0 if audio else 0.0
    ack = next((e for e in after if e.kind is declared.ack), None) if declared.ack is not None else None
    reference = ack.frame if ack is not None else cancel.index
    late = [e for e in audio if e.frame > reference]
    lengths = [seconds(e.audio) for e in late]
    late_s = None if any(n is None for n in lengths) else sum(n for n in lengths if n is not None)
    verdict, detail = _verdict(declared.after, declared.ack, ack, late, cancel.t_s)
    return CancelOutcome(
        cancel_s=cancel.t_s,
        ack_s=None if ack is None else ack.t_s,
        to_silence_ms=round(to_silence, 3),
        after_ack_frames=len(late),
        after_ack_audio_s=None if late_s is None else round(late_s, 4),
        verdict=verdict,
        detail=detail,
    )


def _verdict(
    after: AfterCancel, ack_kind: Kind | None, ack: Event | None, late: list[Event], cancel_s: float
) -> tuple[CancelVerdict, str]:
    if ack_kind is not None and ack is None:
        return CancelVerdict.VIOLATION, f"no {ack_kind.value} answer acknowledged the cancel, as the documents promise"
    # No acknowledgement declared: audio that left before the server read the cancel is excused.
    beyond = late if ack is not None else [e for e in late if e.t_s - cancel_s > IN_FLIGHT_S]
    if not beyond or after is AfterCancel.FINISHED:
        return CancelVerdict.KEPT, ""
    where = "the acknowledgement" if ack is not None else f"{IN_FLIGHT_S * 1000:g} ms after the cancel"
    said = f"{len(beyond)} audio frames of the cancelled utterance after {where} (the first in frame {beyond[0].frame})"
    if after is AfterCancel.DROPPED:
        return CancelVerdict.VIOLATION, said + ", where the documents promise none"
    return CancelVerdict.FINDING, said + "; the documents do not say what becomes of speech already asked for"


def _unmeasured(why: str) -> CancelOutcome:
    return CancelOutcome(
        cancel_s=None,
        ack_s=None,
        to_silence_ms=None,
        after_ack_frames=None,
        after_ack_audio_s=None,
        verdict=CancelVerdict.UNMEASURED,
        detail=why,
    )


def cut_by_cancel(verdict: str | None) -> bool:
    """Whether a job's utterance ended where its cancel cut it (`cancel_verdict` kept, violation or finding: the
    cancel met speech), not where its text did: none, or unmeasured (the utterance had ended), is a whole one."""
    return verdict is not None and verdict != CancelVerdict.UNMEASURED.value


def spoken_before_cancel(marks: Sequence[TimingMark], sent: str, *, chars: bool = False) -> str:
    """The sent text as far as a cancelled utterance's marks reach (issue 79): its first words, as many as the marks
    name. A cancel ends the utterance mid-text, so its marks are judged against the words spoken before it — a word
    after the cancel point is neither missing nor misspelt — and the audio's end is the cancel's, not the provider's:
    no mark is held to it (the caller judges no bound). A word whose characters the cancel cut (character marks) is
    the part of it they mark."""
    said = ("".join(m.text for m in marks) if chars else " ".join(m.text for m in marks)).split()
    words = sent.split()[: len(said)]
    if said and len(words) == len(said) and words[-1] != said[-1] and words[-1].startswith(said[-1]):
        words[-1] = said[-1]
    return " ".join(words)
