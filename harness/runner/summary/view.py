"""What the end-of-run summary shows, as sections (`summary_format`): the models table, jobs by outcome, what was
spent and the cost's notes, each check's sections of the run's rows (hard text's tables), the languages table and
its failures, where the rows are.
`render` prints them as text, Markdown or JSON (`bench run --format`, `report --format`).

A new table of the summary is one function returning a `summary_format.Table` (or `Lines`), listed in `sections`:
every format then prints it, and text splits it rather than cut it when it is wider than the console.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rich.console import Console

from harness.checks import SectionView, Shown
from harness.core.errors import ErrorClass
from harness.measurement import LanguageFigures
from harness.results import CostFigures
from harness.runner.plan.pricing import LISTED_BY, doubt_counts
from harness.runner.summary.checks_view import beside_cells, beside_headings, check_sections, own_sections
from harness.runner.summary.counted_view import counted_sections
from harness.runner.summary.figures import ModelLine, Summary
from harness.runner.summary.format import (
    Cell,
    FigureCell,
    Heading,
    Lines,
    Section,
    SummaryFormat,
    SummaryTable,
    print_text,
)
from harness.runner.summary.format import render as render_sections

_UNITS = {"characters": "chars"}


def _cost(line: ModelLine) -> FigureCell:
    """The model's cost and which it is (billed, planned), or why there is none: no public price is not no data."""
    cost = line.cost
    if line.unpriced and line.cost_units:
        units = ", ".join(f"{amount:,.0f} {_UNITS.get(unit, unit)}" for unit, amount in line.cost_units.items())
        return FigureCell(units, dict(line.cost_units))
    if cost is not None and cost.gap:
        return FigureCell(cost.gap)
    if line.unpriced:
        return FigureCell(f"{line.unpriced} jobs unpriced")
    if line.cost_usd is None:
        return FigureCell("—")
    source = f" {cost.source}" if cost is not None and cost.source != "none" else ""
    return FigureCell(f"${line.cost_usd:.4f}{source}{_doubted(cost)}", line.cost_usd)


def _per_million(line: ModelLine) -> FigureCell:
    """The offering's price a team chooses on: USD per 1M characters of its synthesis requests (the harness's own
    requests apart: `harness.results.cost_figures`)."""
    value = None if line.cost is None else line.cost.per_million_chars_usd
    return FigureCell("—" if value is None else f"${value:,.2f}", value)


def _doubted(cost: CostFigures | None) -> str:
    """ " (stale price)", " (weak price)", " (stale, weak price)" or "": the cost cell's mark, explained in the
    notes."""
    if cost is None:
        return ""
    marks = (["stale"] if cost.provenance.stale else []) + (["weak"] if cost.provenance.weak else [])
    return f" ({', '.join(marks)} price)" if marks else ""


def cost_notes(lines: tuple[ModelLine, ...], refused: int = 0) -> list[str]:
    """Planned against billed over the run, and the stale and weak prices counted, one line per kind (the cost
    cells mark each; `tts-harness providers --prices` lists them), in words. ``refused``: the bills refused beyond
    their bound (`bill_notes` lists them): an answer that stated one did say what it billed, so "no answer said"
    would contradict that line."""
    costs = [line.cost for line in lines if line.cost is not None]
    planned = [c.planned_usd for c in costs if c.planned_usd is not None]
    gaps: dict[str, int] = {}
    for cost in costs:
        if cost.planned_usd is None and cost.sent:
            gaps[cost.gap or "not planned"] = gaps.get(cost.gap or "not planned", 0) + 1
    notes = []
    billed = [c for c in costs if c.billed_jobs]
    apart = "; ".join(f"{reason}: {count} model{'s' if count != 1 else ''}" for reason, count in sorted(gaps.items()))
    said = f"planned ${sum(planned):.4f} from the prices" + (f" ({apart})" if apart else "")
    if billed:
        jobs = sum(c.billed_jobs for c in billed)
        total = sum(c.billed_usd or 0.0 for c in billed)
        their_plan = [c.planned_of_billed_usd for c in billed]
        plan = "" if any(v is None for v in their_plan) else f"; their plan ${sum(v or 0.0 for v in their_plan):.4f}"
        said += f"; billed ${total:.4f} by the answers of {jobs} jobs{plan}: the cost above is the billed one there"
    elif refused:
        said += f"; no bill was taken ({refused} refused, below): the cost above is the plan"
    else:
        said += "; no answer said what it billed: the cost above is the plan"
    notes.append(f"Cost: {said}.")
    doubts = [(line.cost.provenance.stale, line.cost.provenance.weak or "") for line in lines if line.cost is not None]
    counted = doubt_counts(doubts)
    if counted:
        notes.append(f"Prices marked stale or weak above ({LISTED_BY}): {'; '.join(counted)}.")
    return notes + own_notes(lines) + _price_notes(lines)


def own_usd(lines: tuple[ModelLine, ...]) -> tuple[float | None, int]:
    """What the harness's own requests cost over the run (None: none was sent) and how many were charged."""
    own = [line.cost for line in lines if line.cost is not None and line.cost.own_usd is not None]
    return (sum(c.own_usd or 0.0 for c in own) if own else None), sum(c.own_requests for c in own)


def own_notes(lines: tuple[ModelLine, ...]) -> list[str]:
    """The harness's own requests (the speech marks asked in a request of their own), a line of the run's cost apart
    from every offering's price (issue 79)."""
    total, requests = own_usd(lines)
    if total is None:
        return []
    each = [
        f"{line.provider}/{line.model} ${line.cost.own_usd:.4f} ({line.cost.own_requests})"
        for line in lines
        if line.cost is not None and line.cost.own_usd is not None
    ]
    return [
        f"The harness's own requests (speech marks asked apart): ${total:.4f} for {requests} charged request"
        f"{'s' if requests != 1 else ''}, spent but in no cost or price above: {', '.join(each)}."
    ]


def _price_notes(lines: tuple[ModelLine, ...]) -> list[str]:
    """The costs re-priced on the audio returned, and the failed jobs' cost kept apart from the cost per audio hour, in
    words."""
    priced = [(f"{line.provider}/{line.model}", line.cost) for line in lines if line.cost is not None]
    notes = []
    repriced = [f"{label} ({cost.repriced_jobs})" for label, cost in priced if cost.repriced_jobs]
    if repriced:
        notes.append(
            "Re-priced on the audio returned (a price per second, minute or audio token, and no bill): "
            f"{', '.join(repriced)}."
        )
    failed = [f"{label} ${cost.failed_usd:.4f} ({cost.failed_jobs} jobs)" for label, cost in priced if cost.failed_usd]
    if failed:
        notes.append(
            f"Cost of failed jobs, apart from $ per audio hour (the ok jobs' cost over their audio): "
            f"{', '.join(failed)}."
        )
    return notes


def bill_notes(summary: Summary, shown: int = 3) -> list[str]:
    """The bills refused (beyond their bound: `harness.core.prices.bills`), each as it was billed and the bound, and
    the rows of the store no figure could be read from, in words."""
    notes = []
    if summary.refused_bills:
        more = len(summary.refused_bills) - shown
        notes.append(
            f"Bills refused, the planned cost kept: {len(summary.refused_bills)} "
            f"job{'s' if len(summary.refused_bills) != 1 else ''}: "
            + "; ".join(
                note.removesuffix(": the bill is refused, the planned cost is kept")
                for note in summary.refused_bills[:shown]
            )
            + (f"; and {more} more (drift rows of kind billing-refused)" if more > 0 else "")
            + "."
        )
    if summary.unpriced_bills:
        said = "; ".join(
            label + " " + ", ".join(f"{value:,.0f} {unit.replace('_', ' ')}" for unit, value in units.items())
            for label, units in sorted(summary.unpriced_bills.items())
        )
        notes.append(
            f"Billed in units the plan's rates do not price (kept beside the plan; its cost is the plan's): {said}."
        )
    notes += [f"Left out: {line}." for line in summary.left_out]
    return notes


def _rate(value: float | None) -> FigureCell:
    return FigureCell("—" if value is None else f"{value:.1%}", value)


def _feeding(summary: Summary) -> str:
    """How the sockets were fed, for the title: whole texts, or tokens at a rate."""
    rates = {rate for line in summary.lines if line.stream for rate in line.stream.text_rates}
    if not rates:
        return ""
    shown = ", ".join(
        "whole text" if rate is None else f"{rate:g} tokens/s"
        for rate in sorted(rates, key=lambda r: -1.0 if r is None else r)
    )
    return f"; realtime sockets fed {shown}, stream times from the first token"


def models_table(summary: Summary) -> SummaryTable:
    """A line per model: jobs, polls, cost, and each check's columns (the latency and stream figures after the job
    counts, intelligibility after the cost, a check's placed "at the end" before the fields declared there, where
    their figures stood before their checks were declared: `Summary.placed_columns`)."""
    title = f"Run {summary.run_id} ({summary.status})"
    title += "".join(said for _, said, _, _, _ in summary.placed_columns)
    title += _feeding(summary)
    skips = any(line.skipped for line in summary.lines)
    disowned = [(heading, key, counts) for heading, key, counts in summary.disowned if any(counts.values())]
    headings = (
        Heading("model", left=True),
        Heading("ok/jobs", "ok_jobs"),
        *([Heading("skipped")] if skips else []),
        *(Heading(heading, key) for heading, key, _ in disowned),
        Heading("polls", "polls_per_job"),
        Heading("cost", "cost_usd"),
        Heading("$/1M chars", "usd_per_million_chars"),
        *beside_headings(summary.checks, "wer_pooled"),
    )
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            f"{line.provider}/{line.model}",
            FigureCell(f"{line.ok}/{line.jobs}", {"ok": line.ok, "jobs": line.jobs}),
            *([FigureCell(str(line.skipped), line.skipped)] if skips else []),
            *(_disowned_cell(counts.get(f"{line.provider}/{line.model}", 0), line.jobs) for _, _, counts in disowned),
            FigureCell("—" if line.polls_per_job is None else f"{line.polls_per_job:.1f}", line.polls_per_job),
            _cost(line),
            _per_million(line),
            *beside_cells(summary.checks, "wer_pooled", f"{line.provider}/{line.model}"),
        )
        for line in summary.lines
    )
    return _beside(summary, _placed(summary, SummaryTable("models", title, headings, rows)))


# The built-in column whose group a placed column comes after the whole of: the job counts (ok/jobs, then skipped and
# each run note's disowned jobs where any), so a check's columns placed after "ok_jobs" stand after the counts, as the
# latency's stood.
_COUNTS = ("ok_jobs", "skipped")

# The column a figure a check declares beside ("ttfa": `CheckField.beside`) stands right after, where the table has
# it (another check's column: the first audio's p50); "" (fields beside none): the table's end, so they follow every
# column a check places there (`_placed` runs first)
_BESIDE = {"ttfa": "ttfa_p50_ms", "": ""}


def _placed(summary: Summary, table: SummaryTable) -> SummaryTable:
    """The table with each check's placed columns (`Summary.placed_columns`) right after the built-in column each
    names (after the job counts for "ok_jobs"; "": at the table's end, which the fields declared there follow:
    `_beside`), in their order; an offering without the check's figures: "—"."""
    headings, rows = list(table.headings), [list(row) for row in table.rows]
    at: dict[str, int] = {}
    for after, _, heading, key, cells in summary.placed_columns:
        if after:
            names = (*_COUNTS, *(key for _, key, _ in summary.disowned)) if after == _COUNTS[0] else (after,)
            index = at.get(after, max(i for i, one in enumerate(headings) if one.name in names) + 1)
            at[after] = index + 1
        else:  # the end as it stands now: a column placed earlier may have grown the table
            index = len(headings)
        headings.insert(index, Heading(heading, key))
        for row in rows:
            row.insert(index, _own_cell(cells, str(row[0])))
    return replace(table, headings=tuple(headings), rows=tuple(tuple(row) for row in rows))


def _beside(summary: Summary, table: SummaryTable) -> SummaryTable:
    """The table with the check fields declared beside a column another check places (`_BESIDE`) right after it,
    where the table has that column (none where it has not), and those declared beside none at its end."""
    headings, rows = list(table.headings), [list(row) for row in table.rows]
    for figure, after in _BESIDE.items():
        index = next((i + 1 for i, one in enumerate(headings) if one.name == after), None) if after else len(headings)
        if index is None:
            continue
        headings[index:index] = beside_headings(summary.checks, figure)
        for row in rows:
            row[index:index] = beside_cells(summary.checks, figure, str(row[0]))
    return replace(table, headings=tuple(headings), rows=tuple(tuple(row) for row in rows))


def _own_cell(cells: dict[str, Shown], label: str) -> FigureCell:
    """A check's cell of the models table (`Summary.placed_columns`); "—" where the offering has none of its
    figures."""
    shown = cells.get(label)
    return FigureCell("—", None) if shown is None else FigureCell(shown.text, shown.value)


def _disowned_cell(disowned: int, jobs: int) -> FigureCell:
    """An offering's jobs a check's run note disowns, of its jobs (blank where none)."""
    return FigureCell(f"{disowned}/{jobs}" if disowned else "", disowned)


def outcomes_table(summary: Summary) -> SummaryTable:
    """Jobs by how they ended, and every error recorded (retried ones included), per class."""
    rows = []
    for name in ("ok", "unfetched", "skipped", *[c.value for c in ErrorClass]):
        ended, seen = summary.outcomes.get(name, 0), summary.events.get(name, 0)
        if ended or seen:
            rows.append((name, FigureCell(str(ended), ended), FigureCell(str(seen), seen)))
    return SummaryTable(
        "outcomes",
        "Jobs by outcome; errors by class (retried ones included)",
        (Heading("class", left=True), Heading("jobs ended so", "jobs"), Heading("errors seen", "errors")),
        tuple(rows),
    )


def ended_lines(summary: Summary) -> Lines:
    """What ended the failed jobs, in the words each was ended with: the commonest messages (every one is in the
    rows), so a run none of whose jobs succeeded says why where it ends. Whole: a stored message is already cut to
    what it needs (`harness.core.transport.error_of`: 300 characters of the answer)."""
    said = [
        f"  {seen.label}, {seen.jobs} job{'s' if seen.jobs != 1 else ''}, {seen.error_class}: {seen.message}"
        for seen in summary.ended_by
    ]
    return Lines(
        "ended_by",
        ("What ended the failed jobs (the commonest; every one in the errors table):", *said) if said else (),
        {
            "ended_by": [
                {"model": s.label, "class": s.error_class, "message": s.message, "jobs": s.jobs}
                for s in summary.ended_by
            ]
        },
    )


def money_lines(summary: Summary) -> Lines:
    """What the run spent against its plan and budget, the cost's notes, and what is still to fetch."""
    budget = f" of a ${summary.budget_usd:.4f} budget" if summary.budget_usd is not None else ""
    planned = f" (planned ${summary.planned_usd:.4f})" if summary.planned_usd is not None else ""
    play = " (sandbox: play money, what these requests would cost live)" if summary.target == "sandbox" else ""
    lines = [
        f"Spent ${summary.spent_usd:.4f}{play}{budget}{planned}.",
        *cost_notes(summary.lines, len(summary.refused_bills)),
        *bill_notes(summary),
    ]
    if summary.downloads_retried or summary.results_lost:
        lines.append(
            f"Downloads: {summary.downloads_retried} jobs needed retries to get their audio; "
            f"{summary.results_lost} finished jobs lost their audio for good."
        )
    if summary.pending:
        lines.append(
            f"Pending: {summary.pending} paid results not fetched yet (status or media host down until "
            f"their deadline); tts-harness bench run --resume {summary.run_id} fetches them."
        )
    own, requests = own_usd(summary.lines)
    return Lines(
        "money",
        tuple(lines),
        {
            "spent_usd": summary.spent_usd,
            "planned_usd": summary.planned_usd,
            "budget_usd": summary.budget_usd,
            "own_usd": own,
            "own_requests": requests,
            "target": summary.target,
            "downloads_retried": summary.downloads_retried,
            "results_lost": summary.results_lost,
            "pending": summary.pending,
        },
    )


def _language_rate(figure: LanguageFigures) -> FigureCell:
    if figure.not_judgeable_by:
        return FigureCell(
            f"not judgeable by {figure.not_judgeable_by}" + (f" ({figure.larger} would)" if figure.larger else "")
        )
    if figure.rate is None:
        return FigureCell("—")
    interval = (
        " (one clip: no interval)"
        if figure.low is None or figure.high is None
        else f" ({figure.low:.1%}–{figure.high:.1%})"
    )
    return FigureCell(
        f"{figure.unit.rate_name} {figure.rate:.1%}{interval}",
        {"unit": figure.unit.value, "rate": figure.rate, "low": figure.low, "high": figure.high},
    )


def language_sections(summary: Summary) -> list[Section]:
    """Per language and model: the error rate with its 95% interval over clips (`harness.measurement.pooled_rate`,
    honest at two clips; none for one clip, said so) (or the ASR model that cannot judge it,
    by the language self-test: docs/languages.md), and each registered check's column of the table (`harness.checks.
    views`: its `parts`; a language it has no figures of: "—")."""
    figures = summary.languages
    parts = summary.own_parts
    rows: list[tuple[Cell, ...]] = [
        (
            figure.language,
            figure.label,
            FigureCell(str(figure.clips), figure.clips),
            _language_rate(figure),
            *(
                FigureCell(shown.text, shown.value)
                for shown in (
                    cells.get((figure.provider, figure.model, figure.language), Shown("—")) for _, _, _, cells in parts
                )
            ),
            figure.asr_model,
        )
        for figure in sorted(figures, key=lambda f: (f.language, f.label))
    ]
    table = SummaryTable(
        "languages",
        "Languages: error rate per language and model (pooled, 95% over clips)"
        + "".join(f"; {heading}: {meaning}" for heading, _, meaning, _ in parts),
        (
            Heading("language", left=True),
            Heading("model", left=True),
            Heading("clips"),
            Heading("error rate"),
            *(Heading(heading, key, left=True) for heading, key, _, _ in parts),
            Heading("read by", left=True),
        ),
        tuple(rows),
    )
    return [table]


def sections(summary: Summary, db_path: str) -> list[Section]:
    """Everything the summary shows, in order."""
    return [
        models_table(summary),
        *own_sections(summary.notes),
        outcomes_table(summary),
        ended_lines(summary),
        money_lines(summary),
        *own_sections(summary.run_own),
        *(language_sections(summary) if summary.languages else []),
        *counted_sections(summary.checks),
        *own_sections(summary.own),
        *check_sections(summary.checks),
        Lines(
            "rows",
            (
                f"Run id {summary.run_id}; rows in {db_path} (tables runs, jobs, marks, polls, chunks, "
                "costs, errors, drift, clips).",
            ),
            {"run_id": summary.run_id, "status": summary.status, "db": db_path},
        ),
    ]


def render(summary: Summary, console: Console, db_path: str, form: SummaryFormat = SummaryFormat.TEXT) -> None:
    """Print the summary in `form` (text: at the console's width, a wide table split rather than cut)."""
    render_sections(sections(summary, db_path), form, console)


def render_own(views: Sequence[SectionView], console: Console) -> None:
    """Checks' sections of their own (`harness.checks.views`) alone, as text."""
    print_text(own_sections(views), console)
