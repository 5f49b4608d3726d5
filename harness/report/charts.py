"""The report's charts (four, and a sweep's load curves), drawn with plotly from the rows and leaderboard.

Each function returns a plotly Figure; ``figure_html`` turns it into a div plus the call that draws it,
without plotly.js (the template inlines plotly.js once, so the report works offline). Every chart draws
something even when a run has no data for it (an annotation says so), so a reader never meets an empty
frame and the browser test can check that every chart drew.

Legible at 130 models: a chart of one figure per model names each model on its own row (horizontal, ranked, the
chart as tall as its models need), never 130 labels along an axis; the cost-WER scatter names only the Pareto
front, the rest on hover, with the cost on a log axis (cents and thousands of dollars side by side); the errors
chart has a bar, and a name, only for models that failed. One colour per provider.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.colors
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from harness.report.labels import label_positions
from harness.report.leaderboard import Entry, Leaderboard
from harness.report.load import Curve
from harness.report.stats import Interval
from harness.results import RequestRow, floats, group, polled, timed

TEMPLATE = "plotly_white"
HEIGHT = 380
ROW_PX = 17  # a model's row in a chart naming one model a row: its 11 px label and a gap
TICK_FONT = 11
LOG_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)  # 1-2-5 a decade
LOAD_TICKS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)  # in flight, on a log axis: one tick a doubling


def _layout(figure: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    figure.update_layout(
        template=TEMPLATE,
        title={"text": title, "x": 0.0, "xanchor": "left"},
        height=HEIGHT,
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
        xaxis_title=x_title,
        yaxis_title=y_title,
        legend={"orientation": "h", "y": -0.25},
        xaxis={"tickangle": 0},
    )
    return figure


def _colors(providers: Sequence[str]) -> dict[str, str]:
    """One colour per provider, the same in every chart (24 of them before one repeats)."""
    palette = plotly.colors.qualitative.Dark24
    return {name: palette[i % len(palette)] for i, name in enumerate(sorted(set(providers)))}


def _empty_note(figure: go.Figure, text: str) -> None:
    figure.add_annotation(text=text, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font={"size": 14})


def _rows_height(count: int) -> int:
    """A chart with one labelled row per model: every label on its own line, however many models."""
    return max(HEIGHT, 110 + ROW_PX * count)


def _ranked_boxes(
    values: dict[tuple[str, str], list[float]], title: str, x_title: str, *, log: bool, empty: str
) -> go.Figure:
    """One horizontal box per model, every value a point, the models ranked by median (the least at the top), each
    named on its own row of the y axis: 130 models read as a ranking, not as 130 slanted labels over each other."""
    figure = go.Figure()
    ranked = sorted(((statistics.median(v), f"{p}/{m}", p, v) for (p, m), v in values.items() if v))
    colors = _colors([provider for provider, _ in values])
    for _median, label, provider, members in ranked:
        figure.add_trace(
            go.Box(
                x=members,
                y=[label] * len(members),
                name=label,
                orientation="h",
                boxpoints="all",
                jitter=0.3,
                pointpos=0,
                marker={"size": 4, "color": colors[provider]},
                line={"width": 1},
                hovertemplate=f"{label}<br>%{{x:.3g}}<extra></extra>",
            )
        )
    if not figure.data:
        _empty_note(figure, empty)
    _layout(figure, title, x_title, "")
    labels = [label for _, label, _, _ in ranked]
    figure.update_yaxes(
        categoryorder="array",
        categoryarray=labels,
        autorange="reversed",
        tickmode="array",
        tickvals=labels,
        ticktext=labels,
        tickfont={"size": TICK_FONT},
        automargin=True,
    )
    if log and figure.data:
        figure.update_xaxes(type="log", tickvals=LOG_TICKS, ticktext=[f"{t:g}" for t in LOG_TICKS])
    return figure.update_layout(
        showlegend=False, height=_rows_height(len(labels)), margin={"l": 60, "r": 20, "t": 50, "b": 50}
    )


def latency_figure(rows: Sequence[RequestRow]) -> go.Figure:
    """End-to-end latency per provider × model (ok, not resumed jobs), every point shown, ranked by median on a log
    axis (seconds to tens of seconds side by side)."""
    values = {
        key: [ms / 1000.0 for ms in floats(r.e2e_ms for r in timed(members))] for key, members in group(rows).items()
    }
    return _ranked_boxes(
        values,
        "End-to-end latency, fastest median first",
        "seconds (log scale)",
        log=True,
        empty="no completed job to time",
    )


def _add_front(
    figure: go.Figure, board: Leaderboard, axis: CostAxis, front: list[Entry], positions: dict[str, str | None]
) -> None:
    """The Pareto front's stars (open where not every job was ok), each labelled where a place was found, and the
    dotted line through them in order of cost."""
    for complete in (True, False):
        members = [e for e in front if e.every_job_ok is complete]
        if not members:
            continue
        figure.add_trace(
            go.Scatter(
                x=[axis.position(e) for e in members],
                y=[board.quality(e).value for e in members],
                mode="markers+text",
                name="Pareto front" if complete else "front, not every job ok",
                text=[_front_label(e) if positions[e.label] else "" for e in members],
                textposition=[positions[e.label] or "top center" for e in members],
                hovertext=[e.label for e in members],
                customdata=[_cost_words(e) for e in members],
                hovertemplate=_hover(board),
                marker={"size": 13, "symbol": "star" if complete else "star-open", "color": "#b9770e"},
            )
        )
    line = sorted(front, key=lambda e: (e.cost_per_million_chars_usd or 0.0, board.quality(e).value))
    if len(line) > 1:
        figure.add_trace(
            go.Scatter(
                x=[axis.position(e) for e in line],
                y=[board.quality(e).value for e in line],
                mode="lines",
                name="front",
                line={"dash": "dot", "color": "#b9770e"},
                hoverinfo="skip",
            )
        )


def cost_wer_figure(board: Leaderboard) -> go.Figure:
    """Cost per 1M characters (log axis: a few cents to thousands of dollars side by side) against the figure the
    front weighs (`Leaderboard.front`: a registered check's, the pooled WER), in %. Every model placed is a point,
    named on hover; the Pareto front (nothing both cheaper and better) is starred and labelled, placed so that no
    label prints over another (`harness.report.labels`). A front model whose jobs did not all succeed is an open
    star, its label saying how many did. A free model sits at the axis' left edge, marked "free". The cost is the
    billed one where its answers said, else the planned one (the hover says which)."""
    figure = go.Figure()
    if (words := board.front) is None:  # no registered check gives a figure to weigh against cost
        _empty_note(figure, "no figure to weigh against cost")
        return _layout(figure, "Cost", "USD per 1M characters", "")
    placed = [e for e in board.entries if board.placed(e)]
    if not placed:
        _empty_note(figure, f"no model has both a USD price and {words.measured}")
        figure.update_yaxes(tickformat=".0%")
        return _layout(
            figure, f"Cost against {words.label} (Pareto front starred)", "USD per 1M characters", f"{words.name} (%)"
        )
    axis = _cost_axis([e.cost_per_million_chars_usd or 0.0 for e in placed])
    worst = max(board.quality(e).value for e in placed)
    y_range = (-0.04 * max(worst, 0.01), max(1.3 * worst, 0.01))
    front = [e for e in placed if e.pareto]
    labels = [_front_label(e) for e in front]
    positions = dict(
        zip(
            [e.label for e in front],
            label_positions(
                [(axis.x(e), board.quality(e).value) for e in front],
                labels,
                axis.range,
                y_range,
                PLOT_PX,
                others=[(axis.x(e), board.quality(e).value) for e in placed if not e.pareto],
            ),
            strict=True,
        )
    )
    dominated = [e for e in placed if not e.pareto]
    if dominated:
        figure.add_trace(
            go.Scatter(
                x=[axis.position(e) for e in dominated],
                y=[board.quality(e).value for e in dominated],
                mode="markers",
                name="dominated",
                hovertext=[e.label for e in dominated],
                customdata=[_cost_words(e) for e in dominated],
                hovertemplate=_hover(board),
                marker={"size": 8, "color": "rgba(90, 101, 117, 0.55)"},
            )
        )
    _add_front(figure, board, axis, front, positions)
    figure.update_xaxes(type="log", range=list(axis.range), tickvals=axis.ticks, ticktext=axis.tick_text)
    figure.update_yaxes(range=list(y_range), tickformat=".0%")  # a rate in %, as the leaderboard prints it
    _layout(
        figure,
        f"Cost against {words.label}: the Pareto front starred and named ({len(front)} of {len(placed)} models; "
        "the rest on hover)",
        "USD per 1M characters (log scale)",
        f"{words.name} (%)",
    )
    return figure.update_layout(height=COST_WER_HEIGHT)


def _hover(board: Leaderboard) -> str:
    """A point's hover: the model, its cost and which cost it is, and the figure the front weighs."""
    label = board.front.label if board.front is not None else ""
    return f"%{{hovertext}}<br>$%{{x:,.2f}} per 1M characters (%{{customdata}})<br>{label} %{{y:.1%}}<extra></extra>"


# The cost-WER chart's plotting area, nominal: a full-width chart in a 1,100 px window is about 900 px wide; its
# height is what COST_WER_HEIGHT leaves after the title, the axis titles and the legend below (279 px drawn by
# Chromium at 1,400 px): the nominal one is lower, so a gap kept on it is kept, or widened, on the page.
PLOT_PX = (900.0, 260.0)
COST_WER_HEIGHT = 440


@dataclass(frozen=True, slots=True)
class CostAxis:
    """A log axis of USD per 1M characters; a free model (a cost of 0, which no log axis holds) at its left edge."""

    free_at: float  # where a cost of 0 is drawn
    range: tuple[float, float]  # in log10 units, as plotly takes a log axis' range
    ticks: tuple[float, ...]
    tick_text: tuple[str, ...]

    def position(self, entry: Entry) -> float:
        return max(entry.cost_per_million_chars_usd or 0.0, 0.0) or self.free_at

    def x(self, entry: Entry) -> float:
        """The point's x in the axis' own units (log10), as the label rule places it."""
        return math.log10(self.position(entry))


def _cost_axis(costs: Sequence[float]) -> CostAxis:
    positive = [c for c in costs if c > 0]
    low, high = (min(positive), max(positive)) if positive else (1.0, 1.0)
    free_at = low / 4 if any(c <= 0 for c in costs) else low
    start, end = math.log10(free_at), math.log10(high)
    padding = max(0.25, 0.08 * (end - start))
    decades = [10.0**k for k in range(math.floor(start), math.ceil(end) + 1)]
    ticks = [t for t in decades if free_at * 1.5 < t]  # none printed over the "free" tick
    text = [f"${t:,.0f}" if t >= 1 else f"${t:g}" for t in ticks]
    if free_at < low:
        ticks, text = [free_at, *ticks], ["free", *text]
    return CostAxis(free_at, (start - padding, end + padding), tuple(ticks), tuple(text))


def _front_label(entry: Entry) -> str:
    return entry.label if entry.every_job_ok else f"{entry.label} ({entry.ok}/{entry.sent} ok)"


def _cost_words(entry: Entry) -> str:
    """Which cost a point is: billed, planned or mixed, and a stale price said."""
    return (
        entry.cost_source
        + (", stale price" if entry.price_stale else "")
        + (f", weak source: {entry.price_weak}" if entry.price_weak else "")
    )


def errors_figure(board: Leaderboard) -> go.Figure:
    """Failed jobs per error class, stacked, one bar per model that had a failure (horizontal, every bar named on
    its own row: a model with none has no bar, so no bar sits beside a name it is not)."""
    figure = go.Figure()
    failing = [e for e in board.entries if sum(e.errors.values())]
    classes = sorted({name for e in failing for name in e.errors})
    labels = [e.label for e in failing]
    for name in classes:
        figure.add_trace(
            go.Bar(
                y=labels,
                x=[e.errors.get(name, 0) for e in failing],
                name=name,
                orientation="h",
                hovertemplate=f"%{{y}}: %{{x}} {name}<extra></extra>",
            )
        )
    if not failing:
        figure.add_trace(go.Bar(y=[], x=[], name="errors", showlegend=False, orientation="h"))
        _empty_note(figure, "no failed job")
        figure.update_xaxes(range=[0, 1])
    title = (
        f"Errors by class: the {len(failing)} of {len(board.entries)} models with a failed job"
        if failing
        else "Errors by class"
    )
    _layout(figure, title, "failed jobs", "")
    figure.update_layout(
        barmode="stack",
        height=_rows_height(len(labels)),
        legend={"orientation": "h", "x": 0.0, "y": 1.0, "yanchor": "bottom", "xanchor": "left"},
        margin={"l": 60, "r": 20, "t": 80, "b": 50},
    )
    figure.update_yaxes(
        categoryorder="array",
        categoryarray=labels,
        autorange="reversed",
        tickmode="array",
        tickvals=labels,
        ticktext=labels,
        tickfont={"size": TICK_FONT},
        automargin=True,
    )
    figure.update_xaxes(dtick=1 if failing and max(sum(e.errors.values()) for e in failing) <= 10 else None)
    return figure


def polls_figure(rows: Sequence[RequestRow]) -> go.Figure:
    """Status requests each polled job needed (webhook deliveries: their fallback polls): the price of
    asynchronous APIs in requests."""
    values = {key: [float(r.polls or 0) for r in polled(members)] for key, members in group(rows).items()}
    return _ranked_boxes(
        values,
        "Polls per job, fewest first",
        "status requests",
        log=False,
        empty="no job was delivered by polling or webhook",
    )


def _error_bars(intervals: Sequence[Interval], scale: float = 1.0) -> dict[str, object]:
    """Asymmetric error bars of intervals (none where a bound is unknown)."""

    def gap(values: Sequence[float]) -> list[float]:
        return [v * scale if v == v else 0.0 for v in values]  # NaN (too few values) draws no bar

    return {
        "type": "data",
        "symmetric": False,
        "thickness": 1,
        "array": gap([i.high - i.value for i in intervals]),
        "arrayminus": gap([i.value - i.low for i in intervals]),
    }


def load_figure(curves: Sequence[Curve]) -> go.Figure:
    """p50 and p95 latency (top) and error rate (bottom) against the jobs really in flight, one colour per
    model (a legend group each), every point with its 95% interval."""
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32], vertical_spacing=0.08)
    palette = plotly.colors.qualitative.Plotly
    for index, curve in enumerate(curves):
        color, points = palette[index % len(palette)], curve.points
        x = [p.in_flight for p in points]
        hover = [
            f"level {p.level}: {p.sent} sent, max {p.max_in_flight} in flight, {p.rate_limited}×429, "
            f"{p.retries} retries"
            for p in points
        ]
        for name, dash, intervals in (
            ("p95", "solid", [p.p95 for p in points]),
            ("p50", "dot", [p.p50 for p in points]),
        ):
            figure.add_trace(
                go.Scatter(
                    x=x,
                    y=[i.value / 1000.0 for i in intervals],
                    error_y=_error_bars(intervals, 1 / 1000.0),
                    mode="lines+markers",
                    name=curve.label,
                    legendgroup=curve.label,
                    showlegend=name == "p95",
                    line={"color": color, "dash": dash},
                    text=hover,
                    hovertemplate=f"{curve.label} {name}: %{{y:.2f}} s<br>"
                    "%{x:.1f} in flight<br>%{text}<extra></extra>",
                ),
                row=1,
                col=1,
            )
        errors = [p.errors for p in points]
        figure.add_trace(
            go.Scatter(
                x=x,
                y=[i.value for i in errors],
                error_y=_error_bars(errors),
                mode="lines+markers",
                name=curve.label,
                legendgroup=curve.label,
                showlegend=False,
                line={"color": color},
                text=hover,
                hovertemplate=f"{curve.label} errors: %{{y:.1%}}<br>%{{text}}<extra></extra>",
            ),
            row=2,
            col=1,
        )
    if not curves:
        _empty_note(figure, "one load level: run with --concurrency 1,4,16 for a curve")
    _layout(figure, "Latency under load (p95 solid, p50 dotted; 95% intervals)", "", "seconds")
    # The legend beside the panels (below them it would sit under the error-rate axis), one entry a model.
    figure.update_layout(height=HEIGHT + 220, legend={"orientation": "v", "x": 1.02, "y": 1.0})
    ticks = {"type": "log", "tickvals": LOAD_TICKS, "ticktext": [str(t) for t in LOAD_TICKS]}
    figure.update_xaxes(title_text="jobs in flight per provider (mean at submit)", row=2, col=1, **ticks)
    figure.update_xaxes(row=1, col=1, **ticks)
    figure.update_yaxes(title_text="error rate", tickformat=".0%", rangemode="tozero", row=2, col=1)
    figure.update_yaxes(rangemode="tozero", row=1, col=1)
    return figure


def figure_html(figure: go.Figure, div_id: str) -> str:
    """The chart's div and drawing script, without plotly.js (the page carries it once)."""
    html: str = figure.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displaylogo": False, "displayModeBar": False, "responsive": True},
    )
    return html
