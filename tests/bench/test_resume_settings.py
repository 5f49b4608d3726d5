"""`--resume` keeps every stored setting: a run started with --no-score --no-report is resumed without
scoring and without a report, although the resuming command line does not repeat those flags."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.results.store import Store


@pytest.mark.slow
def test_resume_keeps_no_score_and_no_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    common = ["--out", str(out)]
    first = CliRunner().invoke(
        app,
        [
            "bench",
            "run",
            "--providers",
            "pixazo",
            "--models",
            "chatterbox",
            "--corpus",
            "en_read:1",
            "--sandbox-profile",
            "fast",
            "--no-score",
            "--no-report",
            *common,
        ],
    )
    assert first.exit_code == 0, first.output[-2000:]
    store = Store(out / "runs.db")
    run_id = store.query("SELECT run_id FROM runs")[0]["run_id"]
    store.close()

    resumed = CliRunner().invoke(app, ["bench", "run", "--resume", run_id, *common])
    assert resumed.exit_code == 0, resumed.output[-2000:]
    assert "Scoring" not in resumed.output
    assert not (out / run_id / "index.html").exists()
