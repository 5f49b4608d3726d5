"""Hard text read right: whether a hard-text item's span — an amount of money, a date, a phone number, a URL… — was
read as written means, per offering and category, and a fall between runs (docs/checks.md#hard-text-read-right,
docs/hard-text.md).

The verdicts are judged once, after the run, by the forced-choice judge (`harness.scoring.hard_text`: which of the
item's accepted readings and known misreadings the clip is likeliest under) and stored one row per judged clip in
`span_scores` (`harness.results.hard_text`), not on the job's row: an item is two clips, as written and its control
(the same sentence with the span already in words). This check reads those rows and never judges again: an item
counts only where its control passed and its written reading was decided (read right, or as a known misreading);
an offering's accuracy is the items read right over those judged (a ratio of totals, which its faces give with its
Wilson 95% interval, `harness.measurement.hard_text`'s), over the categories the judging ASR model's self-test found
it can judge.

A verdict is its audio's, but each run speaks its items anew, so a change between runs pairs the items both judged:
a fall of a category's accuracy past 0.05 absolute on them is worse, tested one-sided by exact McNemar
(`ChangeTest.PAIRED_FALL`; fewer than five items: not judged) — `compare`'s metric `hard-text`.

Not yet registered (`READ_RIGHT`, not `CHECK`): the registry's per-clip reading and its views read a job's row
(`RequestRow`), and this check's evidence is the run's `span_scores`, an item's two clips; until the views are given
the run's verdict rows, the summary's tables, the report's column and section and `history`'s series read the
figures by name (docs/checks.md#hard-text-read-right says what is left).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from harness.checks.registry import ClipCheck
from harness.checks.views import OwnFigures
from harness.core.checks import Better, ChangeRule, ChangeTest, CheckDeclaration, CheckField, FindingKind, Pooling
from harness.core.hard_text import HardTextVerdict
from harness.measurement import across_models, category_figures
from harness.results import SpanScoreRow, shipped_judgeability

FALL = 0.05  # compare: a category's accuracy lower by more than this, absolute, over the items both runs judged

MISREAD = FindingKind(
    "hard-text",
    "a hard-text item read as written means one of its accepted readings: its span (money, a date, a phone number, a "
    "URL…) said as a reader says it, never as a known misreading (docs/hard-text.md)",
)

DECLARATION = CheckDeclaration(
    name="read_right",
    title="Hard text read right",
    version="1",
    doc="docs/checks.md#hard-text-read-right",
    fields=(
        CheckField(
            name="read_right",
            label="items read right",
            unit="items",
            better=Better.HIGHER,
            pooling=Pooling.SUM,
            meaning="The judged hard-text items whose span was read as one of its accepted readings.",
        ),
        CheckField(
            name="judged",
            label="items judged",
            unit="items",
            better=Better.NEITHER,
            pooling=Pooling.SUM,
            meaning="The hard-text items judged: the control passed, the written reading was read right or as a "
            "known misreading (another reading or unsure: kept, never counted).",
        ),
        CheckField(
            name="accuracy",
            label="hard text",
            unit="share",
            better=Better.HIGHER,
            pooling=Pooling.RATIO,
            of=("read_right", "judged"),
            bounds=(0.0, 1.0),
            decimals=2,
            key="hard_text",  # the leaderboard's JSON key and the report's column, as before it was declared
            meaning="Hard-text accuracy: spans read right over the judged items of every category the ASR model can "
            "judge (forced choice, docs/hard-text.md), with its Wilson 95% interval.",
        ),
    ),
    reads=(
        "span_scores.provider",
        "span_scores.model",
        "span_scores.item_id",
        "span_scores.category",
        "span_scores.control",
        "span_scores.verdict",
        "span_scores.heard",
        "span_scores.error",
        "span_scores.asr_model",
        "span_scores.method",
        "span_scores.thresholds",
    ),
    findings=(MISREAD,),
    thresholds={"hard_text": FALL},
    change=ChangeRule(
        field="accuracy",
        test=ChangeTest.PAIRED_FELL,
        relative=0.0,
        absolute=FALL,
        min_pairs=5,
        name="hard-text",
        statistic="accuracy",
    ),
    answers_only=False,
)

_DECIDED = (HardTextVerdict.PASS, HardTextVerdict.FAIL)


def misreading(row: SpanScoreRow) -> str:
    """A failing reading in words: its category, item, what was heard and the error type."""
    return f"{row.category}: {row.item_id} read {row.heard!r} ({row.error})"


def measure(written: SpanScoreRow, control: SpanScoreRow | None) -> ClipCheck:
    """An item (its written clip's verdict and its control's): read right or not where judged, with the misreading as
    its finding; nothing where it was not judged (no control, a control that failed, another reading, unsure)."""
    if control is None or control.verdict != HardTextVerdict.PASS or written.verdict not in _DECIDED:
        return ClipCheck({})
    right = written.verdict == HardTextVerdict.PASS
    return ClipCheck(
        {"read_right": 1.0 if right else 0.0, "judged": 1.0}, () if right else ((MISREAD.kind, misreading(written)),)
    )


def read_right_figures(spans: Iterable[SpanScoreRow]) -> tuple[OwnFigures, ...]:
    """Each offering's items read right and judged over the categories its ASR model's self-test found judgeable
    (the shipped self-tests; a category not judgeable or not measured is left out), by offering: the figure of the
    hard-text section's "all scored" row and the leaderboard's."""
    table = across_models(category_figures(spans, shipped_judgeability()))
    return tuple(
        OwnFigures(provider, model, {"read_right": pooled.successes, "judged": pooled.trials})
        for provider, model in table.systems
        for pooled in (table.pooled((provider, model)),)
    )


def read_right_fell(base_right: int, new_right: int, items: int, absolute: float | None = None) -> bool:
    """The declared rule on a category's items judged in both runs: BASE's share read right against NEW's, a fall by
    more than `absolute` (None: the declared 0.05; `compare --threshold hard_text=...` gives another) is worse."""
    rule = DECLARATION.change
    assert rule is not None
    if absolute is not None:
        rule = replace(rule, absolute=absolute)
    # The fall as one division, as compare always computed it: the difference of the two shares can differ from it in
    # the last bit at the boundary (20/20 - 19/20 > 0.05, but 1/20 is 0.05 exactly). Relative is 0: no base needed.
    return bool(items) and rule.worse((base_right - new_right) / items, 0.0)


def judged_items(rows: Sequence[SpanScoreRow]) -> list[tuple[SpanScoreRow, ClipCheck]]:
    """Each written clip among `rows` with its item's reading (`measure`), in the rows' order."""
    controls = {(row.provider, row.model, row.category, row.item_id): row for row in rows if row.control}
    return [
        (row, measure(row, controls.get((row.provider, row.model, row.category, row.item_id))))
        for row in rows
        if not row.control
    ]


READ_RIGHT = DECLARATION
