"""The leaderboard's columns, as data: each one's heading, what it means in a sentence, whether it is shown before
the reader asks for every column, which way is better, and how it draws an entry's cell. The template draws the
headings (their tooltips), every row's cells, the legend under the table, the sort and the "every column" toggle
from this one list, so a column is added in one place (a `ReportColumn` here, the figure on `leaderboard.Entry`) and no
column goes unexplained or unsortable.

A laptop window (1,400 px) holds the default columns; the others (tails, second opinions of a figure already shown)
appear with the toggle. The first column stays in view while the table scrolls sideways.

A cell carries what is printed and what it sorts by; a figure a test recomputes also carries its name in the
leaderboard's data (`key`: the page's `data-key="<provider>/<model>:<key>"`) and its raw value and interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from markupsafe import Markup

from harness.checks import (
    ColumnView,
    DeclaredCheck,
    ShareColumn,
    counted_columns,
    every_field,
    offering_value,
    said_with,
    with_views,
)
from harness.core.checks import Better, CheckDeclaration, CheckField
from harness.report.formats import fmt, fmt_interval
from harness.report.leaderboard import Entry
from harness.report.stats import Interval


@dataclass(frozen=True, slots=True, kw_only=True)
class Cell:
    """One leaderboard cell: what is printed, what the column sorts it by, and the figure behind it."""

    text: str  # the figure as printed (a `Markup` for the model's name, which carries its marks)
    sort: float | str | None  # None: sorted last whichever way the column sorts
    note: str = ""  # the small line under it: an interval, which cost it is
    key: str = ""  # the figure's name in the leaderboard's data; "" for a cell with no figure to recompute
    value: float | None = None  # data-value: the raw figure
    low: float | None = None  # data-low / data-high: its interval, for an interval's cell
    high: float | None = None
    attrs: tuple[tuple[str, str], ...] = ()  # further data-* attributes of the cell
    note_attrs: tuple[tuple[str, str], ...] = ()  # data-* attributes of the note
    classes: tuple[str, ...] = ()  # "nocost": a cost's words in place of a figure


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportColumn:
    key: str
    heading: str
    meaning: str
    cell: Callable[[Entry], Cell] = field(repr=False, compare=False)
    default: bool = True  # shown before "every column" is ticked
    streaming: bool = False  # only when some model streamed (TTFA)
    better: str = "low"  # "low" | "high" | "": the first click on the heading puts the better end first
    numeric: bool = True  # right-aligned figures; sorted as numbers


# the first click on a column's heading puts the better end first
_BETTER = {Better.HIGHER: "high", Better.LOWER: "low", Better.NEITHER: ""}


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def interval_cell(interval: Interval | None, kind: str, key: str) -> Cell:
    """A figure with its 95% interval under it (when known from more than one value); none: a dash."""
    if interval is None:
        return Cell(text="–", sort=None)
    value = _finite(interval.value)
    shown = _finite(interval.low) is not None and interval.sample_size > 1
    return Cell(
        text=fmt(interval.value, kind),
        sort=value,
        note=fmt_interval(interval.low, interval.high, kind) if shown else "",
        key=key,
        value=value,
        low=_finite(interval.low),
        high=_finite(interval.high),
    )


def value_cell(value: float | None, kind: str, key: str) -> Cell:
    return Cell(text=fmt(value, kind), sort=_finite(value), key=key, value=_finite(value))


def cost_cell(entry: Entry, value: float | None, key: str, *, source: bool = False) -> Cell:
    """A cost: its value and (`source`) which cost it is, billed or planned; or the words saying why there is none
    (no public price is not no data)."""
    if value is None and entry.cost_gap:
        return Cell(
            text="", sort=None, note=entry.cost_gap, key=key, attrs=(("gap", entry.cost_gap),), classes=("nocost",)
        )
    note = ""
    if source and value is not None:
        note = entry.cost_source + (", stale price" if entry.price_stale else "")
    return Cell(
        text=fmt(value, "usd"),
        sort=_finite(value),
        note=note,
        key=key,
        value=_finite(value),
        note_attrs=(("cost-source", entry.cost_source),) if note else (),
    )


def model_cell(entry: Entry) -> Cell:
    """The model's name, and its marks: ★ on the cost/WER Pareto front, said with how many of its jobs succeeded
    when not all did (a front drawn from half the jobs is not the same claim)."""
    name = Markup("{}/<b>{}</b>").format(entry.provider, entry.model)
    if entry.pareto:
        if entry.ok < entry.sent:
            name += Markup(' <span class="star partial" title="{}">★ {}/{} ok</span>').format(
                f"On the cost/WER Pareto front from {entry.ok} of {entry.sent} jobs: its cost and WER rest on the "
                "jobs that succeeded",
                entry.ok,
                entry.sent,
            )
        else:
            name += Markup(' <span class="star" title="On the cost/WER Pareto front">★</span>')
    return Cell(text=name, sort=entry.label)


def _planned_billed(entry: Entry) -> Cell:
    planned = fmt(entry.planned_usd, "usd") if entry.planned_usd is not None else (entry.cost_gap or "not planned")
    billed = fmt(entry.billed_usd, "usd") if entry.billed_usd is not None else "not billed"
    note = f"billed {entry.billed_jobs} of {entry.sent} jobs" if entry.billed_jobs else ""
    billed_raw = "" if entry.billed_usd is None else str(entry.billed_usd)
    return Cell(
        text=f"{planned} / {billed}",
        sort=entry.planned_usd,
        note=note,
        key="planned_billed",
        value=entry.planned_usd,
        attrs=(("billed", billed_raw),),
    )


def _flagged(entry: Entry) -> Cell:
    return Cell(
        text=f"{entry.flagged_clips} / {entry.scored}",
        sort=entry.flagged_clips / entry.scored if entry.scored else None,
        key="flagged_clips",
        value=entry.flagged_clips,
    )


def _share_cell(key: str) -> Callable[[Entry], Cell]:
    return lambda e: interval_cell(e.share(key), "rate", key)


def _share_column(check: DeclaredCheck, view: ShareColumn) -> ReportColumn:
    """A check's share (`harness.checks.views.ShareColumn`: its ratio field with its Wilson interval, in %)."""
    item = check.declaration.field_named(view.field)
    key = check.declaration.key(item)
    return ReportColumn(
        key=key,
        heading=item.label,
        meaning=view.meaning,
        cell=_share_cell(key),
        default=view.default,
        better=_BETTER[item.better],
    )


def _view_cell(view: ColumnView, name: str) -> Callable[[Entry], Cell]:
    """A check's figure of the entry as its view draws it (`harness.checks.views.ColumnView`), keyed `name` (its
    name in the leaderboard's JSON)."""

    def cell(entry: Entry) -> Cell:
        if view.quantile:
            return interval_cell(entry.own_quantile(view.figure, view.quantile), view.kind, f"{name}.{view.quantile}")
        figure = entry.own_figure(view.figure)
        if view.interval:
            return interval_cell(None if figure is None else Interval(*figure), view.kind, name)
        figures = dict(entry.own)
        if view.present is not None and not view.present(figures):
            return Cell(text=view.absent, sort=None)
        value = _finite(figure)
        return Cell(
            text=view.absent if value is None else view.prefix + fmt(value * view.scale, view.kind),
            sort=value,
            note=view.note(figures) if view.note else "",
            key=name,
            value=value,
            attrs=view.attrs(figures) if view.attrs else (),
        )

    return cell


def _view_column(view: ColumnView, names: Mapping[str, str]) -> ReportColumn:
    return ReportColumn(
        key=view.key,
        heading=view.heading,
        meaning=view.meaning,
        cell=_view_cell(view, names.get(view.figure, view.figure)),
        default=view.default,
        streaming=view.streaming,
    )


def _with_views(columns: tuple[ReportColumn, ...]) -> tuple[ReportColumn, ...]:
    """The figures' columns with every registered check's columns of its figures (`harness.checks.views.
    ColumnView`), then each one's share (`ShareColumn`), each right after the column its view names, in turn: in the
    registry's order, a view whose column is not placed yet (another check's, registered later) waiting until it is;
    one naming none placed, at the end."""
    placed = list(columns)
    waiting = [
        (view.after, _view_column(view, names))
        for _, views in with_views()
        # each figure's name in the leaderboard's JSON, where its view gives it one under another key
        for names in ({one.figure: one.key for group in views.entry for one in group.figures},)
        for view in views.columns
    ]
    # each check's share after them (`harness.checks.views.ShareColumn`)
    waiting += [(share.after, _share_column(check, share)) for check, views in with_views() if (share := views.share)]
    while (ready := next((i for i, (after, _) in enumerate(waiting) if _placed(placed, after)), None)) is not None:
        after, column = waiting.pop(ready)
        placed.insert(next(i + 1 for i, one in enumerate(placed) if one.key == after), column)
    return (*placed, *(column for _, column in waiting))


def _placed(columns: list[ReportColumn], key: str) -> bool:
    return any(one.key == key for one in columns)


_FIGURES: tuple[ReportColumn, ...] = (
    ReportColumn(
        key="model",
        heading="provider / model",
        meaning="The model benchmarked, as provider/model; ★ marks the cost/WER Pareto "
        "front (no other model is both cheaper and more intelligible), with how many of its jobs succeeded when "
        "not all did (the shortlist above lists the front).",
        cell=model_cell,
        better="",
        numeric=False,
    ),
    ReportColumn(
        key="sent",
        heading="sent",
        meaning="Jobs sent: those that ended with audio or with an error (jobs skipped before sending, "
        "by the budget or the documented limits, never reached the wire).",
        cell=lambda e: value_cell(e.sent, "int", "sent"),
        better="high",
    ),
    ReportColumn(
        key="success",
        heading="success",
        meaning="Share of sent jobs that returned audio, with its Wilson 95% interval.",
        cell=lambda e: interval_cell(e.success, "rate", "success"),
        better="high",
    ),
    ReportColumn(
        key="usd_1m",
        heading="$ / 1M chars",
        meaning="USD per million characters of input text, the figure every provider's price "
        "compares on and the one the Pareto chart uses: the billed cost where the provider's answers said what "
        "they billed, else the planned one from the published price (the small word under it says which; "
        "sandbox runs: what live would cost), over the priced jobs. Where there is none, the words say why: "
        "no public price (the provider publishes none), no data (nothing was sent), or the unit it is priced in.",
        cell=lambda e: cost_cell(e, e.cost_per_million_chars_usd, "cost_per_million_chars_usd", source=True),
    ),
    ReportColumn(
        key="usd_hour",
        heading="$ / audio hour",
        meaning="USD per hour of audio returned, from the same cost: the other figure a price compares on.",
        cell=lambda e: cost_cell(e, e.cost_per_hour_usd, "cost_per_hour_usd"),
    ),
    ReportColumn(
        key="usd_req",
        heading="$ / req",
        meaning="Mean USD per sent request, from the same cost.",
        cell=lambda e: cost_cell(e, e.cost_per_request_usd, "cost_per_request_usd"),
        default=False,
    ),
    ReportColumn(
        key="usd_min",
        heading="$ / audio min",
        meaning="USD per minute of audio returned.",
        cell=lambda e: cost_cell(e, e.cost_per_audio_minute_usd, "cost_per_audio_minute_usd"),
        default=False,
    ),
    ReportColumn(
        key="usd_1k",
        heading="$ / 1k chars",
        meaning="USD per 1,000 characters of input text.",
        cell=lambda e: cost_cell(e, e.cost_per_1k_chars_usd, "cost_per_1k_chars_usd"),
        default=False,
    ),
    ReportColumn(
        key="planned_billed",
        heading="planned / billed",
        meaning="The run's cost as planned from the published price before "
        "sending, and as the provider's answers said they billed (over the jobs whose answers said so; the "
        "prices section lists both per model).",
        cell=_planned_billed,
        default=False,
    ),
    ReportColumn(
        key="flagged",
        heading="flagged",
        meaning="Scored clips with a conformance finding (declared type, rate or channels not "
        "what the bytes are, truncation, clipping, silence) / scored clips; the findings table names them.",
        cell=_flagged,
    ),
    ReportColumn(
        key="polls",
        heading="polls / job",
        meaning="Mean status requests per polled job: the request cost of an asynchronous API.",
        cell=lambda e: value_cell(e.polls_mean, "num", "polls_mean"),
        default=False,
    ),
)


def _check_cell(check: CheckDeclaration, item: CheckField) -> Callable[[Entry], Cell]:
    kind = "ms" if item.unit == "ms" else "num"

    def cell(entry: Entry) -> Cell:
        found = next((one.figures.get(item.name) for one in entry.checks if one.check.name == check.name), None)
        if found is None:
            return Cell(text="–", sort=None)
        low, high = (math.nan, math.nan) if found.low is None or found.high is None else (found.low, found.high)
        return interval_cell(Interval(found.value, low, high, found.clips), kind, check.key(item))

    return cell


def _check_column(check: CheckDeclaration, item: CheckField) -> ReportColumn:
    better = _BETTER[item.better]
    return ReportColumn(
        key=check.key(item),
        heading=item.label.removesuffix(f" {item.unit}"),
        meaning=f"{item.meaning} ({item.unit}; {check.doc})",
        cell=_check_cell(check, item),
        default=item.default_column,
        streaming=item.beside == "ttfa",
        better=better,
    )


def _counted_cell(check: CheckDeclaration, item: CheckField) -> Callable[[Entry], Cell]:
    def cell(entry: Entry) -> Cell:
        value = _finite(offering_value(entry.checks, check, item))
        if value is None:
            return Cell(text=item.absent, sort=None)
        one = next((found for found in entry.checks if found.check.name == check.name), None)
        note = ", ".join(part for form in item.note if (part := said_with(form, one)) is not None)
        text = fmt(value, "rate") if item.unit == "share" else f"{value:.{item.decimals}f}"
        return Cell(text=text, sort=value, note=note, key=check.key(item), value=value)

    return cell


def _counted_column(check: CheckDeclaration, item: CheckField) -> ReportColumn:
    """A counted check's ratio (`harness.checks.counted_columns`), the check's one column: headed by its title over
    the denominator's unit ("x / min"), no interval (its findings are deterministic)."""
    per = check.field_named(item.of[1]).unit if item.of else item.unit
    better = _BETTER[item.better]
    return ReportColumn(
        key=check.name,
        heading=item.column or f"{check.title.lower()} / {per}",
        meaning=f"{item.meaning} ({check.doc})",
        cell=_counted_cell(check, item),
        default=False,
        streaming=item.streamed,
        better=better,
    )


def _with_checks(columns: tuple[ReportColumn, ...]) -> tuple[ReportColumn, ...]:
    """The figures' columns with every registered check's (`harness.checks`; a counted check's ratio as its one
    column): a field declared beside a column right after it (first speech after TTFA), the others at the end, all
    shown with "every column" (the default columns already fill a laptop window:
    tests/report/test_report_browser.py)."""
    placed = list(columns)
    fields = [(check, item, _check_column(check, item)) for check, item in every_field()]
    fields += [(check, item, _counted_column(check, item)) for check, item in counted_columns()]
    for _, item, column in fields:
        at = next((index + 1 for index, one in enumerate(placed) if item.beside and one.key == item.beside), None)
        placed.insert(len(placed) if at is None else at, column)
    return tuple(placed)


COLUMNS: tuple[ReportColumn, ...] = _with_checks(_with_views(_FIGURES))


def shown(streaming: bool) -> tuple[ReportColumn, ...]:
    """The columns of this report: the streaming ones only when some model streamed."""
    return tuple(column for column in COLUMNS if streaming or not column.streaming)
