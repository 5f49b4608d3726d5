"""One self-contained HTML file per run: everything a reader needs, nothing fetched from the network.

The page inlines plotly.js, its styles and the chart data; audio clips are copied beside it
(``audio/<sha256>.<ext>``, relative URLs), so the folder can be zipped, attached to a CI run or opened
from disk. A Content-Security-Policy forbids every network request, so a report cannot leak a request
even if a future chart library tried. All figures come from ``leaderboard`` over the run's raw rows, and
the leaderboard is embedded as JSON (``#leaderboard-data``) so a test can check each printed number.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
import plotly.offline
from markupsafe import Markup

from harness.checks import ClipCell, DeclaredCheck, ReportNote, RunNote, clip_cells, run_notes, with_views
from harness.core.audio import strip_metadata
from harness.measurement import LanguageFigures, language_figures
from harness.report.alignment import Token, align
from harness.report.charts import (
    cost_wer_figure,
    errors_figure,
    figure_html,
    latency_figure,
    load_figure,
    polls_figure,
)
from harness.report.columns import COLUMNS, ReportColumn, shown
from harness.report.compare import Comparison, render_text
from harness.report.formats import fmt, fmt_interval
from harness.report.leaderboard import FAMILIES, Leaderboard, build_leaderboard, front_rule
from harness.report.load import load_curves
from harness.results import (
    RequestRow,
    RunRows,
    StoredRun,
    ended_by,
    json_list,
    json_object,
    run_region,
    shipped_language_verdicts,
)

#: Per-request timings: observed directly (no interval), then estimated (shown with their interval's half
#: width; one from an older database without its interval is not shown, never as if exact).


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("harness.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(fmt=fmt, fmt_interval=fmt_interval)
    return env


def _resolve_audio(path: str, source: Path | None) -> Path | None:
    candidate = Path(path)
    bases = [Path.cwd()] + ([source.parent, source.parent.parent] if source else [])
    options = [candidate] if candidate.is_absolute() else [base / candidate for base in bases]
    return next((p for p in options if p.is_file()), None)


def copy_audio(rows: Sequence[RequestRow], out_dir: Path, source: Path | None) -> dict[str, str]:
    """Copy each clip beside the report; job_key -> relative URL. Clips whose file is gone are skipped."""
    target = out_dir / "audio"
    found: dict[str, str] = {}
    for row in rows:
        path = row.audio_path
        if not path or row.outcome != "ok":
            continue
        resolved = _resolve_audio(str(path), source)
        if resolved is None:
            continue
        name = f"{row.audio_sha256 or row.job_key}{resolved.suffix}"
        target.mkdir(parents=True, exist_ok=True)
        if not (target / name).exists():  # embedded without metadata, whenever the clip was stored
            (target / name).write_bytes(strip_metadata(resolved.read_bytes()))
        found[row.job_key] = f"audio/{name}"
    return found


def _timings(row: RequestRow) -> list[tuple[str, Any, float | None]]:
    """(name, estimate, half width) per timing the row holds; the half width is None when observed."""
    observed = (("submit", row.submit_ms), ("download", row.download_ms))
    intervals = (
        ("queue", row.queue_ms, row.queue_lo_ms, row.queue_hi_ms),
        ("processing", row.processing_ms, row.processing_lo_ms, row.processing_hi_ms),
        ("e2e", row.e2e_ms, row.e2e_lo_ms, row.e2e_hi_ms),
        ("e2e_server", row.e2e_server_ms, row.e2e_server_lo_ms, row.e2e_server_hi_ms),
        ("ttfa", row.ttfa_ms, row.ttfa_lo_ms, row.ttfa_hi_ms),
        ("perceived_ttfa", row.perceived_ttfa_ms, row.perceived_ttfa_lo_ms, row.perceived_ttfa_hi_ms),
        ("last_audio", row.last_audio_ms, row.last_audio_lo_ms, row.last_audio_hi_ms),
    )
    shown: list[tuple[str, Any, float | None]] = [(name, value, None) for name, value in observed if value is not None]
    shown += [
        (name, value, (high - low) / 2)
        for name, value, low, high in intervals
        if value is not None and low is not None and high is not None
    ]
    return shown


def _marks(row: RequestRow, notes: Sequence[tuple[ReportNote, RunNote]]) -> list[dict[str, Any]]:
    """Each mark a check of the run's own measuring puts on the job in the list of jobs (`ReportNote`): on every job
    its note disowns (its latency the check's concern, not the provider's), in the check's words."""
    return [{"words": report.mark, "title": report.mark_title(row)} for report, note in notes if note.disowns(row)]


def _cells(row: RequestRow, cells: Sequence[tuple[DeclaredCheck, ClipCell]]) -> list[dict[str, Any]]:
    """Each registered check's cell of the job (`ClipCell`), from the check's own reading of the clip, so the table's
    figure of a clip is the check's and no other."""
    shown = []
    for check, cell in cells:
        words, value = cell.figure(check.measure(row).values)
        shown.append({"words": words, "value": value, "kind": cell.kind})
    return shown


def _utterance(
    row: RequestRow,
    audio: dict[str, str],
    notes: Sequence[tuple[ReportNote, RunNote]],
    cells: Sequence[tuple[DeclaredCheck, ClipCell]],
) -> dict[str, Any]:
    tokens: tuple[Token, ...] = ()
    if row.scored and row.normalized_reference is not None and row.normalized_transcript is not None:
        tokens = align(str(row.normalized_reference), str(row.normalized_transcript))
    return {
        "row": row,
        "audio": audio.get(row.job_key),
        "tokens": tokens,
        "findings": json_list(row.findings),
        "timings": _timings(row),
        "marks": _marks(row, notes),
        "cells": _cells(row, cells),
    }


def _check_sections(env: jinja2.Environment, rows: RunRows, audio: dict[str, str], same_voice: bool) -> list[Markup]:
    """Each registered check's section of the report (`harness.checks.views.ReportSection`), in the registry's order:
    its template rendered over the values it reads of the run, each clip's audio where the report holds it."""
    sections = []
    for _, views in with_views():
        if (view := views.report_section) is not None and (values := view.values(rows, audio.get, same_voice)):
            sections.append(Markup(env.from_string(view.template).render(**values)))
    return sections


def _languages(rows: RunRows, audio: dict[str, str], examples: int = 3) -> dict[str, Any]:
    """The per-language table (harness.measurement.language_figures): per model and language the error rate with its
    interval, or the ASR model that cannot judge it; each registered check's figures of that language (`harness.
    checks.views`: a check with `parts`, its `report_keys`) with its misheard clips; each such check's failures."""
    figures: tuple[LanguageFigures, ...] = language_figures(rows.requests, shipped_language_verdicts())
    clips = {(r.provider, r.model, r.item_id): r for r in rows.requests}
    parts: dict[tuple[str, str, str], dict[str, Any]] = {}
    failed: list[tuple[str, str]] = []
    for check, views in with_views():
        if views.parts is None:
            continue
        found = views.figures(rows.requests)
        for one in found:
            parts.setdefault((one.provider, one.model, one.part), {}).update(
                {key: one.values[key] for key in views.report_keys}
            )
        failed += [(check.declaration.title, line) for line in (views.failures(found) if views.failures else ())]

    def heard(figure: LanguageFigures) -> list[dict[str, Any]]:
        """The misheard clips of the language, each with its audio where the report holds it."""
        return [
            {
                "clip": one,
                "audio": audio.get(clips[key].job_key)
                if (key := (figure.provider, figure.model, one.item_id)) in clips
                else None,
            }
            for part in parts.get((figure.provider, figure.model, figure.language), {}).values()
            for one in getattr(part, "misheard", ())[:examples]
        ]

    lines = [
        {
            "figure": figure,
            "parts": parts.get((figure.provider, figure.model, figure.language), {}),
            "misheard": heard(figure),
        }
        for figure in figures
    ]
    return {"lines": lines, "fallbacks": failed}


def _drift_summary(rows: RunRows) -> list[dict[str, Any]]:
    """Drift grouped by what drifted (provider, endpoint, kind, pointer), not by its value: a server timestamp
    in an undocumented form drifts once per answer, each with its own value, and is one finding. Each group
    keeps its count, the models it was seen with, and one example note; sorted by kind, then most seen."""
    groups: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for d in rows.drift:
        key = (d.kind, d.provider, d.endpoint, d.pointer)
        group = groups.setdefault(
            key,
            {
                "kind": key[0],
                "provider": key[1],
                "endpoint": key[2],
                "pointer": key[3],
                "example": d.note,
                "models": set(),
                "count": 0,
            },
        )
        group["count"] += 1
        group["models"].add(d.model)
    ordered = sorted(groups.values(), key=lambda g: (g["kind"], -g["count"], g["provider"], g["endpoint"]))
    return [{**g, "models": ", ".join(sorted(g["models"]))} for g in ordered]


def _contract_violations(rows: RunRows) -> list[dict[str, Any]]:
    counts: Counter[tuple[str, str, str, str, str, str]] = Counter()
    for error in rows.errors:
        if error.error_class != "contract":
            continue
        for v in json_list(error.detail_json) or [{"pointer": "", "expected": "", "got": error.message}]:
            counts[
                (
                    error.provider,
                    error.model,
                    error.phase,
                    str(v.get("pointer", "")),
                    str(v.get("expected", "")),
                    str(v.get("got", "")),
                )
            ] += 1
    return [
        {"provider": k[0], "model": k[1], "phase": k[2], "pointer": k[3], "expected": k[4], "got": k[5], "count": n}
        for k, n in sorted(counts.items())
    ]


def _metadata(run: StoredRun) -> list[tuple[str, str]]:
    corpora = json_object(run.corpora_json)
    machine = json_object(run.machine_json)
    target = str(run.target)
    if target == "sandbox":
        target += f" (profile {run.sandbox_profile or 'default'}, seed {run.sandbox_seed})"
    elif run.target_url:
        target += f" ({run.target_url})"
    items = [
        ("run", run.run_id),
        ("status", run.status),
        ("started / finished", f"{run.created_at} / {run.finished_at or '—'}"),
        ("target", target),
        ("region", run_region(run) or "— (bench run --region NAME labels it)"),
        ("harness version", run.harness_version),
        ("git revision", run.git_revision),
        ("corpora", ", ".join(f"{name} v{version}" for name, version in sorted(corpora.items())) or "—"),
        ("ASR", f"{run.asr_backend} / {run.asr_model}" if run.asr_backend else "not scored"),
        ("ASR settings", run.asr_settings or "—"),
        ("normalizer", f"{run.normalizer_name} {run.normalizer_version}" if run.normalizer_version else "—"),
        ("scoring harness version", run.scoring_harness_version or "—"),
        ("polling", run.polling),
        ("repeats × concurrency", f"{run.repeats} × {_concurrency(run)}"),
        ("budget / planned cost (USD)", f"{run.budget_usd or '—'} / {run.planned_cost_usd or '—'}"),
        ("machine", ", ".join(f"{k} {v}" for k, v in machine.items()) or "—"),
    ]
    return [(label, str(value)) for label, value in items]


def _concurrency(run: StoredRun) -> str:
    """The caps as asked: per provider (each level of a sweep), and across providers when capped."""
    levels = json_list(run.load_levels_json)
    per_provider = ", ".join(str(level) for level in levels) if levels else str(run.concurrency)
    overall = f"; {run.global_concurrency} across providers" if run.global_concurrency else ""
    return f"{per_provider} per provider{overall}"


def render_html(rows: RunRows, audio: dict[str, str], comparison: Comparison | None = None) -> str:
    board: Leaderboard = build_leaderboard(rows)
    requests = sorted(rows.requests, key=lambda r: (r.provider, r.model, int(r.seq or 0)))
    charts = {
        "latency": figure_html(latency_figure(rows.requests), "chart-latency"),
        "cost_wer": figure_html(cost_wer_figure(board), "chart-cost-wer"),
        "errors": figure_html(errors_figure(board), "chart-errors"),
        "polls": figure_html(polls_figure(rows.requests), "chart-polls"),
    }
    curves = load_curves(rows)
    if curves:  # a load sweep: the curves come first, they are what the run was for
        charts = {"load": figure_html(load_figure(curves), "chart-load"), **charts}
    env = _environment()
    template = env.get_template("report.html.j2")
    streaming = any(entry.own_figure("ttfa_ms") for entry in board.entries)  # some model streamed
    # what each check of the run's own measuring says of it, where it says it in the report
    notes = [(view.report, note) for view, note in run_notes(rows) if view.report is not None]
    columns = shown(streaming)
    cells = clip_cells()
    return template.render(
        run=rows.run,
        region=rows.region,
        board=board,
        streaming=streaming,
        columns=columns,
        shortlist_columns=_shortlist_columns(streaming, board),
        front_label=board.front.label if board.front is not None else "",
        front_rule=front_rule(board.front) if board.front is not None else "",
        filters=_filters(board),
        extra={column.key for column in columns if not column.default},
        board_json=json.dumps(board.to_json()).replace("</", "<\\/"),
        charts=charts,
        curves=curves,
        curves_json=json.dumps([c.to_json() for c in curves]).replace("</", "<\\/"),
        plotly_js=plotly.offline.get_plotlyjs(),
        utterances=[_utterance(r, audio, notes, cells) for r in requests],
        clip_cells=[cell for _, cell in cells],
        run_notes=notes,
        languages=_languages(rows, audio),
        check_sections=_check_sections(env, rows, audio, same_voice=str(rows.run.target or "sandbox") == "sandbox"),
        drift=_drift_summary(rows),
        ended_by=ended_by(rows),
        violations=_contract_violations(rows),
        metadata=_metadata(rows.run),
        comparison=comparison,
        comparison_text=render_text(comparison) if comparison else "",
    )


def _shortlist_columns(streaming: bool, board: Leaderboard) -> tuple[ReportColumn, ...]:
    """What the shortlist shows of each model on the front: the two figures of the rule (the cost and the report's
    column of the figure the front weighs), then what else decides."""
    weighed = (board.front.column,) if board.front is not None else ()
    by_key = {column.key: column for column in COLUMNS}
    shown = ("model", "usd_1m", *weighed, "success", "p50", "ttfa", "usd_hour")
    return tuple(by_key[key] for key in shown if streaming or not by_key[key].streaming)


def _filters(board: Leaderboard) -> dict[str, Any]:
    """The leaderboard's filter choices: the providers, families and languages its models have."""
    families = sorted({name for e in board.entries for name in e.deliveries})
    return {
        "providers": sorted({e.provider for e in board.entries}),
        "families": [(name, FAMILIES.get(name, name)) for name in families],
        "languages": sorted({name for e in board.entries for name in e.languages}),
    }


def write_report(rows: RunRows, out: Path, comparison: Comparison | None = None) -> Path:
    """Write ``out`` (an ``index.html``) and the audio beside it; returns the file written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    audio = copy_audio(rows.requests, out.parent, rows.source)
    out.write_text(render_html(rows, audio, comparison), encoding="utf-8")
    return out
