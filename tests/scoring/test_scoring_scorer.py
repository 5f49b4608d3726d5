"""The scorer end to end on rendered speech with the shipped tiny.en (one model load per session)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from harness.scoring import ClipInput, Flag, ScoreCache, Scorer, ScoringError
from tests.helpers.speech import render, speak, wav_bytes

TEXT = "The farmer fed the horses and cleaned the barn before breakfast."
OTHER = "She wrapped the gift in blue paper and tied it with a silver ribbon."


def _with_noise(samples: np.ndarray, snr_db: float, seed: int) -> np.ndarray:
    rms = float(np.sqrt(np.mean(samples**2)))
    noise = np.random.default_rng(seed).standard_normal(len(samples)).astype(np.float32)
    return np.clip(samples + noise * rms / 10 ** (snr_db / 20), -1.0, 1.0)


def test_wer_orders_clean_then_noisy_then_another_sentence(scorer: Scorer) -> None:
    clean = render(TEXT)
    clips = [
        ClipInput(text=TEXT, audio=wav_bytes(clean, 22050)),
        ClipInput(text=TEXT, audio=wav_bytes(_with_noise(clean, snr_db=0.0, seed=2), 22050)),
        ClipInput(text=TEXT, audio=speak(OTHER)),
    ]
    clean_score, noisy, different = scorer.score_many(clips)
    assert clean_score.wer is not None and noisy.wer is not None and different.wer is not None
    assert clean_score.wer < noisy.wer < different.wer
    assert clean_score.wer == 0.0 and clean_score.flags == ()
    assert different.wer > 0.5


def test_every_score_carries_its_versions(scorer: Scorer) -> None:
    score = scorer.score(ClipInput(text=TEXT, audio=speak(TEXT), clip_id="c1"))
    versions = score.versions
    assert versions.asr_backend == "faster-whisper" and versions.asr_model.startswith("tiny.en#")
    assert versions.normalizer_name == "whisper_normalizer.EnglishTextNormalizer"
    assert versions.normalizer_version.startswith("0.1.15+harness.")
    assert versions.harness_version and '"beam_size": 5' in versions.asr_settings
    assert score.clip_id == "c1" and score.cache_hit is False and score.asr_seconds
    assert score.to_json()["flags"] == []


def test_damaged_files_are_flagged(scorer: Scorer) -> None:
    speech = render(TEXT)
    full = wav_bytes(speech, 22050)
    truncated, clipped, mislabelled = scorer.score_many(
        [
            ClipInput(text=TEXT, audio=full[: len(full) * 2 // 5]),
            ClipInput(text=TEXT, audio=wav_bytes(np.clip(speech * 6, -1, 1), 22050)),
            ClipInput(text=TEXT, audio=speak(TEXT, sample_rate=48000), declared_sample_rate=22050),
        ]
    )
    assert {Flag.TRUNCATED_FILE, Flag.TOO_SHORT, Flag.MISSING_END} <= set(truncated.flags)
    assert Flag.CLIPPING in clipped.flags
    assert mislabelled.flags == (Flag.SAMPLE_RATE_MISMATCH,)
    assert mislabelled.wer == 0.0  # the audio itself is fine: only the label is wrong


def test_unscorable_clips_get_an_error_not_an_exception(
    scorer: Scorer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("harness.scoring.asr.models.multilingual_ear", lambda spec: None)  # no multilingual model here
    garbage, missing, german, good = scorer.score_many(
        [
            ClipInput(text=TEXT, audio=b"<html>502 Bad Gateway</html>"),
            ClipInput(text=TEXT, path=tmp_path / "nowhere.wav"),
            ClipInput(text="Guten Morgen.", audio=speak(TEXT), language="de"),
            ClipInput(text=TEXT, audio=speak(TEXT)),
        ]
    )
    assert garbage.flags == (Flag.UNDECODABLE,) and "undecodable" in (garbage.error or "")
    assert garbage.audio_sha256 is not None and garbage.wer is None
    assert "cannot read" in (missing.error or "")
    assert "English only" in (german.error or "") and german.conformance is not None
    assert good.error is None and good.wer == 0.0


def test_clips_without_a_reference_voice_get_no_similarity(scorer: Scorer) -> None:
    assert scorer.score(ClipInput(text=TEXT, audio=speak(TEXT))).similarity is None


def test_transcripts_are_cached_by_audio_backend_model_and_settings(tiny_backend: Any, tmp_path: Path) -> None:
    cache = ScoreCache(tmp_path / "cache.db")
    audio = speak(TEXT)
    first = Scorer(asr=tiny_backend, similarity=False, dnsmos=False, cache=cache)
    assert first.score(ClipInput(text=TEXT, audio=audio)).cache_hit is False
    second = Scorer(asr=tiny_backend, similarity=False, dnsmos=False, cache=cache)
    again = second.score(ClipInput(text="The farmer fed the horses.", audio=audio))
    assert again.cache_hit is True and second.stats.cache_misses == 0 and second.stats.cache_hits == 1
    # The cached transcript was scored against the new, shorter text: twice as long as it.
    assert again.transcript == TEXT and Flag.HALLUCINATION_LONG in again.flags


def test_input_needs_exactly_one_audio_source() -> None:
    with pytest.raises(ScoringError):
        ClipInput(text=TEXT)
    with pytest.raises(ScoringError):
        ClipInput(text=TEXT, audio=b"x", path=Path("x.wav"))
