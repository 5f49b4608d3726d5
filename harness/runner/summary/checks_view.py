"""The summary's checks (`harness.checks`): every registered check's figures as columns of the models table — each
pooled as its declaration says, with its 95% interval; one declared beside a figure of that table right after it
(first speech after TTFA), the others at its end — and a line per kind of finding, with every figure in JSON, in
every format. Nothing here names a check: a new one appears by its declaration. A counted check (its findings
deterministic) is said in a section of its own (`counted_view`). (A table of its own, a column per
model, split into some twenty tables at 200 columns in the README's run of 80 models.)"""

from __future__ import annotations

from collections.abc import Sequence

from harness.checks import OfferingCheck, Pooled, SectionView, Shown, every_field
from harness.core.checks import CheckDeclaration, CheckField, Pooling
from harness.runner.summary.format import Cell, FigureCell, Heading, Lines, Section, SummaryTable


def _shown_fields(checks: Sequence[OfferingCheck]) -> tuple[tuple[CheckDeclaration, CheckField], ...]:
    """The registered fields some offering has a figure of, in the registry's order."""
    present = {(one.check.name, name) for one in checks for name in one.figures}
    return tuple((check, item) for check, item in every_field() if (check.name, item.name) in present)


def _cell(pooled: Pooled | None, item: CheckField) -> FigureCell:
    if pooled is None:
        return FigureCell("—")
    interval = (
        ""
        if pooled.low is None or pooled.high is None
        else f" ({pooled.low:,.{item.decimals}f}–{pooled.high:,.{item.decimals}f})"
    )
    return FigureCell(f"{pooled.value:,.{item.decimals}f}{interval}", pooled.to_json(item.decimals))


def _figure(checks: Sequence[OfferingCheck], label: str, check: CheckDeclaration, item: CheckField) -> Pooled | None:
    return next(
        (one.figures.get(item.name) for one in checks if one.label == label and one.check.name == check.name), None
    )


def _heading(check: CheckDeclaration, item: CheckField) -> Heading:
    pooled = {Pooling.MEDIAN: "p50", Pooling.MEAN: "mean", Pooling.GEOMETRIC_MEAN: "gmean"}[item.pooling]
    return Heading(f"{item.label.removesuffix(' ' + item.unit)} {pooled}", check.key(item))


def beside_headings(checks: Sequence[OfferingCheck], figure: str) -> tuple[Heading, ...]:
    """The models table's headings of the check fields declared beside `figure` ("ttfa"; "": at the table's end)
    that some offering has."""
    return tuple(_heading(check, item) for check, item in _shown_fields(checks) if item.beside == figure)


def beside_cells(checks: Sequence[OfferingCheck], figure: str, label: str) -> tuple[FigureCell, ...]:
    """The offering's cells under `beside_headings(checks, figure)`: each figure with its 95% interval."""
    return tuple(
        _cell(_figure(checks, label, check, item), item)
        for check, item in _shown_fields(checks)
        if item.beside == figure
    )


def check_sections(checks: Sequence[OfferingCheck]) -> list[Section]:
    """A line per kind of finding a check raised, with every check's figures per offering in JSON (intervals,
    clips, the check's version); the figures themselves are columns of the models table."""
    checks = [one for one in checks if not one.check.counted]  # said in their own sections (counted_view)
    if not checks:
        return []
    found = [
        f"{one.label} {one.check.title.lower()}: {count} clip{'s' if count != 1 else ''} {kind} "
        f"(e.g. {one.examples[kind]})"
        for one in checks
        for kind, count in one.findings.items()
    ]
    return [Lines("checks", tuple(found), {"offerings": [one.to_json() for one in checks]})]


def _own_cell(cell: str | Shown) -> Cell:
    return FigureCell(cell.text, cell.value) if isinstance(cell, Shown) else cell


def own_sections(views: Sequence[SectionView]) -> list[Section]:
    """The sections checks give of their own (`harness.checks.views`): their sentences (none where keyed ""), then
    their table."""
    return [
        section
        for view in views
        for section in (
            *((Lines(view.key, view.lines, dict(view.values)),) if view.key else ()),
            *(
                ()
                if not view.table
                else (
                    SummaryTable(
                        view.table,
                        view.title,
                        tuple(
                            Heading(text, key, left=left)
                            for (text, left), key in zip(
                                view.headings, view.keys or ("",) * len(view.headings), strict=True
                            )
                        ),
                        tuple(tuple(_own_cell(cell) for cell in row) for row in view.rows),
                    ),
                )
            ),
        )
    ]
