"""The summary's timing marks (`harness.measurement.offering_marks`, docs/marks.md): a line for the run, a table of
every offering whose answers carried marks — onset error median and p95 against the aligner's with their intervals,
coverage, the invariants' findings by kind — with the aligner's own error stated beside, and each finding named
with its offering and kind; `marks_cell` is the models table's column (p95 and coverage; "—" for an offering
without marks, never 0).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from harness.measurement import NOT_HEARD, OfferingMarks
from harness.runner.summary.format import Cell, FigureCell, Heading, Lines, Section, SummaryTable


def _ms(figure: tuple[float, float, float] | None) -> FigureCell:
    if figure is None:
        return FigureCell("—", None)
    value, low, high = figure
    shown = f"{value:,.0f}" + ("" if math.isnan(low) else f" [{low:,.0f}–{high:,.0f}]")
    return FigureCell(shown, {"ms": round(value, 1), "low": None if math.isnan(low) else round(low, 1),
                          "high": None if math.isnan(high) else round(high, 1)})


def _coverage(value: float | None) -> FigureCell:
    return FigureCell("—" if value is None else f"{value:.0%}", None if value is None else round(value, 4))


def marks_cell(marks: Mapping[str, OfferingMarks], label: str) -> FigureCell:
    """The models table's marks column for `label`: "p95 ms (coverage)"; "—" where its answers carried none."""
    one = marks.get(label)
    if one is None:
        return FigureCell("—", None)
    p95 = None if one.figures is None else one.figures.p95_ms[0]
    shown = ("—" if p95 is None else f"{p95:,.0f}") + ("" if one.coverage is None else f" ({one.coverage:.0%})")
    return FigureCell(shown, {"p95_ms": None if p95 is None else round(p95, 1), "coverage": one.coverage})


def _row(one: OfferingMarks) -> tuple[Cell, ...]:
    figures = one.figures
    return (one.label, FigureCell(str(one.answers), one.answers),
            _ms(None if figures is None else figures.median_ms), _ms(None if figures is None else figures.p95_ms),
            FigureCell(str(figures.words if figures else 0), figures.words if figures else 0), _coverage(one.coverage),
            FigureCell(str(one.total), one.total),
            ", ".join(f"{kind} {count}" for kind, count in sorted(one.findings.items())) or "none")


def marks_sections(marks: Sequence[OfferingMarks]) -> list[Section]:
    """The run's timing marks against its audio; nothing for a run whose answers carried none."""
    if not marks:
        return []
    found = sum(m.total for m in marks)
    # each aligner that heard the run's words, by its own error: a stored run keeps the one that heard it
    aligner = "; ".join(dict.fromkeys(a for m in marks for a in m.aligners)) or NOT_HEARD
    lines = [f"Timing marks: {sum(m.answers for m in marks)} answers of {len(marks)} offerings marked, {found} "
             f"finding{'s' if found != 1 else ''}; onset error against the aligner's, beside {aligner}."]
    lines += [f"Marks: {m.label}: {kind} in {count} answer{'s' if count != 1 else ''} ({m.examples[kind]})."
              for m in marks for kind, count in sorted(m.findings.items())]
    values = {"aligner": aligner, "offerings": [
        {"provider": m.provider, "model": m.model, "answers": m.answers, "coverage": m.coverage,
         "onset_p50_ms": None if m.figures is None else _ms(m.figures.median_ms).value,
         "onset_p95_ms": None if m.figures is None else _ms(m.figures.p95_ms).value,
         "findings": dict(m.findings)} for m in marks]}
    table = SummaryTable("marks", "Timing marks: onset error (ms) of each offering's marks against where the aligner "
                                  "hears "
                  "each word, 95% intervals (docs/marks.md)",
                  (Heading("model", left=True), Heading("answers"), Heading("onset p50", "onset_p50_ms"),
                   Heading("onset p95", "onset_p95_ms"), Heading("words"), Heading("coverage"),
                   Heading("findings"), Heading("kinds", left=True)),
                  tuple(_row(m) for m in marks))
    return [Lines("marks", tuple(lines), values), table]
