"""`history` calls no latency change from a run measured on a saturated client: the newest run, slower because its
client could not keep up, leaves the latency series (no point, no gate failure) and is named on every face."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from harness.history import analyse, read_history, render_history
from tests.helpers.history_runs import write_nights
from tests.helpers.saturated import mark_saturated


def test_a_slow_newest_run_on_a_saturated_client_starts_no_change(tmp_path: Path) -> None:
    from harness.cli import app

    db = tmp_path / "runs.db"
    runs = write_nights(db, nights=12, seed=4, latency_step_at=11)
    before = analyse(read_history(db))
    assert any(f.series.key == "latency_p50" for f in before.newest)  # the step, on a healthy client: flagged

    mark_saturated(db, runs[-1])
    analysis = analyse(read_history(db))
    assert not any(f.series.key.startswith("latency") for f in analysis.flagged)
    latency = next(s for s in analysis.history.series if s.key == "latency_p50")
    assert runs[-1] not in {p.run_id for p in latency.points} and len(latency.points) == 11
    cost = next(s for s in analysis.history.series if s.key.startswith("cost"))
    assert runs[-1] in {p.run_id for p in cost.points}  # every other figure keeps the run
    named = [run for run in analysis.history.runs if run.named]
    assert [run.run_id for run in named] == [runs[-1]]
    (line,) = (line for _, line in named[0].named)
    assert line.startswith("client saturated for 100% of the run")
    page = render_history(analysis, str(db))
    assert 'id="saturated-runs"' in page and runs[-1] in page
    result = CliRunner().invoke(app, ["history", "--db", str(db), "--out", str(tmp_path / "history.html")])
    assert result.exit_code == 0, result.output
    assert f"Run {runs[-1]}: client saturated for 100% of the run" in " ".join(result.output.split())
