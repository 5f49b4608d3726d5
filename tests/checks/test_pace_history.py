"""Speaking pace over time: a store of two runs whose clips are real Piper speech, measured by the scorer's own
conformance rule, where one offering's voice got slower between the runs (Piper's length scale 1.0 -> 1.3, measured
15% slower) and another's did not. `history` exits 1 naming the slower one only; `compare` calls it a regression."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.scoring.audio import decode_audio
from harness.scoring.conformance import DeclaredFormat, check_conformance
from tests.helpers.check_store import RUNS, write_two_nights
from tests.helpers.speech import render, wav_bytes

SLOWER = 1.3  # Piper's length scale for the changed voice's second run (its durations are not proportional to it)


def _measured(night: int, model: str, text: str) -> dict[str, float | None]:
    """The scorer's conformance figures of Piper saying `text`: `slower` at length scale 1.3 the second night."""
    scale = SLOWER if night == 1 and model == "slower" else 1.0
    samples = render(text, length_scale=scale, sample_rate=16000)
    heard = check_conformance(decode_audio(wav_bytes(samples, 16000)), DeclaredFormat(), text, "en")
    return {
        "duration_s": heard.duration_s,
        "speech_s": heard.speech_s,
        "leading_silence_s": heard.leading_silence_s,
        "trailing_silence_s": heard.trailing_silence_s,
    }


def _write_store(path: Path) -> Path:
    """Two runs of two offerings: `steady` speaks every clip at one rate in both, `slower` at length scale 1.3 in the
    second; every figure measured on the rendered audio."""
    return write_two_nights(path, ("slower", "steady"), _measured)


@pytest.fixture(scope="module")
def paced_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_store(tmp_path_factory.mktemp("pace") / "runs.db")


def test_history_exits_1_naming_the_offering_that_speaks_slower(paced_store: Path, tmp_path: Path) -> None:
    from harness.cli import app

    result = CliRunner().invoke(
        app,
        [
            "history",
            "--db",
            str(paced_store),
            "--out",
            str(tmp_path / "h.html"),
            "--junit",
            str(tmp_path / "junit.xml"),
        ],
    )
    assert result.exit_code == 1, result.output
    changed = [line for line in result.output.splitlines() if "speaking pace" in line]
    assert len(changed) == 1 and "acme/slower" in changed[0], result.output
    size = float(changed[0].split(", ")[-1].split("%")[0])  # "... -> 189 in run B, -15.1% (95% ...)"
    assert -20.0 < size < -10.0, changed[0]
    assert "acme/steady" not in "\n".join(changed)
    junit = (tmp_path / "junit.xml").read_text()
    assert 'name="check speaking_pace"' in junit and 'classname="acme/slower"' in junit


def test_compare_calls_the_slower_pace_a_regression_and_the_steady_one_ok(paced_store: Path) -> None:
    from harness.report.compare import Metric, Ruling, compare_runs
    from harness.results import open_read_only, read_rows

    conn = open_read_only(paced_store)
    try:
        base, new = (read_rows(conn, run_id) for run_id in RUNS)
    finally:
        conn.close()
    found = {
        check.model: check
        for check in compare_runs(base, new).checks
        if check.metric is Metric.CHECKS and "pace" in check.statistic
    }
    assert found["slower"].verdict is Ruling.REGRESSION and found["slower"].change is not None
    assert -0.20 < found["slower"].change < -0.10
    assert found["steady"].verdict is Ruling.OK and found["steady"].change == pytest.approx(0.0, abs=1e-9)


def test_the_history_page_draws_each_check_as_a_series_its_rule_alone_judges(paced_store: Path) -> None:
    from harness.checks import every_field
    from harness.history import analyse, read_history

    history = read_history(paced_store)
    keys = {f"check:{check.key(item)}" for check, item in every_field()}
    drawn = {(series.model, series.key): series for series in history.series if series.key in keys}
    paced = [series for (model, key), series in drawn.items() if model == "slower" and key.endswith("_wpm")]
    assert len(paced) == 1 and len(paced[0].points) == 2
    assert paced[0].points[1].value / paced[0].points[0].value == pytest.approx(0.85, abs=0.05)
    assert not [flagged for flagged in analyse(history).flagged if flagged.series.key in keys]
