"""The history page: one self-contained HTML file (plotly inlined once, as the report does), per provider ×
model a chart of every stored figure over runs with its interval, each change marked where it starts; the
changes listed with run, date, size and confidence; findings by the run they first appeared in.

Charts are drawn with the report's helpers (`harness.report.charts`: its template, error bars and
`figure_html`) and values printed with its formats (`harness.report.render.fmt`), so a figure reads the same
on both pages. Laid out for a 1,400-pixel-wide window: two charts a row.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import plotly.graph_objects as go
import plotly.offline
from plotly.subplots import make_subplots

from harness.checks import with_views
from harness.history.analysis import METHOD, Analysis
from harness.history.values import Series
from harness.report.charts import TEMPLATE, _error_bars, figure_html
from harness.report.render import fmt, fmt_interval
from harness.report.stats import Interval
from harness.results.dearer import RULE as DEARER_RULE

KINDS = {"ms": "ms", "usd": "usd", "rate": "rate", "score": "num", "count": "num", "ratio": "num"}
SCALE = {"ms": 1 / 1000.0}  # drawn in seconds, as the report draws latency
AXIS = {"ms": "seconds", "usd": "USD", "rate": "", "score": "", "count": "", "ratio": "ratio"}
ROW_HEIGHT = 250
COLUMNS = 2


def _interval(point_value: float, low: float | None, high: float | None, n: int | None) -> Interval:
    return Interval(point_value, math.nan if low is None else low, math.nan if high is None else high, n or 0)


def model_figure(analysis: Analysis, series: list[Series]) -> go.Figure:
    """Every series of one model, one panel each, change points marked."""
    rows = max(1, math.ceil(len(series) / COLUMNS))
    several = len({s.corpus for s in series}) > 1  # the corpus named only where a model was read on several
    figure = make_subplots(
        rows=rows,
        cols=COLUMNS,
        subplot_titles=[s.title if several else s.label for s in series],
        vertical_spacing=min(0.12, 0.5 / rows),
        horizontal_spacing=0.08,
    )
    for index, one in enumerate(series):
        row, col = index // COLUMNS + 1, index % COLUMNS + 1
        scale = SCALE.get(one.unit, 1.0)
        intervals = [_interval(p.value, p.low, p.high, p.sample_size) for p in one.points]
        hover = [
            f"{p.run_id}<br>{fmt(p.value, KINDS[one.unit])} {fmt_interval(p.low, p.high, KINDS[one.unit])}"
            for p in one.points
        ]
        figure.add_trace(
            go.Scatter(
                x=[p.created_at for p in one.points],
                y=[p.value * scale for p in one.points],
                error_y=_error_bars(intervals, scale),
                mode="lines+markers",
                name=one.label,
                showlegend=False,
                text=hover,
                hovertemplate="%{text}<extra></extra>",
                line={"color": "#1f77b4"},
            ),
            row=row,
            col=col,
        )
        for flagged in analysis.of(one):
            color = "#d62728" if flagged.change.method == "newest run" else "#ff7f0e"
            figure.add_vline(
                x=flagged.point.created_at, line={"color": color, "dash": "dash", "width": 2}, row=row, col=col
            )
            figure.add_trace(
                go.Scatter(
                    x=[flagged.point.created_at],
                    y=[flagged.point.value * scale],
                    mode="markers",
                    showlegend=False,
                    marker={"symbol": "diamond", "size": 12, "color": color},
                    hovertemplate=html.escape(flagged.describe()) + "<extra></extra>",
                ),
                row=row,
                col=col,
            )
        figure.update_yaxes(
            title_text=AXIS[one.unit], row=row, col=col, tickformat=".0%" if one.unit == "rate" else None
        )
    figure.update_layout(template=TEMPLATE, height=ROW_HEIGHT * rows + 60, margin={"l": 60, "r": 20, "t": 40, "b": 40})
    return figure


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1360px; padding: 16px; color: #222; }
h1 { font-size: 1.5em; margin: 0 0 4px; } h2 { margin-top: 32px; border-bottom: 1px solid #ddd; }
.sub, .method { color: #555; font-size: 0.9em; } table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } tr.newest td { background: #fde8e8; }
.chart { width: 100%; }
"""


def _changes_table(analysis: Analysis) -> str:
    if not analysis.flagged:
        return "<p>No change found.</p>"
    newest = set(map(id, analysis.newest))
    rows = []
    for f in analysis.flagged:
        kind = KINDS[f.series.unit]
        size = f.change.relative
        rows.append(
            f'<tr class="{"newest" if id(f) in newest else ""}" '
            f'data-series="{html.escape(f.label)}:{f.series.key}" data-corpus="{html.escape(f.series.corpus)}">'
            f"<td>{html.escape(f.label)}</td><td>{html.escape(f.series.title)}</td>"
            f"<td><code>{html.escape(f.point.run_id)}</code></td><td>{html.escape(f.point.created_at[:19])}</td>"
            f'<td class="n">{fmt(f.change.before, kind)} → {fmt(f.change.after, kind)}</td>'
            f'<td class="n">{"" if size is None else f"{size:+.0%}"}</td>'
            f'<td class="n">{f.change.confidence:.1%}</td><td>{f.change.method}</td></tr>'
        )
    return (
        '<table id="changes"><thead><tr><th>provider / model</th><th>figure</th><th>run</th><th>date</th>'
        "<th>before → after</th><th>size</th><th>confidence</th><th>found by</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _dearer_table(analysis: Analysis) -> str:
    if not analysis.dearer:
        return "<p>No provider billed the newest run more for the same text.</p>"
    rows = "".join(
        f'<tr class="newest" data-dearer="{html.escape(d.provider)}/{html.escape(d.model)}:{html.escape(d.unit)}">'
        f"<td>{html.escape(d.provider)}/{html.escape(d.model)}</td><td>{html.escape(d.unit.replace('_', ' '))}</td>"
        f'<td class="n">{d.requests}</td><td><code>{html.escape(d.base_run)}</code> → '
        f'<code>{html.escape(d.new_run)}</code></td><td class="n">{d.before:,.4g} → {d.after:,.4g}</td>'
        f'<td class="n">×{d.ratio:.2f}</td></tr>'
        for d in analysis.dearer
    )
    return (
        '<table id="dearer"><thead><tr><th>provider / model</th><th>billed</th><th>same requests</th>'
        "<th>runs</th><th>before → after</th><th>ratio</th></tr></thead><tbody>" + rows + "</tbody></table>"
        f'<p class="method">{html.escape(DEARER_RULE)}</p>'
    )


def _own_tables(analysis: Analysis) -> str:
    """Each registered check's table of the offerings its gate rule flags in the newest run, under its heading
    (`harness.checks.views`: its `page`), then those that still break its rule as the run before did (no failure,
    but said), or its words for none."""
    flagged, kept = dict(analysis.own_worse), dict(analysis.own_kept)
    tables = []
    for check, views in with_views():
        if (page := views.page) is None:
            continue
        new, still = flagged.get(check.name, ()), kept.get(check.name, ())
        rows = "".join(
            f'<tr class="{css}" data-{page.attribute}="{html.escape(page.row_key(one) if page.row_key else cells[0])}">'
            + "".join(
                f"<td><code>{html.escape(cell)}</code></td>" if i in page.code else f"<td>{html.escape(cell)}</td>"
                for i, cell in enumerate(cells)
            )
            + "</tr>"
            for css, found in (("newest", new), ("still", still))
            for one in found
            for cells in (page.cells(one),)
        )
        body = (
            (
                ("" if new or not page.kept else f"<p>{html.escape(page.kept)}</p>")
                + f'<table id="{page.table_id}"><thead><tr>'
                + "".join(f"<th>{h}</th>" for h in page.headings)
                + "</tr></thead><tbody>"
                + rows
                + "</tbody></table>"
                + (f"<p>{html.escape(page.both)}</p>" if new and still and page.both else "")
                + f'<p class="method">{html.escape(views.rule)}</p>'
            )
            if rows
            else f"<p>{page.none}</p>"
        )
        tables.append(f"<h2>{page.heading}</h2>{body}")
    return "".join(tables)


def _findings_table(analysis: Analysis) -> str:
    findings = analysis.history.findings
    if not findings:
        return "<p>No contract, drift, error or catalogue finding.</p>"
    rows = "".join(
        f"<tr><td>{html.escape(f.provider)}/{html.escape(f.model)}</td><td>{f.kind}</td><td>{html.escape(f.what)}</td>"
        f"<td><code>{html.escape(f.first_run)}</code></td><td>{html.escape(f.first_at[:19])}</td>"
        f'<td class="n">{f.runs}</td></tr>'
        for f in findings
    )
    return (
        '<table id="findings"><thead><tr><th>provider / model</th><th>kind</th><th>finding</th>'
        "<th>first run</th><th>first seen</th><th>runs seen in</th></tr></thead><tbody>" + rows + "</tbody></table>"
    )


def _named_runs(analysis: Analysis) -> str:
    """The runs each registered check of the run's own measuring names (`harness.checks.views.RunNoteView`: the
    client saturated while it measured), under the check's heading: their latency points left out."""
    said = []
    for _, views in with_views():
        if (view := views.run_note) is None:
            continue
        items = "".join(
            f"<li><code>{html.escape(run.run_id)}</code> ({html.escape(run.created_at[:19])}): {html.escape(line)}</li>"
            for run in analysis.history.runs
            for page_id, line in run.named
            if page_id == view.page_id
        )
        if items:
            said.append(
                f'<h2>{html.escape(view.page_heading)}</h2><ul id="{html.escape(view.page_id)}">{items}</ul>'
                f'<p class="method">{html.escape(view.page_method)}</p>'
            )
    return "".join(said)


def render_history(analysis: Analysis, store: str) -> str:
    history = analysis.history
    runs = history.runs
    span = f"{runs[0].created_at[:10]} – {runs[-1].created_at[:10]}" if runs else "no run"
    sections = []
    for index, (provider, model) in enumerate(history.models()):
        series = history.of(provider, model)
        chart = figure_html(model_figure(analysis, series), f"chart-{index}")
        sections.append(
            f'<section class="model" data-model="{html.escape(provider)}/{html.escape(model)}">'
            f'<h2>{html.escape(provider)} / {html.escape(model)}</h2><div class="chart">{chart}</div>'
            "</section>"
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline' "
        "'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>tts-harness history</title><style>{_STYLE}</style>"
        f"<script>{plotly.offline.get_plotlyjs()}</script></head><body>"
        f'<header><h1>tts-harness history</h1><div class="sub">{html.escape(store)} · {len(runs)} runs · {span} · '
        f'{len(history.models())} models</div><p class="method">{html.escape(METHOD)}</p></header>'
        f"<main>{_named_runs(analysis)}<h2>Changes found</h2>{_changes_table(analysis)}"
        f"<h2>Billed more for the same text</h2>{_dearer_table(analysis)}"
        f"{_own_tables(analysis)}"
        "<h2>Findings by the run they first appeared in</h2>"
        f"{_findings_table(analysis)}{''.join(sections)}</main></body></html>"
    )


def write_history(analysis: Analysis, store: str, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_history(analysis, store), encoding="utf-8")
    return out
