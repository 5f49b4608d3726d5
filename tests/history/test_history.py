"""`tts-harness history` over 30 stored nights: a latency step and, separately, a voice swap injected at
night 20 are each flagged at run 20 (±1) in their own series and nowhere else; the newest run starting a
change fails the command (exit 1, JUnit failures); the page holds every model's chart and the changes."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
from scipy import stats
from typer.testing import CliRunner

from harness.history import ALPHA, analyse, read_history, render_history
from tests.helpers.history_runs import write_nights

STEP = 20


def _flagged(store: str | Path) -> dict[str, list[int]]:
    analysis = analyse(read_history(store))
    runs = [run.run_id for run in analysis.history.runs]
    found: dict[str, list[int]] = {}
    for flagged in analysis.flagged:
        found.setdefault(flagged.series.key, []).append(runs.index(flagged.point.run_id))
    return found


def test_a_latency_step_is_flagged_at_its_run(store_target: str) -> None:
    write_nights(store_target, seed=1, latency_step_at=STEP)
    found = _flagged(store_target)
    assert set(found) == {"latency_p50", "latency_p95"}, found
    assert all(abs(index - STEP) <= 1 for indexes in found.values() for index in indexes)


def test_a_voice_swap_is_flagged_at_its_run(tmp_path: Path) -> None:
    write_nights(tmp_path / "runs.db", seed=2, swap_at=STEP)
    found = _flagged(tmp_path / "runs.db")
    assert set(found) == {"duration_ratio"}, found
    assert [abs(index - STEP) <= 1 for index in found["duration_ratio"]] == [True]


def test_false_alarms_over_nights_without_a_change_are_within_the_stated_rate(tmp_path: Path) -> None:
    """Stored nights with run-to-run noise only: alarms counted over every series of 12 seeds' stores."""
    alarms = tested = 0
    for seed in range(12):
        write_nights(tmp_path / f"{seed}.db", seed=100 + seed)
        analysis = analyse(read_history(tmp_path / f"{seed}.db"))
        tested += len(analysis.history.series)
        alarms += len({flagged.series.key for flagged in analysis.flagged})
    assert tested == 12 * 5  # latency p50 and p95, cost, error rate, duration ratio
    assert alarms <= stats.binom.ppf(0.999, tested, ALPHA)


def test_the_newest_run_starting_a_change_fails_the_command(tmp_path: Path) -> None:
    from harness.cli import app

    db = tmp_path / "runs.db"
    write_nights(db, nights=12, seed=4, latency_step_at=11)
    runner = CliRunner()
    result = runner.invoke(app, ["history", "--db", str(db), "--junit", str(tmp_path / "junit.xml")])
    assert result.exit_code == 1, result.output
    assert "The newest run starts a change" in result.output and "acme/clear Latency p50" in result.output
    suite = ElementTree.parse(tmp_path / "junit.xml").getroot()
    failed = {case.get("name") for case in suite.iter("testcase") if case.find("failure") is not None}
    assert "latency_p50" in failed and int(suite.get("failures", "0")) == len(failed)
    page = (tmp_path / "history.html").read_text(encoding="utf-8")
    assert 'data-model="acme/clear"' in page and 'data-series="acme/clear:latency_p50"' in page
    calm = runner.invoke(
        app,
        [
            "history",
            "--db",
            str(db),
            "--since",
            "2026-11-01",
            "--models",
            "acme/clear",
            "--out",
            str(tmp_path / "calm.html"),
        ],
        env={},
    )
    assert calm.exit_code == 1  # the same store, filtered to the same model: the same answer
    before = runner.invoke(app, ["history", "--db", str(db), "--since", "2026-11-02", "--models", "other"])
    assert before.exit_code == 2 and "usage error: no run in" in before.output


def test_a_missing_store_is_one_line(tmp_path: Path) -> None:
    from harness.cli import app

    result = CliRunner().invoke(app, ["history", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "no results database" in result.output


def test_the_page_lists_each_change_with_run_date_size_and_confidence(tmp_path: Path) -> None:
    ids = write_nights(tmp_path / "runs.db", seed=1, latency_step_at=STEP)
    page = render_history(analyse(read_history(tmp_path / "runs.db")), "runs.db")
    row = page[page.index('data-series="acme/clear:latency_p50"') :]
    row = row[: row.index("</tr>")]
    assert ids[STEP] in row or ids[STEP - 1] in row or ids[STEP + 1] in row
    assert "2026-11-2" in row and "+5" in row and "%" in row and "segmentation" in row
    # The page states the method, its false-alarm rate and its power (docs/history.md has the tables).
    assert "robust statistics" in page and "at most 1%" in page and "3.5%" in page and "Measured power" in page


@pytest.mark.parametrize("nights", [1])
def test_one_run_is_a_history_without_changes(tmp_path: Path, nights: int) -> None:
    write_nights(tmp_path / "runs.db", nights=nights)
    assert _flagged(tmp_path / "runs.db") == {}
