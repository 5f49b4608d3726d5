"""The summary's markup (`bench run --corpus markup`; `harness.checks.markup_figures`): one sentence for the run and
a table of the offerings judged — clips honoured of those judged, the share, the median break error — in every
format; offerings without a markup clip judged are not listed (the report shows "—" for them, never 0).
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.checks import MarkupFigures
from harness.runner.summary.format import Cell, FigureCell, Heading, Lines, Section, SummaryTable


def _row(figure: MarkupFigures) -> tuple[Cell, ...]:
    error = figure.break_error_p50_ms
    return (figure.label, FigureCell(f"{figure.honoured}/{figure.judged}", figure.honoured),
            FigureCell(f"{figure.share:.0%}", round(figure.share, 4)),
            FigureCell("—" if error is None else f"{error:,.0f}", error))


def markup_sections(figures: Sequence[MarkupFigures]) -> list[Section]:
    """Each offering's markup clips honoured; nothing for a run without a markup corpus."""
    if not figures:
        return []
    honoured, judged = sum(f.honoured for f in figures), sum(f.judged for f in figures)
    sentence = (f"Markup: {honoured} of {judged} clips honoured on {len(figures)} offering"
                f"{'s' if len(figures) != 1 else ''} (every break within max(100 ms, 25%) of the asked, each "
                f"say-as and sub read as asked, no tag spoken; docs/markup.md).")
    table = SummaryTable("markup", "Markup honoured: clips whose breaks were heard within tolerance, whose say-as and "
                  "sub were read as asked and whose tags were never spoken, and the median |heard - asked| over the "
                  "breaks",
                  (Heading("model", left=True), Heading("honoured"), Heading("share"),
                   Heading("break error p50 ms")),
                  tuple(_row(f) for f in figures))
    return [Lines("markup", (sentence,), {"offerings": [f.to_json() for f in figures]}), table]
