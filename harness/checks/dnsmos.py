"""DNSMOS: the overall quality a clip is estimated to have (Microsoft's DNSMOS P.835, OVRL, 1 to 5; higher is better),
per offering as the mean over its clips with its Student's t interval, and its fall between runs.

The estimate is the scorer's (`scores.dnsmos_overall`, written when the `score-heavy` extra is installed and the run
did not turn it off): this check reads it, never estimates it again. A clip not scored, or whose scoring failed, gives
no figure. A mean with Student's t suits a bounded score with light tails (harness.measurement's
`score_mean_interval`, the interval the report's column has always carried). docs/checks.md#dnsmos.
"""

from __future__ import annotations

from harness.checks.registry import ClipCheck, DeclaredCheck
from harness.core.checks import Better, ChangeRule, CheckDeclaration, CheckField, Pooling
from harness.results import RequestRow

# A fall of more than 5% of the run before's estimate, over the clips both runs spoke: 0.14 of a point at the 2.73 the
# README's run reads on average (276 clips from 1.8 to 3.4). Paired, so the texts' own spread is taken out.
FALL = 0.05

DECLARATION = CheckDeclaration(
    name="dnsmos",
    title="DNSMOS",
    version="1",
    doc="docs/checks.md#dnsmos",
    fields=(
        CheckField(
            name="overall",
            label="DNSMOS",
            unit="score",
            key="dnsmos",  # the report column's and history's key before the check was declared
            better=Better.HIGHER,
            pooling=Pooling.MEAN,
            bounds=(1.0, 5.0),
            decimals=2,
            meaning="DNSMOS P.835 overall quality estimate (1–5, higher is better), the mean over clips with its "
            "95% Student's t interval.",
        ),
    ),
    reads=("scores.dnsmos_overall", "scores.error"),
    thresholds={"fall": FALL},
    change=ChangeRule(field="overall", relative=FALL),
)


def measure(request: RequestRow) -> ClipCheck:
    """The clip's DNSMOS overall estimate; None where it was not scored, its scoring failed or nothing estimated it."""
    if not request.scored or request.score_error or request.dnsmos_overall is None:
        return ClipCheck({"overall": None})
    return ClipCheck({"overall": float(request.dnsmos_overall)})


CHECK = DeclaredCheck(DECLARATION, measure)
