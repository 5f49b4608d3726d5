"""Cost faces right (issue 61), on a real run against the sandbox: $ per audio hour is the ok jobs' cost over the audio
they returned, a failed job's cost shown apart (Deepgram's aura-2-andromeda-en with one of its two jobs cut mid-stream
costs per hour what aura-2-thalia-en at the same $30 per 1M characters does, within 5%); a price per minute or second
is re-priced on the audio the answer returned where it billed nothing (Rime's $0.03 a minute is $1.80 an audio hour,
Resemble's $0.0005 a second likewise); and every face marks the weak sources (Deepgram's reseller, Rime's third
party) as it marks stale ones."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from harness.report.leaderboard import build_leaderboard
from harness.results import read_run
from harness.results.figures import model_figures
from harness.results.rows import RunRows
from harness.runner.plan.config import BenchConfig
from harness.runner.session import run_bench_session
from harness.runner.summary.figures import summary_of
from harness.runner.summary.view import render
from harness.sandbox import running

CUT = "deepgram/aura-2-andromeda-en"  # its second job's socket is dropped after the first audio


def _corpus(path: Path) -> Path:
    items = [
        {"id": "first", "text": "The quick brown fox jumps over the lazy dog near the quiet river bank."},
        {"id": "second", "text": "Birds sing softly at dawn while the small town by the hill still sleeps."},
    ]
    path.write_text(json.dumps({"name": "hour", "version": "1", "language": "en", "items": items}))
    return path


def _hook(label: str, item_id: str, phase: str, attempt: int) -> Mapping[str, str]:
    return {"X-Sandbox-Fault": "drop-socket"} if label == CUT and item_id == "second" else {}


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> RunRows:
    folder = tmp_path_factory.mktemp("hour")
    providers = ("deepgram", "rime", "resemble")
    with running("fast", 0, providers=providers) as sandbox:  # the runner's tests' shared sandbox serves pixazo only
        config = BenchConfig(
            out=folder,
            score=False,
            report=False,
            providers=providers,
            models=("aura-2-thalia-en", "aura-2-andromeda-en", "coda-ws", "resemble-ws"),
            corpus=(str(_corpus(folder / "hour.json")),),
            target=sandbox.url,
            yes=True,
        )
        result = run_bench_session(config, headers=_hook)
    return read_run(result.db_path, result.run_id)


def _costs(rows: RunRows) -> dict[str, Any]:
    return {f"{f.provider}/{f.model}": f.cost for f in model_figures(rows)}


def test_a_failed_jobs_cost_is_not_divided_by_its_siblings_audio(rows: RunRows) -> None:
    outcomes = {(r.model, r.item_id): r.outcome for r in rows.requests}
    assert outcomes[("aura-2-andromeda-en", "second")] != "ok" and outcomes[("aura-2-andromeda-en", "first")] == "ok"
    costs = _costs(rows)
    cut, whole = costs[CUT], costs["deepgram/aura-2-thalia-en"]
    assert cut.failed_jobs == 1 and cut.failed_usd is not None and cut.failed_usd > 0  # charged, and shown apart
    assert whole.failed_usd is None
    assert cut.per_hour_usd is not None and whole.per_hour_usd is not None
    assert abs(cut.per_hour_usd / whole.per_hour_usd - 1) < 0.05, (cut.per_hour_usd, whole.per_hour_usd)
    assert cut.total_usd is not None and cut.total_usd > cut.failed_usd  # the total still holds what was spent


@pytest.mark.parametrize("label", ["rime/coda-ws", "resemble/resemble-ws"])
def test_a_price_per_minute_or_second_is_re_priced_on_the_audio_returned(rows: RunRows, label: str) -> None:
    cost = _costs(rows)[label]
    assert cost.source == "planned" and cost.repriced_jobs == 2  # the answers billed nothing
    assert cost.per_hour_usd == pytest.approx(1.80, abs=0.005)  # $0.03 a minute, $0.0005 a second


def test_the_summary_and_the_report_mark_weak_sources_and_keep_failed_cost_apart(rows: RunRows) -> None:
    console = Console(record=True, width=400)
    render(summary_of(rows, 0.0), console, "runs.db")
    text = " ".join(console.export_text().split())
    assert "(weak price)" in text  # deepgram's cost cell
    assert "(stale, weak price)" in text  # rime's: read 2026-05-08 from a third party's page
    assert (
        "Prices marked stale or weak above (`tts-harness providers --prices` lists them): 2 prices from a "
        "reseller's page; 2 prices from a third party's page; 2 prices read longer ago than --price-max-age (or "
        "never dated)."
    ) in text  # counted by kind in one line, not one name per model (issue 69)
    assert "Re-priced on the audio returned" in text and "rime/coda-ws (2)" in text
    assert f"Cost of failed jobs, apart from $ per audio hour (the ok jobs' cost over their audio): {CUT} $" in text
    board = build_leaderboard(rows)
    weak = {entry.label: entry.price_weak for entry in board.entries}
    assert weak[CUT] == "a reseller's page" and weak["rime/coda-ws"] == "a third party's page"
    assert any(note.startswith("Weak price sources") for note in board.notes)
    assert any(note.startswith("Cost of failed jobs") and CUT in note for note in board.notes)
