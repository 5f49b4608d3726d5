"""The multilingual ear and the language check (issue 60): a non-English clip is read by the shipped Whisper base in
the language asked for, and the language the model hears in it is on its score; a clip heard as another language
with p >= 0.5 is a `wrong_language` finding. The clips here are Piper's English voice: Spanish text read by it is the
fallback a voice falls into (the sandbox's voices of other languages are exercised by tests/perf)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from harness.results import ScoreCache
from harness.scoring import ClipInput, Flag, Scorer
from harness.scoring.asr.faster import FasterWhisperBackend
from harness.scoring.language_check import WRONG_LANGUAGE_PROBABILITY, language_finding, wrong_language
from harness.scoring.run import score_run
from tests.helpers.scoring_db import add_clip
from tests.helpers.speech import speak

SPANISH = "Mañana vamos a visitar a mis abuelos en el pueblo."
ENGLISH = "The farmer fed the horses before the rain."


def test_the_rule_flags_another_language_only_when_the_model_is_sure() -> None:
    assert wrong_language("es", "en", 0.93)
    assert wrong_language("es", "en", WRONG_LANGUAGE_PROBABILITY)
    assert not wrong_language("es", "en", 0.49)  # unsure: shown, never flagged
    assert not wrong_language("es", "es", 0.99)
    assert not wrong_language("es", None, None)  # not checked (an English-only model)
    assert not wrong_language("nb", "no", 0.9)  # Whisper names Norwegian Bokmål "no"
    finding = language_finding("es", "en", 0.93)
    assert finding is not None and finding.flag is Flag.WRONG_LANGUAGE
    assert "asked for es" in finding.detail and "heard en" in finding.detail and "p=0.93" in finding.detail
    assert language_finding("de", "de", 0.8) is None


@pytest.fixture
def multilingual(
    tiny_backend: FasterWhisperBackend, base_backend: FasterWhisperBackend, monkeypatch: pytest.MonkeyPatch
) -> Scorer:
    """The default scorer (tiny.en), whose multilingual ear is the session's loaded base."""
    monkeypatch.setattr("harness.scoring.asr.models.multilingual_ear", lambda spec: "base")
    monkeypatch.setattr("harness.scoring.scorer.make_backend", lambda name, model, settings: base_backend)
    return Scorer(asr=tiny_backend, similarity=False, dnsmos=False)


def test_a_spanish_clip_read_in_english_is_heard_as_english(multilingual: Scorer) -> None:
    fallback, english = multilingual.score_many(
        [
            ClipInput(text=SPANISH, audio=speak(SPANISH), language="es"),
            ClipInput(text=ENGLISH, audio=speak(ENGLISH)),
        ]
    )
    assert fallback.error is None and fallback.versions.asr_model.startswith("base#")
    assert fallback.versions.setup_asr_model.startswith("tiny.en#")
    assert fallback.heard_language == "en" and (fallback.heard_probability or 0) >= 0.9
    assert Flag.WRONG_LANGUAGE in fallback.flags
    # English is read by tiny.en as before, and not asked which language it is.
    assert english.versions.asr_model.startswith("tiny.en#") and english.wer == 0.0
    assert (english.heard_language, english.heard_probability) == (None, None)
    assert Flag.WRONG_LANGUAGE not in english.flags


def test_the_heard_language_is_cached_with_the_transcript(multilingual: Scorer, tmp_path: Path) -> None:
    cache = ScoreCache(tmp_path / "cache.db")
    clip = ClipInput(text=SPANISH, audio=speak(SPANISH), language="es")
    first = multilingual.score(clip, cache=cache)
    again = multilingual.score(clip, cache=cache)
    assert again.cache_hit and (again.heard_language, again.heard_probability) == (
        first.heard_language,
        first.heard_probability,
    )
    assert Flag.WRONG_LANGUAGE in again.flags
    # A transcript cached before the check existed carries no heard language: it is transcribed again.
    with sqlite3.connect(tmp_path / "cache.db") as conn:
        conn.execute("UPDATE score_cache SET value_json = json_remove(value_json, '$.heard_language')")
    older = multilingual.score(clip, cache=cache)
    assert not older.cache_hit and older.heard_language == first.heard_language


def test_the_check_is_stored_on_the_score_row(multilingual: Scorer, run_db: Path) -> None:
    add_clip(run_db, "es-0", "run-es", SPANISH, speak(SPANISH), language="es")
    add_clip(run_db, "en-0", "run-es", ENGLISH, speak(ENGLISH))
    summary = score_run(run_db, "run-es", multilingual)
    assert summary.scored == 2
    with sqlite3.connect(run_db) as conn:
        stored = conn.execute("SELECT clip_id, heard_language, heard_probability, flags_json FROM scores")
        rows = {clip: (heard, probability, json.loads(flags)) for clip, heard, probability, flags in stored}
    heard, probability, flags = rows["es-0"]
    assert heard == "en" and probability >= 0.9 and "wrong_language" in flags
    assert rows["en-0"][:2] == (None, None)


def test_the_language_is_heard_on_every_window_path(
    base_backend: FasterWhisperBackend, tiny_backend: FasterWhisperBackend
) -> None:
    import numpy as np

    from tests.helpers.speech import render

    short = render("Good morning to you all.", sample_rate=16000)
    sentence = render(ENGLISH, sample_rate=16000)
    long = np.concatenate([sentence] * 6)  # over 10 s: Whisper's own 30 s window, heard on its own encoding
    assert len(short) <= 5 * 16000 < 10 * 16000 < len(long) <= 30 * 16000
    heard = base_backend.transcribe_heard([short, long], "es")
    assert [(t.heard_language, (t.heard_probability or 0) > 0.8) for t in heard] == [("en", True), ("en", True)]
    assert all(t.text for t in heard)
    # An English-only model hears nothing: no language token to ask.
    assert [t.heard_language for t in tiny_backend.transcribe_heard([short], "en")] == [None]


def test_the_ear_is_the_larger_multilingual_model_found_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.scoring.asr import models

    fetched: set[str] = set()
    shipped = {"base": True}
    monkeypatch.setattr(models, "cached_multilingual", lambda name: object() if name in fetched else None)
    monkeypatch.setattr(models, "shipped_folders", lambda name: [] if shipped.get(name) else None)
    assert models.multilingual_ear("tiny.en") == "base"  # the shipped base (asr-base extra)
    fetched.add("tiny")
    assert models.multilingual_ear("tiny.en") == "base"  # a fetched tiny is smaller than base
    fetched.add("small")
    assert models.multilingual_ear("small.en") == "small"  # a fetched small is larger
    shipped["base"] = False
    assert models.multilingual_ear("tiny.en") == "tiny"
    fetched.clear()
    assert models.multilingual_ear("tiny.en") is None
