"""Speaker similarity: how close a cloned clip's voice is to the reference voice it was cloned from (the cosine of the
two speaker embeddings, 0 to 1; above about 0.85 is the same voice), per offering as the mean over its cloned clips
with its Student's t interval, and its fall between runs (a cloning model that drifts from the voice it was given).

The similarity is the scorer's (`scores.similarity`, from the speaker encoder, for a clip whose job uploaded a
reference voice or named one the harness holds): this check reads it, never embeds a voice again. A clip with no
reference, not scored, or whose scoring failed gives no figure. A mean with Student's t suits a bounded score with light
tails (harness.measurement's `score_mean_interval`). docs/checks.md#similarity.
"""

from __future__ import annotations

from harness.checks.registry import ClipCheck, DeclaredCheck
from harness.core.checks import Better, ChangeRule, CheckDeclaration, CheckField, Pooling
from harness.results import RequestRow

# A fall of more than 5% over the clips both runs cloned: from the 0.93 the sandbox's cloning offerings read, 0.88;
# the same voice still (above 0.85), but audibly less of it. Paired, so the texts' own spread is taken out.
FALL = 0.05

DECLARATION = CheckDeclaration(
    name="similarity",
    title="Speaker similarity",
    version="1",
    doc="docs/checks.md#speaker-similarity",
    fields=(
        CheckField(
            name="cosine",
            label="similarity",
            unit="cosine",
            key="similarity",  # the report column's and the JSON's key before the check was declared
            better=Better.HIGHER,
            pooling=Pooling.MEAN,
            bounds=(0.0, 1.0),
            decimals=3,
            beside="wer_pooled",  # with intelligibility, as it stood before it was declared
            default_column=True,
            meaning="Speaker similarity of cloned clips to the reference voice (cosine of the speaker embeddings, "
            "0–1; above about 0.85 is the same voice), the mean over clips with its 95% Student's t interval.",
        ),
    ),
    reads=("scores.similarity", "scores.error"),
    thresholds={"fall": FALL},
    change=ChangeRule(field="cosine", relative=FALL),
)


def measure(request: RequestRow) -> ClipCheck:
    """The cloned clip's similarity to its reference; None where it had no reference, was not scored or failed."""
    if not request.scored or request.score_error or request.similarity is None:
        return ClipCheck({"cosine": None})
    return ClipCheck({"cosine": float(request.similarity)})


CHECK = DeclaredCheck(DECLARATION, measure)
