"""The benchmark use case (`harness.benchmark`): what a face is told and in which order, what the result
says, and that nothing after the jobs hides their rows."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from harness import benchmark
from harness.benchmark import BenchmarkResult, Observer
from harness.core.errors import UsageError
from harness.runner.plan.config import BenchConfig
from harness.runner.summary.figures import Summary


class Recorder(Observer):
    def __init__(self, block_report: bool = False) -> None:
        self.events: list[str] = []
        self.block_report = block_report

    def plan(self, prepared: Any, target: Any) -> None:
        self.events.append(f"plan {len(prepared.plan.jobs)} on {target.kind}")

    def job_done(self, job: Any, outcome: str) -> None:
        self.events.append(f"job {outcome}")

    def run_ended(self) -> None:
        self.events.append("ended")

    def summary(self, summary: Summary, db_path: Path) -> None:
        self.events.append(f"summary {summary.run_id}")
        if self.block_report:  # a file where the report's folder goes: writing the report fails for real
            (db_path.parent / summary.run_id).write_text("in the way")

    def info(self, message: str) -> None:
        self.events.append(f"info {message}")

    def warning(self, message: str) -> None:
        self.events.append(f"warning {message}")


def _config(out: Path) -> BenchConfig:
    return BenchConfig(
        out=out,
        providers=("pixazo",),
        models=("chatterbox",),
        corpus=("en_read:2",),  # type: ignore[call-arg]
        sandbox_profile="fast",
        score=False,
    )


@pytest.mark.slow
def test_the_face_is_told_the_plan_each_job_the_end_and_the_summary_then_the_report_is_written(tmp_path: Path) -> None:
    recorder = Recorder()
    result = benchmark.run(_config(tmp_path), recorder)
    assert recorder.events == ["plan 2 on sandbox", "job ok", "job ok", "ended", f"summary {result.run_id}"]
    assert (result.status, result.planned, result.counts, result.shortfall()) == ("finished", 2, {"ok": 2}, None)
    assert result.report_path == tmp_path / result.run_id / "index.html" and result.report_path.is_file()
    (line,) = result.summary.lines
    assert (line.model, line.ok, line.quality) == ("chatterbox", 2, None)  # not scored: --no-score


@pytest.mark.slow
def test_a_report_that_cannot_be_written_is_a_warning_and_the_rows_stay(tmp_path: Path) -> None:
    recorder = Recorder(block_report=True)
    result = benchmark.run(_config(tmp_path), recorder)
    assert result.report_path is None and result.shortfall() is None
    warning = recorder.events[-1]
    assert warning.startswith("warning report not written: FileExistsError")
    assert warning.removeprefix("warning ") in result.notes
    assert result.summary.lines[0].ok == 2


def test_resuming_without_the_runs_database_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"no results database at .*runs.db: nothing to resume"):
        benchmark.run(BenchConfig(out=tmp_path, resume="20250101T000000Z-abcdef"))  # type: ignore[call-arg]
    assert not (tmp_path / "runs.db").exists()  # refused before anything was created


def _result(status: str = "finished", planned: int = 2, **counts: int) -> BenchmarkResult:
    summary = Summary(
        run_id="run-1",
        status=status,
        lines=(),
        outcomes=dict(counts),
        events={},
        spent_usd=0.0,
        planned_usd=None,
        budget_usd=None,
    )
    return BenchmarkResult(
        run_id="run-1",
        status=status,
        db_path=Path("runs.db"),
        planned=planned,
        counts=dict(counts),
        spent_usd=Decimal(0),
        summary=summary,
        report_path=None,
        notes=(),
    )


@pytest.mark.parametrize(
    ("result", "shortfall"),
    [
        (_result(ok=2), None),
        (_result(ok=1, server=1), None),  # failed jobs are results
        (_result("interrupted", ok=1), "run run-1 interrupted"),
        (_result("stopped_budget", ok=1, budget=1), "run run-1 stopped_budget"),
        (_result(ok=1, lost=1), "run run-1: 1 jobs lost"),
        (_result(planned=0), "run run-1 planned no job"),
        (_result(server=2), "run run-1: no job succeeded (2 planned)"),
    ],
)
def test_a_run_counts_as_a_success_only_when_it_finished_lost_nothing_and_measured_something(
    result: BenchmarkResult, shortfall: str | None
) -> None:
    found = result.shortfall()
    assert found == shortfall if shortfall is None else (found or "").startswith(shortfall)
