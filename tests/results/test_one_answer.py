"""One run, one answer: the terminal summary, the report's leaderboard, `export` (CSV and JSON) and
`compare` show the same pooled WER and CER per model — the WER over the English corpus, the CER over the
Chinese one, never mixed — and each is the number the scorer's own counts give.

The run has an English and a Chinese corpus, scored in one pass as the scorer stamps it: English clips by
the English-only model, Chinese clips by its multilingual counterpart (`tests.helpers.mixed_run`).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rich.console import Console

from harness.checks.word_error import offering_figures
from harness.report.compare import Metric, compare_runs, render_text
from harness.report.export import ExportFormat, export_rows, load_export
from harness.report.leaderboard import build_leaderboard
from harness.report.render import write_report
from harness.results.reading import read_run
from harness.results.store import Store
from harness.runner.summary.figures import summarize
from harness.runner.summary.view import render
from tests.helpers.mixed_run import ENGLISH_ONLY, Expected, make_mixed_run


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Expected]]:
    db = tmp_path_factory.mktemp("mixed") / "runs.db"
    return db, make_mixed_run(db)


def test_the_expected_figures_are_not_degenerate(run: tuple[Path, dict[str, Expected]]) -> None:
    """Both models misread something in both languages, and differently: equality below means something."""
    _, expected = run
    clear, mumbled = expected["acme/clear"], expected["acme/mumbled"]
    assert 0 < clear.wer < mumbled.wer and 0 < clear.cer < mumbled.cer
    assert clear.wer != clear.cer


def test_the_terminal_summary_shows_them(run: tuple[Path, dict[str, Expected]]) -> None:
    db, expected = run
    store = Store(db)
    try:
        summary = summarize(store, "mixed")
    finally:
        store.close()
    for line in summary.lines:
        want = expected[f"{line.provider}/{line.model}"]
        assert line.quality is not None and line.quality.clips == 12
        assert (line.quality.pooled_wer, line.quality.pooled_cer) == (want.wer, want.cer)
    console = Console(record=True, width=240)
    render(summary, console, str(db))
    text = console.export_text()
    assert "WER" in text and "CER" in text and "zh/ja" in text
    for label, want in expected.items():
        (row,) = [line for line in text.splitlines() if line.strip().startswith(label)]
        assert re.search(rf"{re.escape(f'{want.wer:.1%}')}\s+{re.escape(f'{want.cer:.1%}')}", row), row


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "data-key" in found:
            self.values[found["data-key"]] = found.get("data-value", "")


def test_the_report_shows_them(run: tuple[Path, dict[str, Expected]], tmp_path: Path) -> None:
    db, expected = run
    rows = read_run(db, "mixed")
    assert rows.run.asr_model == ENGLISH_ONLY  # the pass, not the model that happened to read most clips
    board = build_leaderboard(rows)
    for entry in board.entries:
        want = expected[entry.label]
        shown = entry.to_json()
        assert (shown["wer_pooled"]["value"], shown["cer_pooled"]) == (want.wer, want.cer)
        assert shown["wer_pooled"]["n"] == 6 and entry.scored == 12
    cells = _Cells()
    cells.feed(write_report(rows, tmp_path / "report" / "index.html").read_text(encoding="utf-8"))
    for label, want in expected.items():
        assert float(cells.values[f"{label}:wer_pooled"]) == want.wer
        assert float(cells.values[f"{label}:cer_pooled"]) == want.cer


@pytest.mark.parametrize("fmt", [ExportFormat.CSV, ExportFormat.JSON])
def test_export_carries_them(run: tuple[Path, dict[str, Expected]], tmp_path: Path, fmt: ExportFormat) -> None:
    db, expected = run
    export_rows(read_run(db, "mixed"), tmp_path / "export", fmt)
    back = load_export(tmp_path / "export")
    for figures in offering_figures(back.requests):  # the WER/CER check's, pooled once for every face
        want = expected[f"{figures.provider}/{figures.model}"]
        assert (figures.values["wer"], figures.values["cer"]) == (want.wer, want.cer)
    for entry in build_leaderboard(back).entries:
        shown = entry.to_json()
        assert (shown["wer_pooled"]["value"], shown["cer_pooled"]) == (
            expected[entry.label].wer,
            expected[entry.label].cer,
        )


def test_compare_shows_them(run: tuple[Path, dict[str, Expected]], tmp_path: Path) -> None:
    db, expected = run
    export_rows(read_run(db, "mixed"), tmp_path / "baseline", ExportFormat.JSON)
    comparison = compare_runs(load_export(tmp_path / "baseline"), read_run(db, "mixed"))
    rates = {(c.label, c.statistic): c for c in comparison.checks if c.metric is Metric.WER}
    assert set(rates) == {(label, f"pooled {name}") for label in expected for name in ("WER", "CER")}
    for label, want in expected.items():
        for name, value in (("WER", want.wer), ("CER", want.cer)):
            difference = rates[(label, f"pooled {name}")].difference
            assert difference is not None and (difference.base, difference.new) == (value, value)
    assert comparison.exit_code == 0
    assert "pooled CER" in render_text(comparison)
