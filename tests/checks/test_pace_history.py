"""Speaking pace over time: a store of two runs whose clips are real Piper speech, measured by the scorer's own
conformance rule, where one offering's voice got slower between the runs (Piper's length scale 1.0 -> 1.3, measured
15% slower) and another's did not. `history` exits 1 naming the slower one only; `compare` calls it a regression."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.results.store import Store
from harness.scoring.audio import decode_audio
from harness.scoring.conformance import Conformance, DeclaredFormat, check_conformance
from tests.helpers.speech import render, wav_bytes
from tests.helpers.store_rows import write_rows

TEXTS = (
    "The old man walked slowly along the quiet road.",
    "She opened the window and let the cool air in.",
    "We listened to the gentle rain on the roof.",
    "A small boat drifted toward the rocky shore.",
    "The children laughed as the kite rose higher.",
)
RUNS = ("20261101T020000Z-aaaa", "20261102T020000Z-bbbb")
SLOWER = 1.3  # Piper's length scale for the changed voice's second run (its durations are not proportional to it)


def _measured(text: str, length_scale: float) -> Conformance:
    samples = render(text, length_scale=length_scale, sample_rate=16000)
    return check_conformance(decode_audio(wav_bytes(samples, 16000)), DeclaredFormat(), text, "en")


def _rows(run_id: str, night: int, model: str, index: int, text: str, heard: Conformance) -> dict[str, list[dict]]:
    at = f"2026-11-0{night + 1}T02:00:00.000Z"
    key = hashlib.sha256(f"{run_id}/{model}/{index}".encode()).hexdigest()[:24]
    params = json.dumps({"text": text})
    job = {
        "job_key": key,
        "run_id": run_id,
        "seq": index,
        "harness_version": "0.1.0",
        "git_revision": "abc",
        "provider": "acme",
        "model": model,
        "endpoint": f"{model}.generate",
        "params_json": params,
        "params_sha256": hashlib.sha256(params.encode()).hexdigest(),
        "corpus": "en_read",
        "corpus_version": "1",
        "item_id": f"en-{index:03d}",
        "language": "en",
        "text": text,
        "chars": len(text),
        "repeat": 0,
        "state": "done",
        "outcome": "ok",
        "attempts": 1,
        "delivery": "sync",
        "e2e_ms": 800.0,
        "started_at": at,
        "finished_at": at,
    }
    clip = {
        "clip_id": key,
        "run_id": run_id,
        "provider": "acme",
        "model": model,
        "corpus": "en_read",
        "item_id": job["item_id"],
        "language": "en",
        "text": text,
        "audio_path": "",
        "audio_sha256": "",
    }
    words = text.lower().rstrip(".").split()
    score = {
        "clip_id": key,
        "run_id": run_id,
        "asr_backend": "faster-whisper",
        "asr_model": "tiny.en",
        "normalizer_version": "1",
        "normalizer_name": "whisper-english",
        "asr_settings": "beam=5",
        "harness_version": "0.1.0",
        "language": "en",
        "unit": "word",
        "wer": 0.0,
        "cer": 0.0,
        "hits": len(words),
        "substitutions": 0,
        "deletions": 0,
        "insertions": 0,
        "ref_length": len(words),
        "ref_words": len(words),
        "hyp_length": len(words),
        "flags_json": "[]",
        "findings_json": "[]",
        "duration_s": heard.duration_s,
        "speech_s": heard.speech_s,
        "leading_silence_s": heard.leading_silence_s,
        "trailing_silence_s": heard.trailing_silence_s,
        "cache_hit": 0,
        "scored_at": at,
        "setup_asr_model": "tiny.en",
    }
    return {"jobs": [job], "clips": [clip], "scores": [score]}


def _write_store(path: Path) -> Path:
    """Two runs of two offerings: `steady` speaks every clip at one rate in both, `slower` at length scale 1.3 in the
    second; every figure measured on the rendered audio."""
    store = Store(path)
    for night, run_id in enumerate(RUNS):
        at = f"2026-11-0{night + 1}T02:00:00.000Z"
        tables: dict[str, list[dict]] = {"jobs": [], "clips": [], "scores": []}
        for offset, model in enumerate(("slower", "steady")):
            for index, text in enumerate(TEXTS):
                scale = SLOWER if night == 1 and model == "slower" else 1.0
                for table, rows in _rows(
                    run_id, night, model, offset * 10 + index, text, _measured(text, scale)
                ).items():
                    tables[table] += rows
        run = {
            "run_id": run_id,
            "created_at": at,
            "updated_at": at,
            "finished_at": at,
            "status": "finished",
            "harness_version": "0.1.0",
            "git_revision": "abc",
            "target": "sandbox",
            "corpora_json": "{}",
            "config_json": "{}",
            "providers_json": "[]",
            "models_json": "[]",
            "repeats": 1,
            "concurrency": 1,
            "polling": "adaptive",
            "planned_jobs": 10,
            "planned_unpriced": 0,
            "machine_json": "{}",
            "resumes": 0,
        }
        write_rows(
            store, [("runs", [run]), ("jobs", tables["jobs"]), ("clips", tables["clips"]), ("scores", tables["scores"])]
        )
    store.close()
    return path


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
