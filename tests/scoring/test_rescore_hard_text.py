"""`tts-harness score RUN_ID` judges a stored run's hard-text spans too (as the run would have), and `export`
writes the judgements (`span_scores`) beside the rows and reads them back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from harness import benchmark
from harness.cli.report import export_command
from harness.cli.score import score_command
from harness.report.export import load_export
from harness.results import connect_writer, read_span_scores
from harness.runner.plan.config import BenchConfig
from tests.helpers.hard_text import ITEMS, hard_corpus, watch_corpus_reads

app = typer.Typer()
app.command("score")(score_command)
app.command("export")(export_command)
runner = CliRunner()


@pytest.mark.slow
def test_score_judges_the_stored_runs_hard_text_and_export_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "mine.json"
    corpus.write_text(json.dumps(hard_corpus(ITEMS[:1])))
    config = BenchConfig(
        out=tmp_path / "out",
        providers=("openai",),
        models=("tts-1",),  # type: ignore[call-arg]
        corpus=(str(corpus),),
        sandbox_profile="fast",
        score=False,
        dnsmos=False,
    )
    result = benchmark.run(config)
    conn = connect_writer(result.db_path)
    try:
        assert read_span_scores(conn, result.run_id) == ()  # not scored: nothing judged
    finally:
        conn.close()
    reads = watch_corpus_reads(monkeypatch)
    scored = runner.invoke(app, ["score", result.run_id, "--db", str(result.db_path)])
    assert scored.exit_code == 0, scored.output
    # the command loads the run's corpus once and hands it to judging, which loads nothing
    assert (reads.files, reads.judgings, reads.while_judging) == ([str(corpus)], 1, [])
    assert "Judged 2 hard-text clips by forced choice with tiny.en#" in scored.output
    conn = connect_writer(result.db_path)
    try:
        verdicts = read_span_scores(conn, result.run_id)
    finally:
        conn.close()
    assert sorted((v.item_id, v.control) for v in verdicts) == [("money-001", False), ("money-001", True)]
    exported = runner.invoke(
        app,
        ["export", result.run_id, "--db", str(result.db_path), "--out", str(tmp_path / "export"), "--format", "csv"],
    )
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "export" / "span_scores.csv").is_file()
    assert load_export(tmp_path / "export").spans == verdicts
