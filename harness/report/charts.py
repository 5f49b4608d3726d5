"""The report's charts (four, and a sweep's load curves), drawn with plotly from the rows and leaderboard.

Each function returns a plotly Figure; ``figure_html`` turns it into a div plus the call that draws it,
without plotly.js (the template inlines plotly.js once, so the report works offline). Every chart draws
something even when a run has no data for it (an annotation says so), so a reader never meets an empty
frame and the browser test can check that every chart drew.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.colors
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from harness.report.leaderboard import Entry, Leaderboard
from harness.report.load import Curve
from harness.report.stats import Interval
from harness.results import Row, floats, group, polled, timed

TEMPLATE = "plotly_white"
HEIGHT = 380
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


def _colors(rows: Sequence[Row]) -> dict[tuple[str, str], str]:
    """One colour per provider × model, the same in every chart."""
    palette = plotly.colors.qualitative.Plotly
    return {key: palette[i % len(palette)] for i, key in enumerate(group(rows))}


def _tick(provider: str, model: str) -> str:
    """An axis label on two lines, so ten models fit side by side without slanted, clipped text."""
    return f"{provider}<br>{model}"


def _empty_note(figure: go.Figure, text: str) -> None:
    figure.add_annotation(text=text, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font={"size": 14})


def latency_figure(rows: Sequence[Row]) -> go.Figure:
    """Distribution of end-to-end latency per provider × model (ok, not resumed jobs), every point shown."""
    figure = go.Figure()
    colors = _colors(rows)
    for (provider, model), members in group(rows).items():
        seconds = [ms / 1000.0 for ms in floats(timed(members), "e2e_ms")]
        if seconds:
            figure.add_trace(go.Box(y=seconds, name=_tick(provider, model), boxpoints="all", jitter=0.4,
                                    pointpos=0, marker={"size": 4, "color": colors[(provider, model)]}))
    if not figure.data:
        _empty_note(figure, "no completed job to time")
    return _layout(figure, "End-to-end latency", "provider / model", "seconds").update_layout(showlegend=False)


def cost_wer_figure(board: Leaderboard) -> go.Figure:
    """Cost per 1M characters against pooled WER; the Pareto front (nothing both cheaper and better). Every
    priced model is placed: the billed cost where its answers said, else the planned one (the hover says which)."""
    figure = go.Figure()
    placed = [e for e in board.entries if e.cost_per_million_chars_usd is not None and e.wer_pooled.sample_size > 0]
    dearest = max((e.cost_per_million_chars_usd or 0.0 for e in placed), default=0.0) or 1.0
    worst = max((e.wer_pooled.value for e in placed), default=0.0)
    # Room on the left, right and top for the labels of the cheapest, dearest and worst models.
    x_range, y_range = (-0.15 * dearest, 1.3 * dearest), (0.0, max(1.25 * worst, 0.01))
    # Placed across both traces: a starred model and a dominated one can sit side by side.
    labels = [e.label for e in placed]
    points = [(e.cost_per_million_chars_usd or 0.0, e.wer_pooled.value) for e in placed]
    positions = dict(zip(labels, label_positions(points, labels, x_range, y_range), strict=True))
    for on_front in (True, False):
        members = [e for e in placed if e.pareto is on_front]
        if not members:
            continue
        figure.add_trace(
            go.Scatter(
                x=[e.cost_per_million_chars_usd for e in members],
                y=[e.wer_pooled.value for e in members],
                mode="markers+text",
                hovertemplate="%{text}<br>$%{x:,.2f} per 1M characters (%{customdata})<br>WER %{y:.1%}<extra></extra>",
                text=[e.label for e in members],
                customdata=[_cost_words(e) for e in members],
                textposition=[positions[e.label] for e in members],
                name="Pareto front" if on_front else "dominated",
                marker={"size": 12, "symbol": "star" if on_front else "circle"},
            )
        )
    front = sorted((e for e in placed if e.pareto), key=lambda e: e.cost_per_million_chars_usd or 0.0)
    if len(front) > 1:
        figure.add_trace(go.Scatter(x=[e.cost_per_million_chars_usd for e in front],
                                    y=[e.wer_pooled.value for e in front],
                                    mode="lines", name="front", line={"dash": "dot"}, hoverinfo="skip"))
    if not placed:
        _empty_note(figure, "no model has both a USD price and scored clips")
    else:
        figure.update_xaxes(range=list(x_range))
        figure.update_yaxes(range=list(y_range))
    figure.update_yaxes(tickformat=".0%")  # WER in %, as the leaderboard prints it
    return _layout(figure, "Cost against WER (Pareto front starred)", "USD per 1M characters", "pooled WER (%)")


def _cost_words(entry: Entry) -> str:
    """Which cost a point is: billed, planned or mixed, and a stale price said."""
    return entry.cost_source + (", stale price" if entry.price_stale else "") + (
        f", weak source: {entry.price_weak}" if entry.price_weak else "")


# Where a scatter label may go, in the order tried: above or below its point first (a label is wider than
# it is tall), then beside it, then diagonally.
LABEL_POSITIONS = ("top center", "bottom center", "middle right", "middle left",
                   "top right", "top left", "bottom right", "bottom left")
PLOT_PX = (560.0, 270.0)  # the cost-WER chart's plotting area in a half-width column of the report, nominal
CHAR_PX, LINE_PX = 7.0, 14.0  # a 12 px label's mean character width and its line height
MARKER_PX = 7.0  # from a point's centre to its label: the 12 px marker's radius and a pixel


def label_box(position: str, x: float, y: float, label: str) -> tuple[float, float, float, float]:
    """The box (left, bottom, right, top, in px of the plotting area, y upwards) plotly draws `label` in
    at `position` beside a marker centred at (x, y) px."""
    vertical, horizontal = position.split()
    width = CHAR_PX * len(label)
    left = {"left": x - MARKER_PX - width, "center": x - width / 2, "right": x + MARKER_PX}[horizontal]
    bottom = {"bottom": y - MARKER_PX - LINE_PX, "middle": y - LINE_PX / 2, "top": y + MARKER_PX}[vertical]
    return left, bottom, left + width, bottom + LINE_PX


def label_positions(points: Sequence[tuple[float, float]], labels: Sequence[str], x_range: tuple[float, float],
                    y_range: tuple[float, float]) -> list[str]:
    """A text position per point (data coordinates in axes of these ranges) so that near points' labels do
    not print over each other. Deterministic: points are taken by x, then y, then label; each gets the first
    of LABEL_POSITIONS whose box overlaps no label placed before it, no marker and no edge of the plot, or
    where none is free, the one that overlaps least. Boxes are estimated in pixels of a nominal plot
    (`label_box`): a wider or narrower window scales the gaps, not the order of the labels."""
    width, height = PLOT_PX
    x_span, y_span = (x_range[1] - x_range[0]) or 1.0, (y_range[1] - y_range[0]) or 1.0
    pixels = [((x - x_range[0]) / x_span * width, (y - y_range[0]) / y_span * height) for x, y in points]
    markers = [(x - MARKER_PX, y - MARKER_PX, x + MARKER_PX, y + MARKER_PX) for x, y in pixels]
    taken: list[tuple[float, float, float, float]] = []
    chosen = [""] * len(points)
    for index in sorted(range(len(points)), key=lambda i: (points[i][0], points[i][1], labels[i])):
        def cost(position: str, index: int = index) -> float:
            box = label_box(position, *pixels[index], labels[index])
            outside = _area(box) - _overlap(box, (0.0, 0.0, width, height))
            return outside + sum(_overlap(box, other) for other in (*taken, *markers))

        chosen[index] = min(LABEL_POSITIONS, key=cost)  # the first of the least overlapping: in the order tried
        taken.append(label_box(chosen[index], *pixels[index], labels[index]))
    return chosen


def _area(box: tuple[float, float, float, float]) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def errors_figure(board: Leaderboard) -> go.Figure:
    """Failed jobs per error class, stacked per provider × model (horizontal: long model names stay legible)."""
    figure = go.Figure()
    classes = sorted({name for e in board.entries for name in e.errors})
    labels = [e.label for e in board.entries]
    for name in classes:
        figure.add_trace(go.Bar(y=labels, x=[e.errors.get(name, 0) for e in board.entries], name=name,
                                orientation="h"))
    if not classes:
        figure.add_trace(go.Bar(y=labels, x=[0 for _ in labels], name="errors", showlegend=False, orientation="h"))
        _empty_note(figure, "no failed job")
        figure.update_xaxes(range=[0, 1])
    figure.update_layout(barmode="stack")
    figure.update_yaxes(autorange="reversed")  # the leaderboard's order, top to bottom
    return _layout(figure, "Errors by class", "failed jobs", "")


def polls_figure(rows: Sequence[Row]) -> go.Figure:
    """Status requests each polled job needed (webhook deliveries: their fallback polls): the price of
    asynchronous APIs in requests."""
    figure = go.Figure()
    colors = _colors(rows)
    for (provider, model), members in group(rows).items():
        polls = [int(r["polls"] or 0) for r in polled(members)]
        if polls:
            figure.add_trace(go.Box(y=polls, name=_tick(provider, model), boxpoints="all", jitter=0.4, pointpos=0,
                                    marker={"size": 4, "color": colors[(provider, model)]}))
    if not figure.data:
        _empty_note(figure, "no job was delivered by polling or webhook")
    return _layout(figure, "Polls per job", "provider / model", "status requests").update_layout(showlegend=False)


def _error_bars(intervals: Sequence[Interval], scale: float = 1.0) -> dict[str, object]:
    """Asymmetric error bars of intervals (none where a bound is unknown)."""
    def gap(values: Sequence[float]) -> list[float]:
        return [v * scale if v == v else 0.0 for v in values]  # NaN (too few values) draws no bar
    return {"type": "data", "symmetric": False, "thickness": 1,
            "array": gap([i.high - i.value for i in intervals]),
            "arrayminus": gap([i.value - i.low for i in intervals])}


def load_figure(curves: Sequence[Curve]) -> go.Figure:
    """p50 and p95 latency (top) and error rate (bottom) against the jobs really in flight, one colour per
    model (a legend group each), every point with its 95% interval."""
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32], vertical_spacing=0.08)
    palette = plotly.colors.qualitative.Plotly
    for index, curve in enumerate(curves):
        color, points = palette[index % len(palette)], curve.points
        x = [p.in_flight for p in points]
        hover = [f"level {p.level}: {p.sent} sent, max {p.max_in_flight} in flight, {p.rate_limited}×429, "
                 f"{p.retries} retries" for p in points]
        for name, dash, intervals in (("p95", "solid", [p.p95 for p in points]),
                                      ("p50", "dot", [p.p50 for p in points])):
            figure.add_trace(go.Scatter(
                x=x, y=[i.value / 1000.0 for i in intervals], error_y=_error_bars(intervals, 1 / 1000.0),
                mode="lines+markers", name=curve.label, legendgroup=curve.label, showlegend=name == "p95",
                line={"color": color, "dash": dash}, text=hover, hovertemplate=f"{curve.label} {name}: %{{y:.2f}} s<br>"
                "%{x:.1f} in flight<br>%{text}<extra></extra>"), row=1, col=1)
        errors = [p.errors for p in points]
        figure.add_trace(go.Scatter(
            x=x, y=[i.value for i in errors], error_y=_error_bars(errors), mode="lines+markers", name=curve.label,
            legendgroup=curve.label, showlegend=False, line={"color": color}, text=hover,
            hovertemplate=f"{curve.label} errors: %{{y:.1%}}<br>%{{text}}<extra></extra>"), row=2, col=1)
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
