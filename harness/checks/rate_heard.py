"""The rate heard: whether an answer's samples are at the rate they are labelled with (a 24 kHz voice labelled
16 kHz plays 1.5 times as long and as low), per offering, and a rate newly heard wrong between runs
(docs/checks.md#rate-heard, docs/seams.md). A rule of its own, not a seam: rule `rate` in the contract suite,
`compare` and `history`'s gate.

The rate is told once, after the run, by `harness.measurement.audio_findings` (the rule: `harness.core.heard_rate`,
by the answer's length against the same text's other answers, or by the voice's pitch) and stored on the job's row
(`jobs.heard_rate`: the rate heard where it is not the declared one, NULL where it is or was not judged;
`jobs.heard_rate_how`: the finding in words). The store cannot tell "judged, as declared" from "not judged", so an
answer counts as judged where it was heard at another rate or where its stream was judged at its seams
(`jobs.seam_findings` not NULL): the run before an offering's newest is the latest that streamed it or heard it
wrong. Its summary figures join the seams' section, where they have always been said.
"""

from __future__ import annotations

from harness.checks.registry import ClipCheck, DeclaredCheck
from harness.core.checks import Better, ChangeRule, ChangeTest, CheckDeclaration, CheckField, Pooling
from harness.core.heard_rate import HEARD_WRONG
from harness.core.heard_rate import RULE as RATE_RULE
from harness.results import RequestRow

DECLARATION = CheckDeclaration(
    name="rate_heard",
    title="Rate heard",
    version="1",
    doc="docs/checks.md#rate-heard",
    fields=(
        CheckField(
            name="misrated",
            label="answers heard at another rate than declared",
            unit="answers",
            better=Better.LOWER,
            pooling=Pooling.SUM,
            meaning="The answers whose samples are heard at another rate than they are labelled with.",
        ),
        CheckField(
            name="rates_heard",
            label="rate heard",
            heading="rate heard",
            unit="Hz",
            better=Better.NEITHER,
            pooling=Pooling.TALLY,
            absent="as declared",
            meaning="Each rate heard other than the declared one, with the answers heard at it.",
        ),
    ),
    reads=("jobs.heard_rate", "jobs.heard_rate_how", "jobs.seam_findings"),
    findings=(HEARD_WRONG,),
    change=ChangeRule(
        field="misrated",
        test=ChangeTest.NEWLY,
        relative=0.0,
        name=RATE_RULE,
        heading="The newest run's samples are heard at another rate than declared",
    ),
    answers_only=False,
    shown_with="seams",
)


def measure(request: RequestRow) -> ClipCheck:
    """The rate an answer was heard at where it is not the declared one (to the hertz), 0 answers so heard for a
    stream judged as declared, nothing for an answer not judged."""
    if request.heard_rate:
        return ClipCheck(
            {"misrated": 1.0, "rates_heard": float(round(request.heard_rate))},
            ((HEARD_WRONG.kind, str(request.heard_rate_how or "")),),
        )
    if request.seam_findings is not None:
        return ClipCheck({"misrated": 0.0, "rates_heard": None})
    return ClipCheck({})


CHECK = DeclaredCheck(DECLARATION, measure)
