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

Its views (`VIEWS`) read the run's rows (`RunRows.spans`), not a job's: its figures per offering (`from_run`),
`compare`'s test per category (`run_test`), `history`'s series per category with its misreadings (`run_series`), the
summary's tables (`run_sections`: `summary_sections`), the leaderboard's `hard_text` with its Wilson interval and the
report's default column of it (`share`), and the report's section with each failing clip's audio (`report_section`:
`report_values` rendered by `read_right.html.j2`). The first, the summary's and the report's are views of one
computation, its figures of the run per offering and category (`figures`), which a reader wanting them asks here: no
face computes them. Registered (`CHECK`): every face reads it through them, naming it nowhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from harness.checks.registry import ClipCheck, DeclaredCheck
from harness.checks.views import (
    OwnFigures,
    OwnViews,
    ReportSection,
    RunSeries,
    RunTest,
    SectionView,
    SeriesPoint,
    ShareColumn,
    Shown,
    Tested,
)
from harness.core.checks import Better, ChangeRule, ChangeTest, CheckDeclaration, CheckField, FindingKind, Pooling
from harness.core.hard_text import HardTextVerdict
from harness.measurement import (
    CategoryFigures,
    Proportion,
    across_models,
    category_figures,
    compare_runs,
    mcnemar_worse,
    normalisation_differences,
)
from harness.results import RequestRow, RunRows, SpanScoreRow, shipped_judgeability

FALL = 0.05  # compare: a category's accuracy lower by more than this, absolute, over the items both runs judged

RULE_NAME = "hard-text"  # the rule's one name: `compare --fail-on`, history's findings

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
        name=RULE_NAME,
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


def figures(rows: RunRows) -> tuple[CategoryFigures, ...]:
    """The check's figures of a run, per offering and category (`harness.measurement.category_figures`: items,
    those judged and read right, the failing and unsure readings, a category its ASR model's shipped self-test found
    it cannot judge said unscored, with why); none where the run judged no span. Its one computation: its figures per
    offering (`read_right_figures`), the summary's sections and the report's are each a view of it, and a reader that
    wants them per category (a perf script, a test) asks it here."""
    return tuple(category_figures(rows.spans, shipped_judgeability())) if rows.spans else ()


def read_right_figures(categories: Sequence[CategoryFigures]) -> tuple[OwnFigures, ...]:
    """Each offering's items read right and judged over the categories its ASR model's self-test found judgeable
    (`categories`: the run's figures, `figures`; a category not judgeable or not measured is left out), by offering:
    the figure of the hard-text section's "all scored" row and the leaderboard's."""
    table = across_models(categories)
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


def fell_per_category(base: RunRows, new: RunRows, who: tuple[str, str], size: float, fewest: int) -> Iterable[Tested]:
    """`compare`'s test of one offering: each category both runs judged, on the items judged in both, NEW's share
    read right against BASE's (one-sided exact McNemar of those read right in one run only), beyond where it fell by
    more than `size`; fewer than `fewest` such items: not tested. Its examples: NEW's first two misreadings."""
    categories = sorted(
        {row.category for row in base.spans if (row.provider, row.model) == who}
        & {row.category for row in new.spans if (row.provider, row.model) == who}
    )
    for category in categories:
        paired = compare_runs(base.spans, new.spans, who, category)
        statistic = f"hard text: {category} accuracy"
        if paired.items < fewest:
            yield Tested(statistic=statistic, short=f"{paired.items} items judged in both runs; need {fewest}")
            continue
        base_right, new_right = paired.both + paired.only_first, paired.both + paired.only_second
        worse = [
            f"{row.item_id} read {row.heard!r} ({row.error})"
            for row in new.spans
            if (row.provider, row.model) == who
            and row.category == category
            and not row.control
            and row.verdict == HardTextVerdict.FAIL
        ][:2]
        yield Tested(
            statistic=statistic,
            base=base_right / paired.items,
            new=new_right / paired.items,
            change=(new_right - base_right) / paired.items,
            p_value=mcnemar_worse(paired.only_first, paired.only_second),
            beyond=read_right_fell(base_right, new_right, paired.items, size),
            details=tuple(worse),
        )


SERIES_PREFIX = "hard-text:"  # history's series keys, one per category ("hard-text:money"), as before declared


def category_points(rows: RunRows) -> Iterable[SeriesPoint]:
    """`history`'s points of a run: each category's accuracy with its Wilson interval, every category judged (an
    unscored one too: the same ASR over the same items, a change in what it hears is still a change in what was
    said)."""
    for figure in category_figures(rows.spans):
        accuracy = figure.accuracy
        if accuracy.trials:
            yield SeriesPoint(
                provider=figure.provider,
                model=figure.model,
                key=figure.category,
                value=accuracy.value,
                low=accuracy.low,
                high=accuracy.high,
                sample_size=accuracy.trials,
            )


def misreadings(rows: RunRows) -> Iterable[tuple[str, str, str]]:
    """Each failing reading of a calibrated item, in the check's words (`misreading`)."""
    for figure in category_figures(rows.spans):
        for row in figure.failures:
            yield figure.provider, figure.model, misreading(row)


def _proportion(accuracy: Proportion) -> Shown:
    """ "83% 20/24 71–91%": the accuracy, passes of the judged items, and its interval."""
    if not accuracy.trials:
        return Shown("— 0 judged", {"successes": 0, "trials": 0})
    return Shown(
        f"{accuracy.value:.0%} {accuracy.successes}/{accuracy.trials} {accuracy.low:.0%}–{accuracy.high:.0%}",
        {
            "accuracy": accuracy.value,
            "successes": accuracy.successes,
            "trials": accuracy.trials,
            "low": accuracy.low,
            "high": accuracy.high,
        },
    )


def _across(figure: CategoryFigures | None) -> Shown:
    if figure is None:
        return Shown("")
    if figure.unscored:
        return Shown(figure.unscored)
    return _proportion(figure.accuracy)


def _notes(figures: tuple[CategoryFigures, ...], examples: int, sandbox: bool) -> SectionView | None:
    """The categories not scored with why and each model's failing readings (the sandbox's one voice said first)."""
    table_of = across_models(figures)
    unscored = {category: why for category in table_of.categories if (why := table_of.unscored(category)) is not None}
    said = []
    if sandbox:
        said.append(
            "Sandbox: every offering speaks with the same voice (the sandbox's Piper), so these figures tell "
            "the imitation's readings apart, not the providers'."
        )
    if unscored:
        said.append("Not scored: " + "; ".join(f"{category} ({why})" for category, why in unscored.items()) + ".")
    for provider, model in table_of.systems:
        failing = [
            row
            for category in table_of.categories
            if category not in unscored and (figure := table_of.cell(category, (provider, model)))
            for row in figure.failures
        ]
        if failing:
            shown = "; ".join(f"{row.item_id} {row.heard!r} ({row.error})" for row in failing[:examples])
            more = len(failing) - examples
            said.append(f"{provider}/{model} failed {len(failing)}: {shown}" + (f"; +{more} more" if more > 0 else ""))
    return SectionView(key="hard_text_notes", lines=tuple(said), values={"unscored": unscored}) if said else None


def _normalisation(figures: tuple[CategoryFigures, ...]) -> SectionView | None:
    """Where the run read models with their provider's own text normalisation off and on (`bench run
    --normalisation off,on`): per model and category, each setting's accuracy and the difference on − off."""
    differences = normalisation_differences(figures)
    if not differences:
        return None
    rows: list[tuple[str | Shown, ...]] = []
    for row in differences:
        label = f"{row.provider}/{row.model}"
        if row.unscored:
            rows.append((label, row.category, row.unscored, "", ""))
            continue
        off, on = (
            Shown(
                "—" if not p.trials else f"{p.value:.0%} ({p.successes}/{p.trials})", None if not p.trials else p.value
            )
            for p in (row.off, row.on)
        )
        both = bool(row.off.trials and row.on.trials)
        rows.append(
            (
                label,
                row.category,
                off,
                on,
                Shown(f"{row.difference:+.0%}" if both else "—", row.difference if both else None),
            )
        )
    return SectionView(
        key="",
        lines=(),
        values={},
        table="normalisation",
        title="Hard text, the provider's own normalisation: accuracy off and on (judged items), on − off",
        headings=(("model", True), ("category", True), ("off", False), ("on", False), ("on − off", False)),
        keys=("", "", "", "", "difference"),
        rows=tuple(rows),
    )


def summary_sections(
    figures: tuple[CategoryFigures, ...], examples: int = 2, *, sandbox: bool = False
) -> tuple[SectionView, ...]:
    """The summary's hard-text sections, as before the check was registered: the team's question in one table,
    category × model, each cell the accuracy on the judged items (forced choice, docs/hard-text.md), passes of judged
    and its Wilson 95% interval, and each model's pooled accuracy over every scored category; then the categories
    not scored with why and each model's failing readings (`examples` of each; `sandbox`: said to be one voice), and
    the normalisation table. None where the run judged no span."""
    if not figures:
        return ()
    table_of = across_models(figures)
    scored = [category for category in table_of.categories if table_of.unscored(category) is None]
    rows: list[tuple[str | Shown, ...]] = [
        (category, *(_across(table_of.cell(category, system)) for system in table_of.systems)) for category in scored
    ]
    rows.append(("all scored", *(_proportion(table_of.pooled(system)) for system in table_of.systems)))
    labels = tuple(f"{provider}/{model}" for provider, model in table_of.systems)
    table = SectionView(
        key="",
        lines=(),
        values={},
        table="hard_text",
        title="Hard text: each span judged by forced choice (the reading the clip is likeliest under); accuracy on "
        "the items whose control passed, passes of judged, Wilson 95%",
        headings=(("category", True), *((label, False) for label in labels)),
        keys=("", *labels),
        rows=tuple(rows),
    )
    return tuple(one for one in (table, _notes(figures, examples, sandbox), _normalisation(figures)) if one is not None)


def report_values(
    rows: RunRows, audio: Callable[[str], str | None], same_voice: bool, examples: int = 5
) -> Mapping[str, Any] | None:
    """The report's hard-text section (`read_right.html.j2`): the table across models, per model the categories
    (`category_figures`), each with its first failing and unsure readings and their clips, and the normalisation
    table; None where the run judged no span."""
    found = figures(rows)
    if not found:
        return None
    models: dict[str, list[dict[str, Any]]] = {}
    for figure in found:
        models.setdefault(f"{figure.provider}/{figure.model}", []).append(
            {
                "figure": figure,
                "failures": [{"row": row, "audio": audio(row.clip_id)} for row in figure.failures[:examples]],
                "unsure": [{"row": row, "audio": audio(row.clip_id)} for row in figure.unsure[:examples]],
            }
        )
    return {
        "models": [{"label": label, "categories": categories} for label, categories in models.items()],
        "across": across_models(found),
        "same_voice": same_voice,
        "normalisation": normalisation_differences(found),
    }


def measure_job(row: RequestRow) -> ClipCheck:
    """A job's row holds none of this check's evidence (an item's verdicts are the run's `span_scores`, two clips
    each): the registry's per-clip reading gives nothing, and a face reading its views reads its figures from the
    run (`VIEWS.from_run`)."""
    return ClipCheck({})


VIEWS = OwnViews(
    figures=lambda requests: (),  # a job's rows hold no verdict: the figures are the run's (from_run)
    from_run=lambda rows: read_right_figures(figures(rows)),
    # history's gate on hard text is its change-point method over the per-category series (run_series), as before it
    # was declared: no rule of its own on the newest run, so no JUnit case of one
    worse=lambda run_id, after, before: None,
    rule=DECLARATION.change_said(),
    # the summary's hard-text tables and notes, after what was spent: the summary computes none of them itself
    run_sections=lambda rows, sandbox: summary_sections(figures(rows), sandbox=sandbox),
    # the leaderboard's `hard_text` (every offering's, with its Wilson interval) and the report's default column of it,
    # after CER as before the check was declared
    share=ShareColumn(
        field="accuracy",
        meaning="Hard-text accuracy in %: spans read right over the judged items of every category the ASR model can "
        "judge (forced choice, docs/hard-text.md), with its Wilson 95% interval; the hard-text section has it per "
        "category.",
        after="cer_pooled",
    ),
    report_section=ReportSection(
        template=Path(__file__).with_name("read_right.html.j2").read_text(encoding="utf-8"),
        values=report_values,
    ),
    run_test=RunTest(
        metric=RULE_NAME,  # its rule's one name: `compare --fail-on hard-text`
        threshold="hard_text",  # the declared threshold's name: `compare --threshold hard_text=...`
        said=lambda size: f"-{size:.2f} absolute",
        test="one-sided exact McNemar",
        unit="rate",
        method="per category, the items judged in both runs (control passed, read right or as a known "
        "misreading): one-sided exact McNemar test (binomial at 1/2) of those read right in BASE only "
        "against those read right in NEW only",
        judge=fell_per_category,
    ),
    run_series=RunSeries(
        prefix=SERIES_PREFIX,
        label=lambda category: f"Hard text: {category} accuracy",
        unit="rate",
        points=category_points,
        kind=MISREAD.kind,
        findings=misreadings,
        example=lambda category, what: what.startswith(f"{category}: "),  # `misreading`'s words open with it
    ),
)

CHECK = DeclaredCheck(DECLARATION, measure_job, views=VIEWS)

READ_RIGHT = DECLARATION
