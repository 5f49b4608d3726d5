"""`tts-harness score` and `tts-harness asr convert-ct2`, through a Typer app registered like the main one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from harness.cli.score import asr_app, score_command
from tests.helpers.scoring_db import add_clip
from tests.helpers.speech import speak

TEXT = "The little boat drifted gently on the calm water of the bay."

app = typer.Typer()
app.command("score")(score_command)
app.add_typer(asr_app, name="asr")
runner = CliRunner()


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    path = tmp_path / "clip.wav"
    path.write_bytes(speak(TEXT))
    return path


def test_scoring_one_file_prints_transcript_rates_and_findings(clip: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.db"
    result = runner.invoke(app, ["score", "--text", TEXT, str(clip), "--declared-rate", "24000", "--cache", str(cache)])
    assert result.exit_code == 0, result.output
    assert "little boat drifted" in result.output
    assert "WER 0.00%" in result.output and "sample_rate_mismatch" in result.output
    as_json = runner.invoke(app, ["score", "--text", TEXT, str(clip), "--json", "--cache", str(cache)])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.output)
    assert data["wer"] == 0.0 and data["cache_hit"] is True and data["versions"]["asr_model"].startswith("tiny.en#")


def test_usage_errors_exit_2_and_scoring_failures_exit_1(clip: Path, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["score", "--text", TEXT, str(tmp_path / "absent.wav")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    bad_language = runner.invoke(app, ["score", "--text", TEXT, str(clip), "--language", "not a tag"])
    assert bad_language.exit_code == 2
    bad_window = runner.invoke(app, ["score", "--text", TEXT, str(clip), "--window", "60"])
    assert bad_window.exit_code == 2 and "windows" in bad_window.output
    no_db = runner.invoke(app, ["score", "run-1", "--db", str(tmp_path / "absent.db")])
    assert no_db.exit_code == 2
    garbage = tmp_path / "garbage.wav"
    garbage.write_bytes(b"<html>quota exceeded</html>")
    failed = runner.invoke(app, ["score", "--text", TEXT, str(garbage)])
    assert failed.exit_code == 1 and "undecodable" in failed.output
    # nothing was measured: the one line, not a table of dashes before it
    assert failed.output.startswith("scoring failed: undecodable audio: ") and failed.output.count("\n") == 1


def test_scoring_a_run_prints_cache_hits(run_db: Path) -> None:
    add_clip(run_db, "a", "run-9", TEXT, speak(TEXT))
    first = runner.invoke(app, ["score", "run-9", "--db", str(run_db)])
    assert first.exit_code == 0, first.output
    assert "0 hits, 1 misses" in first.output
    second = runner.invoke(app, ["score", "run-9", "--db", str(run_db), "--json"])
    assert second.exit_code == 0, second.output
    summary = json.loads(second.output)
    assert (summary["cache_hits"], summary["cache_misses"], summary["scored"]) == (1, 0, 1)
    unknown = runner.invoke(app, ["score", "run-0", "--db", str(run_db)])
    assert unknown.exit_code == 1 and "no clips" in unknown.output


def test_convert_ct2_refuses_a_folder_without_a_model(tmp_path: Path) -> None:
    result = runner.invoke(app, ["asr", "convert-ct2", str(tmp_path), str(tmp_path / "out.pt")])
    assert result.exit_code == 2 and "model.bin" in result.output
