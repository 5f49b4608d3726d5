"""Leading silence: the silence before the first speech in an answer, and the first speech it makes of the first
audio (TTFA + leading silence: when a listener hears a word, which Coval has counted into its time to first audio
since 2026-05). Shown beside TTFA as "first speech".

The silence is the scorer's (`scores.leading_silence_s`), measured by its conformance rule on the decoded clip: the
leading 10 ms frames whose RMS stays under Coval's perceived-onset threshold (0.01, lowered for a quiet clip). One
rule, one owner: this check reads it, never measures it again. A clip heard as all silence has no first speech.
The first speech needs a first audio (`jobs.ttfa_ms`: a streamed answer's); an answer delivered whole has its
leading silence only. docs/checks.md#leading-silence.
"""

from __future__ import annotations

from harness.checks.registry import ClipCheck, DeclaredCheck
from harness.core.checks import Better, CheckDeclaration, CheckField, Pooling
from harness.results import RequestRow

DECLARATION = CheckDeclaration(
    name="leading_silence",
    title="Leading silence",
    version="1",
    doc="docs/checks.md#leading-silence",
    fields=(
        CheckField(
            name="silence_ms",
            label="lead silence ms",
            unit="ms",
            better=Better.LOWER,
            pooling=Pooling.MEDIAN,
            meaning="Silence before the first speech of an answer (the scorer's perceived-onset rule), the "
            "median over clips with its interval between order statistics.",
        ),
        CheckField(
            name="first_speech_ms",
            label="first speech ms",
            unit="ms",
            better=Better.LOWER,
            pooling=Pooling.MEDIAN,
            beside="ttfa",
            meaning="Time to first audio plus the leading silence: when the first word is heard (streamed "
            "answers), the median over clips with its interval between order statistics.",
        ),
    ),
    reads=("scores.leading_silence_s", "scores.speech_s", "scores.error", "jobs.ttfa_ms"),
)


def measure(request: RequestRow) -> ClipCheck:
    """The clip's leading silence and first speech (ms); None where not scored or heard as all silence."""
    silence = request.leading_silence_s
    if not request.scored or request.score_error or silence is None or not request.speech_s:
        return ClipCheck({"silence_ms": None, "first_speech_ms": None})
    silence_ms = 1000.0 * silence
    first = None if request.ttfa_ms is None else request.ttfa_ms + silence_ms
    return ClipCheck({"silence_ms": silence_ms, "first_speech_ms": first})


CHECK = DeclaredCheck(DECLARATION, measure)
