"""Timing marks: whether a provider's word and character marks say where its audio says each word (issue 65,
docs/marks.md) — per offering, the onset error of its marks against where the harness's aligner hears each word
(median and p95 with their intervals), the coverage, and the invariants' findings by kind — and every face's view of
it (docs/checks.md#timing-marks).

The rule that judges a clip's marks is `harness.core.timing_marks` (`judge_marks`, `onset_finding`: the one verdict
the contract suite gives too); `harness.measurement.marks` derives a clip's figures once (`marks_columns`: the job's
`marks_*` columns) and pools an offering's (`offering_marks`). This check reads those and never judges again.

Named `timing_marks`, not `marks`: the registry names a check by its module, and "marks" is a word of its own across
the harness (the wire's marks in every protocol, the runner's marks evidence, SSML's `<mark>`, the report's ★ marks),
so the plain word would name no one owner; the rule's module is `harness.core.timing_marks` too.

Its faces say more than a declared field's pooling can (a p95 over every word of an offering's clips with its
interval, the findings with an example each), so the module gives each face's view (`OwnViews`). One rule of change,
as before: an offering's marks are worse when a run finds a kind of finding the run before it had not (none before:
every kind new) — a finding is deterministic, not noise, so one run is enough; `compare --fail-on marks` applies it
NEW against BASE and `history`'s gate the newest run against the latest earlier one with the offering's marks.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from harness.checks.registry import ClipCheck, DeclaredCheck
from harness.checks.views import (
    ColumnView,
    Judged,
    ModelsColumn,
    OwnFigures,
    OwnViews,
    PageTable,
    PlacedColumns,
    RuleView,
    SectionView,
    Shown,
)
from harness.core.checks import Better, ChangeRule, ChangeTest, CheckDeclaration, CheckField, Pooling
from harness.core.timing_marks import FINDINGS
from harness.core.timing_marks import RULE as MARKS_RULE
from harness.measurement import NOT_HEARD, OfferingMarks, offering_marks, worse_kinds
from harness.results import RequestRow, RunRows
from harness.speech import ONSET_LIMIT_MS

RULE = (
    "An offering's marks are worse when the newest run finds a kind of marks finding (docs/marks.md: times going "
    "back, ends past the audio, a wrong rate, duplicate timestamps, a misspelling, overlap or restart, none sent, "
    f"bad input, a median onset error past its aligner's limit, {ONSET_LIMIT_MS:.0f} ms for the default one) the "
    "run before it did not "
    "(harness.checks.timing_marks)."
)

DECLARATION = CheckDeclaration(
    name="timing_marks",
    title="Timing marks",
    version="1",
    doc="docs/checks.md#timing-marks",
    fields=(
        CheckField(
            name="answers",
            label="answers",
            unit="answers",
            better=Better.NEITHER,
            pooling=Pooling.SUM,
            meaning="The answers that carried timing marks (their evidence stored).",
        ),
        CheckField(
            name="onset_p50_ms",
            label="onset p50",
            unit="ms",
            better=Better.LOWER,
            pooling=Pooling.EVERY_VALUE_P50,
            meaning="The median onset error of every paired word mark of the offering's answers against where "
            "the aligner hears the word, with its 95% interval between order statistics.",
        ),
        CheckField(
            name="onset_p95_ms",
            label="onset p95",
            unit="ms",
            better=Better.LOWER,
            pooling=Pooling.EVERY_VALUE_P95,
            key="marks_p95_ms",
            meaning="The 95th percentile of the same onset errors, with its interval (none below about ninety words).",
        ),
        CheckField(
            name="coverage",
            label="coverage",
            unit="share",
            better=Better.HIGHER,
            pooling=Pooling.MEAN,
            decimals=2,
            meaning="Words marked over words sent, the mean over the answers with marks.",
        ),
        CheckField(
            name="findings",
            label="marks findings",
            unit="findings",
            better=Better.LOWER,
            pooling=Pooling.SUM,
            meaning="The invariants' findings, counted by kind (MarksKind).",
        ),
    ),
    reads=("jobs.marks_json", "jobs.marks_coverage"),
    findings=tuple(FINDINGS.values()),  # the rule's own words (harness.core.timing_marks)
    # the onset limit is the aligner's own, stored with the words it heard (`heard_words`): this is the default one's
    thresholds={"onset_limit_ms": ONSET_LIMIT_MS},
    change=ChangeRule(
        field="findings",
        test=ChangeTest.NEW_KIND,
        relative=0.0,
        name=MARKS_RULE,
        case="timing marks",
        heading="The newest run's timing marks are worse",
    ),
)


def measure(request: RequestRow) -> ClipCheck:
    """A clip's marks as `harness.measurement.marks` stored them: its coverage and findings, each word's onset error
    a sample; nothing for an answer that carried no marks."""
    try:
        found = json.loads(str(request.marks_json)) if request.marks_json else None
    except ValueError:
        found = None
    if not isinstance(found, dict):
        return ClipCheck({})
    findings = tuple((str(item.get("kind")), str(item.get("line"))) for item in found.get("findings") or ())
    errors = tuple(float(error) for error in found.get("errors_ms") or ())
    return ClipCheck(
        {"answers": 1.0, "coverage": request.marks_coverage, "findings": float(len(findings))},
        findings,
        {"onset_ms": errors},
    )


def figures(requests: Sequence[RequestRow]) -> tuple[OwnFigures, ...]:
    """Per offering whose answers carried marks, in the rows' order (`offering_marks`); none for a run without."""
    return tuple(OwnFigures(one.provider, one.model, _values(one, requests)) for one in offering_marks(requests))


def _values(one: OfferingMarks, requests: Sequence[RequestRow]) -> dict[str, Any]:
    """The offering's marks, its p95 onset error, and each marked clip's worst words (item, [[word, mark_s, heard_s,
    error_ms]]: the report opens them on demand)."""
    p95 = None if one.figures is None else one.figures.p95_ms[0]
    worst = tuple(
        (r.item_id, tuple(tuple(w) for w in json.loads(str(r.marks_json)).get("worst", ())))
        for r in requests
        if r.marks_json and (r.provider, r.model) == (one.provider, one.model)
    )
    return {"marks": one, "marks_p95_ms": p95, "marks_worst": worst}


def _ms(figure: tuple[float, float, float] | None) -> Shown:
    if figure is None:
        return Shown("—", None)
    value, low, high = figure
    shown = f"{value:,.0f}" + ("" if math.isnan(low) else f" [{low:,.0f}–{high:,.0f}]")
    return Shown(
        shown,
        {
            "ms": round(value, 1),
            "low": None if math.isnan(low) else round(low, 1),
            "high": None if math.isnan(high) else round(high, 1),
        },
    )


def _coverage(value: float | None) -> Shown:
    return Shown("—" if value is None else f"{value:.0%}", None if value is None else round(value, 4))


def models_cell(figure: OwnFigures) -> Shown:
    """The models table's column: "p95 ms (coverage)"."""
    one: OfferingMarks = figure.values["marks"]
    p95 = None if one.figures is None else one.figures.p95_ms[0]
    shown = ("—" if p95 is None else f"{p95:,.0f}") + ("" if one.coverage is None else f" ({one.coverage:.0%})")
    return Shown(shown, {"p95_ms": None if p95 is None else round(p95, 1), "coverage": one.coverage})


MARKS_COLUMN = ModelsColumn(heading="marks p95", key="marks", cell=models_cell)


def summary_columns(rows: RunRows, figures: Sequence[OwnFigures]) -> tuple[tuple[ModelsColumn, str], ...]:
    """The summary's models table's column "marks p95" where some offering's answers carried marks (none: no
    column), adding no words to the table's title."""
    return ((MARKS_COLUMN, ""),) if figures else ()


def _row(one: OfferingMarks) -> tuple[str | Shown, ...]:
    onset = one.figures
    return (
        one.label,
        Shown(str(one.answers), one.answers),
        _ms(None if onset is None else onset.median_ms),
        _ms(None if onset is None else onset.p95_ms),
        Shown(str(onset.words if onset else 0), onset.words if onset else 0),
        _coverage(one.coverage),
        Shown(str(one.total), one.total),
        ", ".join(f"{kind} {count}" for kind, count in sorted(one.findings.items())) or "none",
    )


def section(found: Sequence[OwnFigures]) -> SectionView | None:
    """The summary's timing marks: a line for the run, a line per offering and kind of finding naming one, and a
    table of every offering whose answers carried marks, with the aligner's own error stated beside; nothing for a
    run whose answers carried none."""
    if not found:
        return None
    marks: list[OfferingMarks] = [figure.values["marks"] for figure in found]
    total = sum(m.total for m in marks)
    # each aligner that heard the run's words, by its own error: a stored run keeps the one that heard it
    aligner = "; ".join(dict.fromkeys(a for m in marks for a in m.aligners)) or NOT_HEARD
    lines = [
        f"Timing marks: {sum(m.answers for m in marks)} answers of {len(marks)} offerings marked, {total} "
        f"finding{'s' if total != 1 else ''}; onset error against the aligner's, beside {aligner}."
    ]
    lines += [
        f"Marks: {m.label}: {kind} in {count} answer{'s' if count != 1 else ''} ({m.examples[kind]})."
        for m in marks
        for kind, count in sorted(m.findings.items())
    ]
    values = {
        "aligner": aligner,
        "offerings": [
            {
                "provider": m.provider,
                "model": m.model,
                "answers": m.answers,
                "coverage": m.coverage,
                "onset_p50_ms": None if m.figures is None else _ms(m.figures.median_ms).value,
                "onset_p95_ms": None if m.figures is None else _ms(m.figures.p95_ms).value,
                "findings": dict(m.findings),
            }
            for m in marks
        ],
    }
    return SectionView(
        key="marks",
        lines=tuple(lines),
        values=values,
        table="marks",
        title="Timing marks: onset error (ms) of each offering's marks against where the aligner hears each word, "
        "95% intervals (docs/marks.md)",
        headings=(
            ("model", True),
            ("answers", False),
            ("onset p50", False),
            ("onset p95", False),
            ("words", False),
            ("coverage", False),
            ("findings", False),
            ("kinds", True),
        ),
        keys=("", "", "onset_p50_ms", "onset_p95_ms", "", "", "", ""),
        rows=tuple(_row(m) for m in marks),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class MarksWorse:
    """An offering whose newest run's marks have a kind of finding its run before did not."""

    provider: str
    model: str
    kinds: tuple[str, ...]  # the new kinds
    example: str  # one finding of the first new kind, in words
    run_id: str
    before: str | None  # the run compared with (None: no run before it had marks of this offering)

    def describe(self) -> str:
        since = f"than in run {self.before}" if self.before else "(no run before it with its marks)"
        return (
            f"{self.provider}/{self.model}: timing marks worse in run {self.run_id} {since}: "
            f"{', '.join(self.kinds)} ({self.example})"
        )


def marks_worse(newest: str, after: OfferingMarks, before: tuple[str, OfferingMarks] | None) -> MarksWorse | None:
    """The offering, where its newest run's marks find a kind of finding the run before's had not."""
    new = worse_kinds(before[1] if before else None, after)
    if not new:
        return None
    return MarksWorse(
        provider=after.provider,
        model=after.model,
        kinds=new,
        example=after.examples[new[0]],
        run_id=newest,
        before=before[0] if before else None,
    )


def worse(newest: str, figure: OwnFigures, before: tuple[str, OwnFigures] | None) -> MarksWorse | None:
    """The gate's view: `marks_worse` on the offering's figures."""
    return marks_worse(newest, figure.values["marks"], (before[0], before[1].values["marks"]) if before else None)


def _said(side: str, one: OfferingMarks | None) -> str:
    if one is None:
        return f"{side}: no marks"
    p95 = "—" if one.figures is None else f"{one.figures.p95_ms[0]:.0f} ms"
    coverage = "—" if one.coverage is None else f"{one.coverage:.0%}"
    return f"{side}: onset p95 {p95}, coverage {coverage}, findings {dict(sorted(one.findings.items())) or 'none'}"


def judge(before: OwnFigures | None, after: OwnFigures) -> Judged:
    """`compare`'s view: NEW's marks against BASE's, a new kind of finding a regression."""
    base: OfferingMarks | None = None if before is None else before.values["marks"]
    new: OfferingMarks = after.values["marks"]
    fresh = worse_kinds(base, new)
    return Judged(
        change=float(len(fresh)),
        worse=bool(fresh),
        details=(*(f"{kind}: {new.examples[kind]}" for kind in fresh), _said("BASE", base), _said("NEW", new)),
    )


def _note(values: Mapping[str, Any]) -> str:
    marks: OfferingMarks = values["marks"]
    return (
        ""
        if marks.coverage is None
        else f"{marks.coverage:.0%} of words" + (f", {marks.total} findings" if marks.total else "")
    )


def _page_cells(flagged: MarksWorse) -> tuple[str, ...]:
    return (f"{flagged.provider}/{flagged.model}", ", ".join(flagged.kinds), flagged.example, flagged.before or "—")


VIEWS = OwnViews(
    figures=figures,
    worse=worse,
    rule=RULE,
    section=section,
    # the summary's models table's column at the table's end, before the fields checks declare there, where it stood
    placed=PlacedColumns(after="", columns=summary_columns),
    report_keys=("marks", "marks_p95_ms", "marks_worst"),
    columns=(
        ColumnView(
            key="marks",
            heading="marks p95",
            figure="marks_p95_ms",
            after="flagged",
            note=_note,
            attrs=lambda values: (("marks-findings", str(values["marks"].total)),),
            present=lambda values: values.get("marks") is not None,
            absent="—",
            default=False,
            meaning="95th percentile onset error (ms) of the model's timing marks against where the harness's "
            "aligner hears each sent word, its coverage (words marked / words sent) and findings under it; the "
            "aligner's own error on known truth is stored with the words it placed and stated in docs/marks.md; — : "
            "its answers carried no marks.",
        ),
    ),
    compared=RuleView(
        metric="marks",
        statistic="new kinds of timing-marks findings",
        threshold="any new kind",
        judge=judge,
        method="timing marks: a kind of marks finding (docs/marks.md) in NEW that BASE's marks had not "
        "(harness.measurement.worse_kinds); the p95 onset error and coverage of each side shown",
    ),
    page=PageTable(
        heading="Timing marks worse",
        table_id="marks",
        attribute="marks",
        none="No offering's timing marks are worse in the newest run.",
        headings=("provider / model", "new kinds", "e.g.", "compared with run"),
        cells=_page_cells,
        code=(3,),
    ),
)

CHECK = DeclaredCheck(DECLARATION, measure, VIEWS)
