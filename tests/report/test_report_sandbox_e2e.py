"""End to end on real runs: two small sandbox benchmarks of one configuration (same seed), scored with the
default ASR, then report, export and compare. The gate must stay quiet and the report must recompute."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.report.compare import Ruling, compare_runs
from harness.report.export import ExportFormat, export_rows, load_export
from harness.report.leaderboard import build_leaderboard
from harness.report.render import write_report
from harness.results.reading import read_run

MODELS = ("pixelapi/voice-design", "pixazo/vibevoice")


def _sandbox_run(out: Path) -> str:
    from harness.runner.plan.config import BenchConfig
    from harness.runner.session import run_bench_session
    from harness.scoring import BackgroundScorer, Scorer

    out.mkdir(parents=True, exist_ok=True)
    config = BenchConfig(
        models=MODELS, corpus=("en_read:5",), sandbox_profile="fast", seed=11, concurrency=4, out=out, report=False
    )
    # The ASR is what compare gates; DNSMOS (a second of CPU a clip) is scored end to end by the CI gate's run
    # (test_report_ci_example) and its report columns by the synthetic runs.
    scorer = BackgroundScorer(config.output.db_path, Scorer(similarity=False, dnsmos=False))
    try:
        result = run_bench_session(config, scorer=scorer)
    finally:
        scorer.close()
    assert result.status == "finished"
    return result.run_id


@pytest.mark.slow
def test_two_sandbox_runs_of_one_configuration(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    first, second = _sandbox_run(out), _sandbox_run(out)
    db = out / "runs.db"
    base, new = read_run(db, first), read_run(db, second)
    assert {(r.provider, r.model) for r in new.requests} == {tuple(m.split("/")) for m in MODELS}
    assert all(r.outcome == "ok" and r.scored for r in new.requests)

    comparison = compare_runs(base, new)
    assert comparison.regressions == ()
    latency = [c for c in comparison.checks if c.statistic.startswith("latency p50")]
    # A latency measured while the client itself was saturated (a loaded machine) is left out, never called a change:
    # such a check may then lack data, and says why.
    assert len(latency) == 2 and all(
        c.verdict is Ruling.OK or (c.verdict is Ruling.INSUFFICIENT and any("saturated" in d for d in c.details))
        for c in latency
    )

    page = write_report(new, out / second / "index.html", comparison)
    assert len(list((page.parent / "audio").iterdir())) == len(new.requests)
    export_rows(new, tmp_path / "rows", ExportFormat.PARQUET)
    assert build_leaderboard(load_export(tmp_path / "rows")).to_json() == build_leaderboard(new).to_json()
