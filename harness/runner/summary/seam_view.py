"""The summary's seams and rates heard (`harness.results.seam_figures`): one sentence for the run, a table of the
offerings with a finding (seam findings per minute of streamed audio, by kind, and the rate heard where it is not
the declared one), and every streaming offering's figures in `--format json`. A clean run adds one line.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.results import SEAM_KINDS, SeamFigures
from harness.runner.summary.format import Cell, FigureCell, Heading, Lines, Section, SummaryTable


def _row(figure: SeamFigures) -> tuple[Cell, ...]:
    rate = ", ".join(f"{int(heard):,} Hz in {count}" for heard, count in figure.rates.items())
    per_minute = figure.per_minute
    return (figure.label, FigureCell(str(figure.streams), figure.streams),
            FigureCell(f"{figure.audio_min:.2f}", round(figure.audio_min, 3)),
            FigureCell(str(figure.total), figure.total),
            FigureCell("—" if per_minute is None else f"{per_minute:.1f}", per_minute),
            *(FigureCell(str(figure.findings.get(kind, 0)), figure.findings.get(kind, 0)) for kind in SEAM_KINDS),
            rate or "as declared")


def seam_sections(figures: Sequence[SeamFigures]) -> list[Section]:
    """What the run's streams sounded like at their seams, and the rates heard; nothing for a run without streams."""
    if not figures:
        return []
    streams = sum(f.streams for f in figures)
    minutes = sum(f.audio_min for f in figures)
    found = sum(f.total for f in figures)
    wrong = [f for f in figures if f.rates]
    sentence = (f"Seams: {found} finding{'s' if found != 1 else ''} in {streams} streams ({minutes:.1f} min of audio)"
                + ("; every rate heard as declared." if not wrong else
                   f"; {len(wrong)} offering{'s' if len(wrong) != 1 else ''} heard at another rate than declared."))
    lines = [sentence, *(f"Rate heard: {f.label}: {f.example}." for f in wrong)]
    values = {"offerings": [{"provider": f.provider, "model": f.model, "streams": f.streams,
                             "audio_min": round(f.audio_min, 3), "seam_findings": f.total,
                             "per_minute": f.per_minute, "by_kind": dict(f.findings), "rates_heard": dict(f.rates)}
                            for f in figures]}
    shown = [f for f in figures if f.total or f.rates]
    if not shown:
        return [Lines("seams", tuple(lines), values)]
    table = SummaryTable("seam_findings", "Seams and rate heard: findings at chunk boundaries per minute of streamed "
                                          "audio "
                  "(docs/seams.md)",
                  (Heading("model", left=True), Heading("streams"), Heading("audio min"), Heading("findings"),
                   Heading("per min"), *(Heading(kind) for kind in SEAM_KINDS), Heading("rate heard", left=True)),
                  tuple(_row(f) for f in shown))
    return [Lines("seams", tuple(lines), values), table]
