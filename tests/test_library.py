"""The library API: `import harness` exports a small, pinned set of names, and they do what they say."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

import harness

VOICES = Path(__file__).resolve().parents[1] / "fixtures" / "voices"


def test_the_exported_names_are_pinned_and_sorted() -> None:
    assert harness.__all__ == [
        "BenchConfig",
        "BenchmarkResult",
        "__version__",
        "load_catalogue",
        "registered_providers",
        "run_benchmark",
        "running_sandbox",
        "score_file",
    ]
    for name in harness.__all__:
        assert getattr(harness, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = harness.nothing_here  # type: ignore[attr-defined]


def test_importing_harness_loads_no_engine() -> None:
    code = (
        "import sys, harness; print(sorted(m for m in ('starlette', 'uvicorn', 'numpy', 'harness.runner.session', "
        "'harness.scoring', 'harness.sandbox') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_registered_providers_are_the_installed_ones() -> None:
    assert {"pixazo", "pixelapi", "ttsai"} <= set(harness.registered_providers())


def test_score_file_scores_one_clip_with_similarity(tmp_path: Path) -> None:
    score = harness.score_file(
        VOICES / "joe_short.wav", "Hello, this clip is far too short.", reference_voice=VOICES / "joe_reference.wav"
    )
    assert score.error is None and score.wer is not None and score.wer <= 0.15
    assert score.similarity is not None and score.similarity > 0.85
    assert score.dnsmos is not None


def test_score_file_raises_a_typed_error_for_a_missing_input(tmp_path: Path) -> None:
    from harness.scoring import ScoringError, ScoringInputError

    with pytest.raises(ScoringInputError, match="no such file") as missing:
        harness.score_file(tmp_path / "nowhere.wav", "Some text.")
    assert isinstance(missing.value, ScoringError)
    with pytest.raises(ScoringInputError, match=r"reference voice .*speaker\.wav: no such file"):
        harness.score_file(VOICES / "joe_short.wav", "Some text.", reference_voice=tmp_path / "speaker.wav")


@pytest.mark.slow
def test_run_benchmark_scores_and_summarises_a_cloning_model(tmp_path: Path) -> None:
    result = harness.run_benchmark(
        harness.BenchConfig(
            out=tmp_path,
            providers=("pixazo",),
            models=("xtts-v2",),
            corpus=("en_read:2",),
            report=False,
            sandbox_profile="fast",
        )
    )
    assert result.status == "finished" and result.counts.get("ok") == 2
    (line,) = result.summary.lines
    assert line.model == "xtts-v2" and line.ok == 2
    assert line.quality is not None and line.quality.clips == 2
    assert line.quality.pooled_wer is not None and line.quality.pooled_wer < 0.2
    # The sandbox clones the reference it was given, so output and reference are the same voice.
    similarity = result.summary.figure(line, "similarity")  # a registered check's figure, by its key
    assert similarity is not None and similarity.value > 0.85 and similarity.clips == 2
    with sqlite3.connect(result.db_path) as db:  # DNSMOS too, by default (BenchConfig(dnsmos=False): none)
        assert db.execute("SELECT count(*), count(dnsmos_overall) FROM scores").fetchone() == (2, 2)
    from harness.runner.summary.view import render

    out = io.StringIO()
    render(result.summary, Console(file=out, width=200), str(result.db_path))
    header = next(row for row in out.getvalue().splitlines() if "ok/jobs" in row)
    # Read by name: similarity is declared beside WER, right after it; the check registry's other columns (speaking
    # pace's "pace gmean") follow the table's own figures.
    words = header.split()
    assert words[words.index("WER") + 1] == "similarity" and words.index("pace") > words.index("similarity"), words
    assert f"{similarity.value:.3f}" in out.getvalue()
