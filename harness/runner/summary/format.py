"""The terminal summary's format layer: a summary is a list of sections — tables and sentences — and this module
prints whatever sections it is given as text (a terminal or a captured log), Markdown (a file, a pull request's
comment) or JSON (a CI step that reads figures), so a table any part of the harness adds prints in every format.

Text never cuts a figure: a table wider than the console is printed as several tables of the columns that fit,
each repeating the first column (the model), and a sentence wraps at the width; captured to a file or a CI log,
where rich would assume 80 columns and cut each cell to `12,5…`, nothing is lost either.

A cell is its printed text, or a `FigureCell`: the text and the value JSON gives (a number, not its formatting).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table as RichTable


class SummaryFormat(StrEnum):
    TEXT = "text"  # rich tables that fit the width, for a terminal or a log
    MARKDOWN = "markdown"  # headings, pipe tables and paragraphs
    JSON = "json"  # every section with its figures as numbers


@dataclass(frozen=True, slots=True)
class FigureCell:
    """A cell whose value JSON gives apart from its printed text (None: no figure)."""

    text: str
    value: Any = None


Cell = str | FigureCell


@dataclass(frozen=True, slots=True)
class Heading:
    text: str  # as printed
    key: str = ""  # its name in JSON; by default the text, lower case, words joined by _
    left: bool = False  # text (a name, words) rather than a figure: aligned left

    @property
    def name(self) -> str:
        return self.key or re.sub(r"[^a-z0-9]+", "_", self.text.lower()).strip("_") or "column"


@dataclass(frozen=True, slots=True)
class SummaryTable:
    key: str  # its name in JSON: "models", "outcomes", "hard_text"
    title: str
    headings: tuple[Heading, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True, slots=True)
class Lines:
    """Sentences (a total, notes, where the rows are); `values`: what JSON adds beside them."""

    key: str
    lines: tuple[str, ...]
    values: dict[str, Any] = field(default_factory=dict)


Section = SummaryTable | Lines


def _text(cell: Cell) -> str:
    return cell.text if isinstance(cell, FigureCell) else cell


def _value(cell: Cell) -> Any:
    return cell.value if isinstance(cell, FigureCell) else cell


def to_json(sections: Sequence[Section]) -> dict[str, Any]:
    """The sections as one JSON object: each table's rows as objects keyed by column, figures as numbers."""
    out: list[dict[str, Any]] = []
    for section in sections:
        if isinstance(section, SummaryTable):
            names = [heading.name for heading in section.headings]
            out.append(
                {
                    "key": section.key,
                    "title": section.title,
                    "columns": names,
                    "rows": [dict(zip(names, map(_value, row), strict=True)) for row in section.rows],
                }
            )
        else:
            out.append({"key": section.key, "lines": list(section.lines), **section.values})
    return {"sections": out}


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ") or " "


def to_markdown(sections: Sequence[Section]) -> str:
    """Headings, GitHub pipe tables and paragraphs: a file or a pull request's comment renders it whole."""
    parts: list[str] = []
    for section in sections:
        if isinstance(section, SummaryTable):
            head = [_markdown_cell(h.text) for h in section.headings]
            align = [":---" if h.left else "---:" for h in section.headings]
            lines = [f"### {section.title}", "", f"| {' | '.join(head)} |", f"| {' | '.join(align)} |"]
            lines += [f"| {' | '.join(_markdown_cell(_text(c)) for c in row)} |" for row in section.rows]
            parts.append("\n".join(lines))
        elif section.lines:
            parts.append("\n\n".join(section.lines))
    return "\n\n".join(parts) + "\n"


def _rich_table(table: SummaryTable, columns: Sequence[int], title: str) -> RichTable:
    shown = RichTable(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    for index in columns:
        heading = table.headings[index]
        shown.add_column(
            heading.text, justify="left" if heading.left else "right", no_wrap=not heading.left, overflow="fold"
        )
    for row in table.rows:
        shown.add_row(*(_text(row[index]) for index in columns))
    return shown


def natural_width(table: RichTable, console: Console) -> int:
    """The width the table takes with no limit (rich's own measure stops at the console's width)."""
    return Measurement.get(console, console.options.update_width(UNLIMITED), table).maximum


UNLIMITED = 1 << 20


def column_groups(table: SummaryTable, console: Console) -> list[list[int]]:
    """The table's columns in groups that each fit the console's width with the first column repeated; a column
    too wide even beside the first alone is a group of its own (its words then wrap in their cells)."""
    width = console.width
    groups: list[list[int]] = []
    current = [0]
    for index in range(1, len(table.headings)):
        trial = [*current, index]
        if len(current) > 1 and natural_width(_rich_table(table, trial, ""), console) > width:
            groups.append(current)
            current = [0, index]
        else:
            current = trial
    groups.append(current)
    return groups


def print_text(sections: Sequence[Section], console: Console) -> None:
    """Each table at the console's width, split into tables of the columns that fit rather than cut; each
    sentence wrapped at the width."""
    for section in sections:
        if isinstance(section, Lines):
            for line in section.lines:
                console.print(line, markup=False, highlight=False)
            continue
        groups = column_groups(section, console)
        for number, columns in enumerate(groups):
            title = (
                section.title
                if number == 0
                else (
                    f"{section.title} (continued, {number + 1} of {len(groups)}: "
                    f"{', '.join(section.headings[i].text for i in columns[1:])})"
                )
            )
            console.print(_rich_table(section, columns, title))


def render(sections: Sequence[Section], form: SummaryFormat, console: Console) -> None:
    """Print the sections in `form`: text through rich at the console's width; Markdown and JSON as they are."""
    if form is SummaryFormat.TEXT:
        print_text(sections, console)
    elif form is SummaryFormat.MARKDOWN:
        console.print(to_markdown(sections), markup=False, highlight=False, soft_wrap=True, end="")
    else:
        console.print(
            json.dumps(to_json(sections), indent=2, default=str), markup=False, highlight=False, soft_wrap=True
        )
