"""Scoring a stored run, re-scoring it from the cache, and the background scorer the runner uses."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from harness.scoring import BackgroundScorer, Scorer, ScoringInputError, score_run
from tests.helpers.scoring_db import add_clip
from tests.helpers.speech import speak

TEXTS = [
    "The old man walked slowly along the quiet road toward the village.",
    "She opened the window and let the cool morning air fill the room.",
    "We listened to the gentle rain on the roof all night long.",
]


def _fill(db: Path, run_id: str = "run-1") -> None:
    for index, text in enumerate(TEXTS):
        add_clip(db, f"{run_id}-piper-{index}", run_id, text, speak(text))
    add_clip(
        db,
        f"{run_id}-espeak-0",
        run_id,
        TEXTS[0],
        speak(TEXTS[0], engine="piper-degraded"),
        model="espeak",
        alternatives_json=json.dumps({"toward": ["towards"]}),
    )


def test_rescoring_a_stored_run_transcribes_nothing_twice(tiny_backend: Any, run_db: Path) -> None:
    _fill(run_db)
    first = score_run(run_db, "run-1", Scorer(asr=tiny_backend, similarity=False))
    assert (first.clips, first.scored, first.failed) == (4, 4, 0)
    assert (first.cache_hits, first.cache_misses) == (0, 4)
    again = score_run(run_db, "run-1", Scorer(asr=tiny_backend, similarity=False))
    assert (again.cache_hits, again.cache_misses) == (4, 0)

    systems = {system.model: system for system in again.systems}
    assert set(systems) == {"joe", "espeak"}
    assert systems["joe"].rate is not None and systems["joe"].rate.clips == 3
    assert systems["joe"].rate.pooled <= 0.1
    with sqlite3.connect(run_db) as conn:
        rows = conn.execute(
            "SELECT clip_id, asr_backend, asr_model, normalizer_version, harness_version, wer, cache_hit, "
            "flags_json, sample_rate FROM scores ORDER BY clip_id"
        ).fetchall()
    assert len(rows) == 4  # re-scoring replaced the rows, it did not add any
    # Every row names the model by its content: name plus the sha256 prefix of its weights.
    assert all(row[1] == "faster-whisper" and row[2].startswith("tiny.en#") and row[3] and row[4] for row in rows)
    assert all(row[6] == 1 and row[8] == 22050 and isinstance(json.loads(row[7]), list) for row in rows)


def test_an_unknown_run_or_database_is_a_usage_problem(tiny_backend: Any, run_db: Path, tmp_path: Path) -> None:
    scorer = Scorer(asr=tiny_backend, similarity=False)
    with pytest.raises(ScoringInputError, match="no clips"):
        score_run(run_db, "nope", scorer)
    with pytest.raises(ScoringInputError, match="does not exist"):
        score_run(tmp_path / "absent.db", "run-1", scorer)


def test_background_scorer_writes_rows_as_clips_arrive(tiny_backend: Any, run_db: Path) -> None:
    _fill(run_db, run_id="run-2")
    add_clip(run_db, "run-2-broken", "run-2", TEXTS[1], b"not audio at all")
    with sqlite3.connect(run_db) as conn:
        conn.row_factory = sqlite3.Row
        rows = [dict(row) for row in conn.execute("SELECT * FROM clips WHERE run_id = 'run-2'")]
    # Transcripts and their rows are what this checks; DNSMOS is the stored run's test above.
    scorer = BackgroundScorer(run_db, Scorer(asr=tiny_backend, similarity=False, dnsmos=False), batch_size=2)
    for row in rows:
        scorer.submit(row)
    stats = scorer.close()
    assert (stats.submitted, stats.scored, stats.failed, stats.pending) == (5, 4, 1, 0)
    assert stats.cache_misses == 4 and "undecodable" in (stats.last_error or "")
    with sqlite3.connect(run_db) as conn:
        stored = dict(conn.execute("SELECT clip_id, error FROM scores WHERE run_id = 'run-2'").fetchall())
    assert len(stored) == 5 and stored["run-2-broken"] and stored["run-2-piper-0"] is None
    with pytest.raises(RuntimeError, match="after close"):
        scorer.submit(rows[0])


def test_background_scorer_survives_a_failing_batch(
    tiny_backend: Any, run_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(clips: Any, cache: Any = None) -> Any:
        raise RuntimeError("model exploded")

    add_clip(run_db, "c1", "run-3", TEXTS[0], speak(TEXTS[0]))
    add_clip(run_db, "c2", "run-3", TEXTS[1], speak(TEXTS[1]))
    with sqlite3.connect(run_db) as conn:
        conn.row_factory = sqlite3.Row
        first, second = (dict(row) for row in conn.execute("SELECT * FROM clips ORDER BY clip_id"))
    scorer = Scorer(asr=tiny_backend, similarity=False, dnsmos=False)
    real_score_many = scorer.score_many
    monkeypatch.setattr(scorer, "score_many", explode)
    background = BackgroundScorer(run_db, scorer, batch_size=1)
    background.submit(first)
    while background.stats.pending:  # wait for the failing batch before repairing the scorer
        background._thread.join(0.05)
    monkeypatch.setattr(scorer, "score_many", real_score_many)
    background.submit(second)
    stats = background.close()
    assert (stats.failed, stats.scored) == (1, 1) and "model exploded" in (stats.last_error or "")


def test_audio_replaced_after_the_run_is_not_scored_as_the_run(tiny_backend: Any, run_db: Path) -> None:
    add_clip(run_db, "swapped", "run-4", TEXTS[2], speak(TEXTS[2]))
    (run_db.parent / "audio" / "swapped.wav").write_bytes(speak(TEXTS[1]))
    summary = score_run(run_db, "run-4", Scorer(asr=tiny_backend, similarity=False, dnsmos=False))
    assert (summary.scored, summary.failed) == (0, 1)
    with sqlite3.connect(run_db) as conn:
        (error,) = conn.execute("SELECT error FROM scores WHERE clip_id = 'swapped'").fetchone()
    assert "changed after the run" in error


def test_background_scorer_loads_models_before_returning(run_db: Path) -> None:
    from harness.scoring import AsrBackendError, AsrBackendName, DecodingSettings

    class Broken:
        name = AsrBackendName.FASTER_WHISPER
        model_id = "broken"
        settings = DecodingSettings()

        def supports_language(self, language: str) -> bool:
            return True

        def load(self) -> None:
            raise AsrBackendError("weights are corrupt")

        def transcribe(self, audio: Any, language: str) -> list[str]:
            raise AssertionError("never reached")

    with pytest.raises(AsrBackendError, match="corrupt"):
        BackgroundScorer(run_db, Scorer(asr=Broken(), similarity=False))


def test_a_held_background_scorer_scores_nothing_before_it_is_closed(tiny_backend: Any, run_db: Path) -> None:
    """A run that embeds its sandbox holds scoring until its jobs end: what is submitted waits, then is scored."""
    add_clip(run_db, "held-1", "run-4", TEXTS[0], speak(TEXTS[0]))
    with sqlite3.connect(run_db) as conn:
        conn.row_factory = sqlite3.Row
        (row,) = (dict(found) for found in conn.execute("SELECT * FROM clips WHERE run_id = 'run-4'"))
    scorer = BackgroundScorer(run_db, Scorer(asr=tiny_backend, similarity=False, dnsmos=False), hold_until_closed=True)
    scorer.submit(row)
    assert scorer.stats.pending == 1 and scorer.stats.scored == 0
    with sqlite3.connect(run_db) as conn:  # the worker has not even opened its connection's writes
        assert conn.execute("SELECT count(*) FROM scores WHERE run_id = 'run-4'").fetchone() == (0,)
    stats = scorer.close()
    assert (stats.scored, stats.pending) == (1, 0)
