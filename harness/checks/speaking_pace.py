"""Speaking pace: the words a minute an answer is heard speaking, per offering with its interval, and its change
between runs (a model version announced as compatible that speaks 14% slower fails `history`'s gate).

A clip's pace is the sent text's words (the scorer's normalised reference, `scores.ref_words`) over the heard speech
(`scores.speech_s`: the clip less its leading and trailing silence, by the scorer's conformance rule), times 60.
The sent words, not the recogniser's: a pace must not move when the recogniser or its model does, and a small
recogniser drops and merges words exactly where speech is fast, so its count would bias the figure where it
changes; what the answer failed to say is WER's to report, and a clip heard too far from its text (WER above
`max_wer`) gives no pace at all. Languages written without spaces have no words to count (they are scored by
CER): no pace. Pause time inside the speech counts, as a listener hears it (a speaking rate, not an articulation
rate). docs/checks.md#speaking-pace.
"""

from __future__ import annotations

from harness.checks.registry import ClipCheck, DeclaredCheck
from harness.core.checks import Better, ChangeRule, CheckDeclaration, CheckField, Pooling
from harness.results import ErrorUnit, RequestRow

MAX_WER = 0.5  # a clip heard further from its text says nothing of the pace its text was read at
MIN_SPEECH_S = 0.5  # shorter speech holds too few words to time

DECLARATION = CheckDeclaration(
    name="speaking_pace",
    title="Speaking pace",
    version="1",
    doc="docs/checks.md#speaking-pace",
    fields=(
        CheckField(
            name="wpm",
            label="pace wpm",
            unit="wpm",
            better=Better.NEITHER,
            pooling=Pooling.GEOMETRIC_MEAN,
            meaning="Words of the sent text a minute of the speech heard (its leading and trailing "
            "silence left out), the geometric mean over clips with its 95% Student's t interval "
            "on the logarithms.",
        ),
    ),
    reads=("scores.ref_words", "scores.speech_s", "scores.unit", "scores.wer", "scores.error"),
    thresholds={"max_wer": MAX_WER, "min_speech_s": MIN_SPEECH_S},
    change=ChangeRule(field="wpm", relative=0.10),
)


def measure(request: RequestRow) -> ClipCheck:
    """The clip's words a minute; None where it was not scored, has no words to count or is too far from its text."""
    words, speech = request.ref_words, request.speech_s
    if (
        not request.scored
        or request.score_error
        or request.unit != ErrorUnit.WORD
        or not words
        or speech is None
        or speech < MIN_SPEECH_S
        or request.wer is None
        or request.wer > MAX_WER
    ):
        return ClipCheck({"wpm": None})
    return ClipCheck({"wpm": 60.0 * words / speech})


CHECK = DeclaredCheck(DECLARATION, measure)
