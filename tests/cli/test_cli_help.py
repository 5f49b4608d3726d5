"""What a user reads first: `--help` states every default, and a refused run prints its refusal only."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.runner.plan.config import RunSettings, WorkloadSettings


def test_bench_run_help_shows_every_default_and_no_type_labels() -> None:
    result = CliRunner().invoke(app, ["bench", "run", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for option, default in (
        ("--repeats N", WorkloadSettings().repeats),
        ("--concurrency N", RunSettings().concurrency),
        ("--seed N", 0),
        ("--job-timeout SECONDS", RunSettings().job_timeout),
        ("--score / --no-score", "true"),
        ("--report / --no-report", "true"),
        ("--corpus NAME[:N]", "en_read:2"),
        ("--target WHERE", "sandbox"),
    ):
        assert option in text, option
        after = text.split(option, 1)[1].split(" --", 1)[0]
        assert f"[default: {default}]" in after, (option, after)
    assert "<bool>" not in result.output and "<int>" not in result.output and "<str>" not in result.output


@pytest.mark.parametrize("command", [["report", "--help"], ["export", "--help"]])
def test_report_out_states_the_default_it_uses(command: list[str]) -> None:
    result = CliRunner().invoke(app, command, env={"COLUMNS": "200"})
    assert "[default: <folder of --db>/<run>/" in " ".join(result.output.split())


def test_a_refused_live_run_prints_the_refusal_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIXAZO_API_KEY", "a-key-of-the-right-form-1234")
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "run",
            "--target",
            "live",
            "--models",
            "pixazo/chatterbox",
            "--corpus",
            "en_read:1",
            "--out",
            str(tmp_path / "reports"),
        ],
    )
    assert result.exit_code == 2, result.output
    assert "usage error: a live run of 1 jobs is planned to cost $0.0100" in result.output
    for noise in ("Plan of run", "Scoring", "Scored", "Run id", "all jobs"):
        assert noise not in result.output
