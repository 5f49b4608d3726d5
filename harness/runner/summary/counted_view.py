"""The summary's counted checks (`harness.checks`: a check whose findings are deterministic, its fields totals, a
ratio of totals or a tally): a section each, with the counted checks declared `shown_with` it joining it — one
sentence for the run (the check's own words, `CheckDeclaration.said`, and a clause per named kind of finding), a
line per offering raising a named kind, a table of the offerings with a finding (or of every offering, where the
check declares its `table`; each field with a heading, each counted kind of finding, in the registry's order) and
every offering's figures in `--format json`. A clean run adds one line. Nothing here names a check: a new counted
check appears by its declaration."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.checks import OfferingCheck, Pooled, generic, said_with
from harness.core.checks import CheckDeclaration, CheckField, Pooling
from harness.runner.summary.format import Cell, FigureCell, Heading, Lines, Section, SummaryTable


def _groups() -> tuple[tuple[CheckDeclaration, ...], ...]:
    """Each counted check that has a section of its own, followed by those declared to join it: of the checks the
    generic machinery shows (a check with views of its own is shown by them, never here too)."""
    counted = [check.declaration for check in generic() if check.declaration.counted]
    return tuple(
        (host, *(one for one in counted if one.shown_with == host.name)) for host in counted if not host.shown_with
    )


def _counted_kinds(check: CheckDeclaration) -> tuple[str, ...]:
    if check.table:  # a table of every offering read: its findings are said where they are judged
        return ()
    return tuple(kind.kind for kind in check.findings if not kind.named)


def _shown(check: CheckDeclaration) -> tuple[CheckField, ...]:
    return tuple(item for item in check.fields if item.heading)


def _json(item: CheckField, pooled: Pooled | None) -> Any:
    if item.json_digits is not None:
        return None if pooled is None else round(pooled.value, item.json_digits)
    if item.pooling is Pooling.TALLY:
        return {} if pooled is None else {f"{value:.0f}": count for value, count in pooled.counts}
    if item.pooling is Pooling.RATIO:
        return None if pooled is None else pooled.value
    value = 0.0 if pooled is None else pooled.value
    return round(value, item.decimals + 1) if item.decimals else round(value)


def _cell(item: CheckField, one: OfferingCheck | None) -> Cell:
    pooled = one.figures.get(item.name) if one else None
    if item.shown:
        text = said_with(item.shown, one) if pooled is not None else None
        return FigureCell(item.absent if text is None else text, _json(item, pooled))
    if item.pooling is Pooling.TALLY:
        heard = ", ".join(f"{value:,.0f} {item.unit} in {count}" for value, count in (pooled.counts if pooled else ()))
        return heard or item.absent
    if item.pooling is Pooling.RATIO and pooled is None:
        return FigureCell(item.absent, None)
    return FigureCell(f"{0.0 if pooled is None else pooled.value:.{item.decimals}f}", _json(item, pooled))


def _offering_values(
    who: tuple[str, str], group: Sequence[CheckDeclaration], found: dict[tuple[str, str, str], OfferingCheck]
) -> dict[str, Any]:
    values: dict[str, Any] = {"provider": who[0], "model": who[1]}
    for check in group:
        one = found.get((*who, check.name))
        values |= {
            item.name: _json(item, one.figures.get(item.name) if one else None)
            for item in check.fields
            if item.heading or item.in_json
        }
        if _counted_kinds(check):  # every kind found but the named ones, declared or not (a finding is said)
            values["by_kind"] = {
                kind: count
                for kind, count in (one.findings if one else {}).items()
                if not ((declared := check.finding_named(kind)) and declared.named)
            }
    return values


def _row(
    who: tuple[str, str], group: Sequence[CheckDeclaration], found: dict[tuple[str, str, str], OfferingCheck]
) -> tuple[Cell, ...]:
    cells: list[Cell] = [f"{who[0]}/{who[1]}"]
    for check in group:
        one = found.get((*who, check.name))
        cells += [_cell(item, one) for item in _shown(check)]
        counts = one.findings if one else {}
        cells += [FigureCell(str(counts.get(kind, 0)), counts.get(kind, 0)) for kind in _counted_kinds(check)]
    return tuple(cells)


def _sentence(group: Sequence[CheckDeclaration], checks: Sequence[OfferingCheck]) -> tuple[str, ...]:
    """The run in one sentence (each check's words and a clause per named kind), then a line per offering raising
    a named kind of finding."""
    clauses, named = [], []
    for check in group:
        mine = [one for one in checks if one.check.name == check.name]
        if check.said:
            totals = {
                item.name: sum(one.figures[item.name].value for one in mine if item.name in one.figures)
                for item in check.fields
                if item.pooling is Pooling.SUM
            }
            totals["offerings"] = len({one.label for one in mine})
            clauses.append(
                check.said.format(
                    **totals, **{f"{name}_s": "" if total == 1 else "s" for name, total in totals.items()}
                )
            )
        for kind in (kind for kind in check.findings if kind.named):
            raised = [one for one in mine if one.findings.get(kind.kind)]
            clauses.append(
                f"{len(raised)} offering{'s' if len(raised) != 1 else ''} {kind.kind}" if raised else kind.kept
            )
            named += [f"{check.title}: {one.label}: {one.lines.get(kind.kind, '')}." for one in raised]
    return (f"{group[0].title}: {'; '.join(clauses)}.", *named)


def _section(group: Sequence[CheckDeclaration], checks: Sequence[OfferingCheck]) -> list[Section]:
    names = {check.name for check in group}
    mine = [one for one in checks if one.check.name in names]
    if not mine:
        return []
    found = {(one.provider, one.model, one.check.name): one for one in mine}
    met: dict[tuple[str, str], int] = {}
    for one in mine:  # in the order the run first met them
        met[(one.provider, one.model)] = min(one.first, met.get((one.provider, one.model), one.first))
    offerings = sorted(met, key=lambda who: (met[who], who))
    values = {"offerings": [_offering_values(who, group, found) for who in offerings]}
    lines = Lines(group[0].name, _sentence(group, mine), values)
    shown = [
        who
        for who in offerings
        if group[0].table
        or any(count for one in mine if (one.provider, one.model) == who for count in one.findings.values())
    ]
    if not shown:
        return [lines]
    ratio = next(
        ((check, item) for check in group for item in check.fields if item.pooling is Pooling.RATIO and item.of), None
    )
    titles = " and ".join([group[0].title, *(check.title.lower() for check in group[1:])])
    headings = [Heading("model", left=True)]
    for check in group:
        headings += [Heading(item.heading, left=item.pooling is Pooling.TALLY) for item in _shown(check)]
        headings += [Heading(kind) for kind in _counted_kinds(check)]
    # keyed by what it counts (the ratio's numerator: its JSON key since before the check was declared)
    key, what = (
        (ratio[1].of[0], f"{ratio[1].label} of {ratio[0].field_named(ratio[1].of[1]).label}")
        if ratio
        else (f"{group[0].name}_findings", "findings")
    )
    if group[0].table:  # the title it had before it was declared, keyed by the check's name
        key, title = group[0].name, group[0].table
    else:
        title = f"{titles}: {what} ({group[0].doc})"
    table = SummaryTable(key, title, tuple(headings), tuple(_row(who, group, found) for who in shown))
    return [lines, table]


def counted_sections(checks: Sequence[OfferingCheck]) -> list[Section]:
    """Each counted check's section (with those joining it), in the registry's order; none for a run none of whose
    clips a counted check read."""
    return [section for group in _groups() for section in _section(group, checks)]
