"""`bench run --region NAME`: a label for where a run's requests left from, kept with the run's settings, shown in
the report and by `compare`, which notes when two runs left from different places (a latency change may then be
the path, not the provider)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.report.compare import compare_runs, render_text
from harness.report.render import render_html
from harness.results import read_run
from harness.runner.plan.config import BenchConfig
from harness.runner.session import run_bench_session
from tests.helpers.cli_runs import in_process


def _run(tmp_path: Path, sandbox: Any, region: str | None) -> str:
    config = BenchConfig(
        out=tmp_path,
        score=False,
        report=False,
        providers=("pixazo",),
        models=("chatterbox",),
        corpus=("en_read:1",),
        target=sandbox.url,
        budget=1.0,
        region=region,
    )
    return run_bench_session(config).run_id


def test_a_runs_region_is_stored_shown_and_compared(tmp_path: Path, sandbox: Any) -> None:
    west, east, unlabelled = (_run(tmp_path, sandbox, region) for region in ("eu-west", "us-east", None))
    db = tmp_path / "runs.db"
    rows = read_run(db, west)
    assert rows.region == "eu-west"
    assert read_run(db, unlabelled).region is None
    assert "from <b>eu-west</b>" in render_html(rows, {})

    apart = compare_runs(rows, read_run(db, east))
    text = render_text(apart)
    assert text.splitlines()[0] == f"compare {west} (BASE from eu-west) -> {east} (NEW from us-east)"
    assert "note: the runs left from different regions: BASE eu-west, NEW us-east" in text
    assert apart.to_json()["new_region"] == "us-east"
    together = compare_runs(rows, read_run(db, west))
    assert not any("regions" in note for note in together.notes)


def test_a_bad_region_label_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    done = in_process(
        "bench", "run", "--region", "eu west; rm -rf", "--dry-run", cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys
    )
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "region" in lines[0], done.stderr
