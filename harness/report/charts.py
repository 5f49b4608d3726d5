"""The report's four charts, drawn with plotly from the same rows and leaderboard as the tables.

Each function returns a plotly Figure; ``figure_html`` turns it into a div plus the call that draws it,
without plotly.js (the template inlines plotly.js once, so the report works offline). Every chart draws
something even when a run has no data for it (an annotation says so), so a reader never meets an empty
frame and the browser test can check that every chart drew.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.colors
import plotly.graph_objects as go

from harness.report.leaderboard import Leaderboard
from harness.results import Row, floats, group, polled, timed

TEMPLATE = "plotly_white"
HEIGHT = 380


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
    """Cost per 1,000 characters against pooled WER; the Pareto front (nothing both cheaper and better)."""
    figure = go.Figure()
    placed = [e for e in board.entries if e.cost_per_1k_chars_usd is not None and e.wer_pooled.sample_size > 0]
    for on_front in (True, False):
        members = [e for e in placed if e.pareto is on_front]
        if not members:
            continue
        figure.add_trace(
            go.Scatter(
                x=[e.cost_per_1k_chars_usd for e in members],
                y=[e.wer_pooled.value for e in members],
                mode="markers+text",
                hovertemplate="%{text}<br>$%{x:.4f} per 1,000 characters<br>WER %{y:.1%}<extra></extra>",
                text=[e.label for e in members],
                # Alternate label sides so neighbouring points do not print over each other.
                textposition=["top center" if i % 2 == 0 else "bottom center" for i in range(len(members))],
                name="Pareto front" if on_front else "dominated",
                marker={"size": 12, "symbol": "star" if on_front else "circle"},
            )
        )
    front = sorted((e for e in placed if e.pareto), key=lambda e: e.cost_per_1k_chars_usd or 0.0)
    if len(front) > 1:
        figure.add_trace(go.Scatter(x=[e.cost_per_1k_chars_usd for e in front], y=[e.wer_pooled.value for e in front],
                                    mode="lines", name="front", line={"dash": "dot"}, hoverinfo="skip"))
    if not placed:
        _empty_note(figure, "no model has both a USD price and scored clips")
    else:
        # Room on the right and top for the labels of the dearest and worst models.
        dearest = max(e.cost_per_1k_chars_usd or 0.0 for e in placed) or 1.0
        figure.update_xaxes(range=[-0.15 * dearest, 1.3 * dearest])
        figure.update_yaxes(rangemode="tozero")
    figure.update_yaxes(tickformat=".0%")  # WER in %, as the leaderboard prints it
    return _layout(figure, "Cost against WER (Pareto front starred)", "USD per 1,000 characters", "pooled WER (%)")


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


def figure_html(figure: go.Figure, div_id: str) -> str:
    """The chart's div and drawing script, without plotly.js (the page carries it once)."""
    html: str = figure.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displaylogo": False, "displayModeBar": False, "responsive": True},
    )
    return html
