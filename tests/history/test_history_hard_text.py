"""History over hard-text runs: each category's accuracy a series; a provider that starts reading years digit by
digit is flagged at that run, `history` exits 1 naming the category and an example reading."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from harness.core.hard_text import HardTextVerdict
from harness.history import analyse, read_history
from harness.results import SpanScoreRow, connect_writer, write_span_scores
from tests.helpers.history_runs import write_nights

PASS, FAIL = HardTextVerdict.PASS, HardTextVerdict.FAIL

YEARS = 10  # year items a night


def _judge_nights(db: Path, runs: list[str], digits_from: int) -> None:
    """Each night: money read right throughout, years right until `digits_from`, then digit by digit."""
    conn = connect_writer(db)
    try:
        for night, run_id in enumerate(runs):
            rows = []
            for index in range(YEARS):
                for category in ("year", "money"):
                    item = f"{category}-{index:03}"
                    wrong = category == "year" and night >= digits_from and index < 8
                    common = {
                        "provider": "acme",
                        "model": "clear",
                        "item_id": item,
                        "category": category,
                        "run_id": run_id,
                        "asr_model": "tiny.en#abc",
                    }
                    rows.append(SpanScoreRow(**common, control=True, verdict=PASS, clip_id=f"{run_id}{item}c"))
                    rows.append(
                        SpanScoreRow(
                            **common,
                            control=False,
                            verdict=FAIL if wrong else PASS,
                            clip_id=f"{run_id}{item}",
                            heard="one nine eight four" if wrong else "nineteen eighty four",
                            error="year-digit-by-digit" if wrong else None,
                        )
                    )
            write_span_scores(conn, rows)
    finally:
        conn.close()


def test_a_category_read_differently_from_the_newest_run_fails_history_naming_it(tmp_path: Path) -> None:
    from harness.cli import app

    db = tmp_path / "runs.db"
    runs = write_nights(db, nights=8, seed=3)
    _judge_nights(db, runs, digits_from=7)
    history = read_history(db)
    series = {s.key: s for s in history.of("acme", "clear")}
    assert series["hard-text:year"].values == [1.0] * 7 + [0.2]
    assert series["hard-text:money"].values == [1.0] * 8
    assert series["hard-text:year"].label == "Hard text: year accuracy"
    assert series["hard-text:year"].points[-1].sample_size == YEARS and series["hard-text:year"].points[-1].low
    flagged = [f.series.key for f in analyse(history).newest]
    assert flagged == ["hard-text:year"]
    result = CliRunner().invoke(app, ["history", "--db", str(db), "--out", str(tmp_path / "history.html")])
    assert result.exit_code == 1, result.output
    assert "acme/clear Hard text: year accuracy" in result.output
    assert "e.g. year: year-000 read 'one nine eight four' (year-digit-by-digit)" in result.output


def test_steady_readings_flag_nothing(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    runs = write_nights(db, nights=8, seed=3)
    _judge_nights(db, runs, digits_from=99)
    assert [f for f in analyse(read_history(db)).flagged if f.series.key.startswith("hard-text:")] == []
