"""The summary's checks (`harness.checks`): one table of every registered check's figures — a row per figure, a
column per offering, each pooled as its declaration says with its 95% interval — and a line per kind of finding, in
every format; a figure a declaration places beside one of the models table's (first speech beside TTFA) is also a
column there. Nothing here names a check: a new one appears by its declaration."""

from __future__ import annotations

from collections.abc import Sequence

from harness.checks import OfferingCheck, Pooled, every_field
from harness.core.checks import CheckDeclaration, CheckField
from harness.runner.summary.format import Cell, FigureCell, Heading, Lines, Section, SummaryTable


def _shown_fields(checks: Sequence[OfferingCheck]) -> tuple[tuple[CheckDeclaration, CheckField], ...]:
    """The registered fields some offering has a figure of, in the registry's order."""
    present = {(one.check.name, name) for one in checks for name in one.figures}
    return tuple((check, item) for check, item in every_field() if (check.name, item.name) in present)


def _cell(pooled: Pooled | None, item: CheckField) -> FigureCell:
    if pooled is None:
        return FigureCell("—")
    interval = ("" if pooled.low is None or pooled.high is None
                else f" ({pooled.low:,.{item.decimals}f}–{pooled.high:,.{item.decimals}f})")
    return FigureCell(f"{pooled.value:,.{item.decimals}f}{interval}", pooled.to_json(item.decimals))


def _figure(checks: Sequence[OfferingCheck], label: str, check: CheckDeclaration, item: CheckField) -> Pooled | None:
    return next((one.figures.get(item.name) for one in checks if one.label == label and one.check.name == check.name),
                None)


def beside_headings(checks: Sequence[OfferingCheck], figure: str) -> tuple[Heading, ...]:
    """The headings of the check fields declared beside `figure` ("ttfa") that some offering has."""
    return tuple(Heading(f"{item.label.removesuffix(' ' + item.unit)} p50", check.key(item))
                 for check, item in _shown_fields(checks) if item.beside == figure)


def beside_cells(checks: Sequence[OfferingCheck], figure: str, label: str) -> tuple[FigureCell, ...]:
    """The offering's cells under `beside_headings(checks, figure)`."""
    return tuple(_cell(_figure(checks, label, check, item), item)
                 for check, item in _shown_fields(checks) if item.beside == figure)


def check_sections(checks: Sequence[OfferingCheck]) -> list[Section]:
    """Every check's figures, a row per figure and a column per model (a model's name begins no row, so the models
    table stays the one whose rows a reader finds a model by), and the findings; nothing where no check read a
    clip."""
    if not checks:
        return []
    shown = _shown_fields(checks)
    labels = sorted({one.label for one in checks})
    rows: list[tuple[Cell, ...]] = [
        (f"{item.label} ({item.pooling})", *(_cell(_figure(checks, label, check, item), item) for label in labels))
        for check, item in shown]
    declared = {check.name: check for check, _ in shown}.values()
    how = "; ".join(f"{check.title.lower()}: {check.doc}" for check in declared)
    headings = (Heading("figure", left=True), *(Heading(label) for label in labels))
    table = SummaryTable("checks", f"Checks: each figure per model with its 95% interval over clips ({how})",
                         headings, tuple(rows))
    found = [f"{one.label} {one.check.title.lower()}: {count} clip{'s' if count != 1 else ''} {kind} "
             f"(e.g. {one.examples[kind]})" for one in checks for kind, count in one.findings.items()]
    return [Lines("check_figures", tuple(found), {"offerings": [one.to_json() for one in checks]}), table]
