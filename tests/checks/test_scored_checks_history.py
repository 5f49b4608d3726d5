"""The checks that read a scorer's estimate (harness/checks/dnsmos.py, similarity.py), over time: a store of two runs
whose clips are real Piper speech scored by the scorer's own models, where one offering's audio got worse between the
runs and another's did not — for DNSMOS, white noise at 20 dB SNR (seeded); for speaker similarity, the reference's
voice made deliberately worse (Piper's degraded rendition: hurried, telephone band, hiss). `history` exits 1 naming the
changed one only, under the check's own JUnit case; `compare` calls it a regression; the summary and the report show
each offering's mean of the stored values."""

from __future__ import annotations

import functools
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest
from rich.console import Console
from typer.testing import CliRunner

from tests.helpers.check_store import RUNS, TEXTS, write_two_nights
from tests.helpers.repo import VOICES
from tests.helpers.speech import render

SNR_DB = 20.0  # the noise the changed offering's second run carries: plainly heard, far from unintelligible


@functools.cache
def _dnsmos(text: str, worse: bool) -> dict[str, float]:
    """The scorer's DNSMOS of Piper saying `text`, with white noise at `SNR_DB` where `worse`."""
    from harness.scoring.dnsmos import dnsmos

    samples = render(text, sample_rate=16000).astype(np.float64)
    if worse:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")
        noise = np.random.default_rng(seed).normal(0.0, 1.0, samples.size)
        samples = samples + noise * np.sqrt(np.mean(samples**2) / 10 ** (SNR_DB / 10))
    rated = dnsmos(samples.astype(np.float32))
    assert rated is not None  # a sentence is long enough to rate
    return {
        "dnsmos_overall": rated.overall,
        "dnsmos_signal": rated.signal,
        "dnsmos_background": rated.background,
        "dnsmos_p808": rated.p808,
    }


@functools.cache
def _reference() -> np.ndarray:
    from harness.scoring.audio import decode_audio
    from harness.scoring.similarity import SpeakerEncoder

    embedded = SpeakerEncoder().embed(decode_audio((VOICES / "joe_reference.wav").read_bytes()).mono_at(16000))
    assert embedded is not None
    return embedded


@functools.cache
def _similarity(text: str, worse: bool) -> dict[str, float]:
    """The speaker encoder's cosine of Piper saying `text` (its degraded rendition where `worse`) to its reference."""
    from harness.scoring.similarity import SpeakerEncoder, cosine

    samples = render(text, engine="piper-degraded" if worse else "piper", sample_rate=16000)
    embedded = SpeakerEncoder().embed(samples.astype(np.float32))
    assert embedded is not None
    return {"similarity": cosine(_reference(), embedded), "similarity_model": "ge2e-numpy"}


@dataclass(frozen=True)
class Case:
    check: str  # the check's name: its JUnit case and its key in the JSON's `checks`
    key: str  # its field's key (the report column, the models table)
    title: str  # the words `history` prints
    column: str  # the stored column the check reads
    measured: Callable[[str, bool], dict[str, float]]


CASES = (
    Case("dnsmos", "dnsmos", "DNSMOS", "dnsmos_overall", _dnsmos),
    Case("similarity", "similarity", "similarity", "similarity", _similarity),
)


@pytest.fixture(scope="module", params=CASES, ids=lambda case: case.check)
def case_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Case, Path]:
    case: Case = request.param
    path = write_two_nights(
        tmp_path_factory.mktemp(case.check) / "runs.db",
        ("changed", "steady"),
        lambda night, model, text: case.measured(text, night == 1 and model == "changed"),
    )
    return case, path


def test_history_exits_1_naming_the_offering_that_got_worse(case_store: tuple[Case, Path], tmp_path: Path) -> None:
    from harness.cli import app

    case, store = case_store
    junit = tmp_path / "junit.xml"
    result = CliRunner().invoke(
        app, ["history", "--db", str(store), "--out", str(tmp_path / "h.html"), "--junit", str(junit)]
    )
    assert result.exit_code == 1, result.output
    changed = [line for line in result.output.splitlines() if f"{case.check}: " in line and "acme/" in line]
    assert len(changed) == 1 and "acme/changed" in changed[0], result.output
    size = float(changed[0].split(", ")[-1].split("%")[0])  # "... -> 2.42 in run B, -26.1% (95% ...)"
    assert size < -5.0, changed[0]
    failed = [case for case in ElementTree.parse(junit).getroot() if case.find("failure") is not None]
    assert [(one.get("classname"), one.get("name")) for one in failed] == [("acme/changed", f"check {case.check}")]


def test_compare_calls_the_fall_a_regression_and_the_steady_one_ok(case_store: tuple[Case, Path]) -> None:
    from harness.report.compare import Metric, Ruling, compare_runs
    from harness.results.reading import read_run

    case, store = case_store
    base, new = (read_run(store, run_id) for run_id in RUNS)
    found = {
        check.model: check
        for check in compare_runs(base, new).checks
        if check.metric is Metric.CHECKS and case.title in check.statistic
    }
    assert found["changed"].verdict is Ruling.REGRESSION and found["changed"].change is not None
    assert found["changed"].change < -0.05
    assert found["steady"].verdict is Ruling.OK and found["steady"].change == pytest.approx(0.0, abs=1e-9)


def test_the_summary_and_the_report_show_each_offerings_mean_with_its_interval(case_store: tuple[Case, Path]) -> None:
    """The figure every face shows is the mean of the stored values (Student's t), recomputed here from them."""
    from harness.report.leaderboard import build_leaderboard
    from harness.results.reading import read_run
    from harness.runner.summary.figures import summary_of
    from harness.runner.summary.format import SummaryFormat
    from harness.runner.summary.format import render as render_summary
    from harness.runner.summary.view import sections

    case, store = case_store
    rows = read_run(store, RUNS[1])
    expected = float(np.mean([case.measured(text, True)[case.column] for text in TEXTS]))
    (entry,) = [e for e in build_leaderboard(rows).entries if e.model == "changed"]
    figure = entry.to_json()["checks"][case.check][case.key]
    assert figure["value"] == pytest.approx(expected, abs=1e-4) and figure["clips"] == len(TEXTS)
    assert figure["low"] < figure["value"] < figure["high"]
    buffer = io.StringIO()
    render_summary(sections(summary_of(rows, 0.0), "runs.db"), SummaryFormat.JSON, Console(file=buffer, width=400))
    (models,) = [s for s in json.loads(buffer.getvalue())["sections"] if s["key"] == "models"]
    (line,) = [row for row in models["rows"] if row["model"] == "acme/changed"]
    assert line[case.key]["value"] == pytest.approx(expected, abs=1e-4)
