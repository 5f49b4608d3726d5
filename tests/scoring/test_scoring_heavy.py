"""Tests that need the score-heavy extra: openai-whisper (via the converted tiny.en), resemblyzer, DNSMOS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from harness.cli.score import asr_app
from harness.scoring import ClipInput, DecodingSettings, Scorer, normalizer_for
from harness.scoring.asr.faster import FasterWhisperBackend
from harness.scoring.asr.models import shipped_tiny_en
from harness.scoring.asr.openai_whisper import OpenAIWhisperBackend
from tests.helpers.repo import VOICES
from tests.helpers.speech import speak

TEXT = "The chef added salt and pepper and tasted the soup again."
SECOND = "The museum was full of paintings, statues and strange old machines."


@pytest.fixture(scope="session")
def converted_tiny_en(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tiny.en converted once per session with the CLI command under test."""
    pytest.importorskip("torch")
    destination = tmp_path_factory.mktemp("openai") / "tiny.en.pt"
    app = typer.Typer()
    app.add_typer(asr_app, name="asr")
    result = CliRunner().invoke(app, ["asr", "convert-ct2", str(shipped_tiny_en()), str(destination)])
    assert result.exit_code == 0, result.output
    assert "167 tensors" in result.output and destination.is_file()
    return destination


@pytest.mark.heavy
@pytest.mark.slow
def test_both_backends_give_the_same_transcript(converted_tiny_en: Path, tiny_backend: Any) -> None:
    from harness.scoring.audio import decode_audio

    clips = [decode_audio(speak(text)).mono_at(16000) for text in (TEXT, SECOND)]
    openai = OpenAIWhisperBackend(str(converted_tiny_en))
    assert openai.model_id.startswith("tiny.en#")
    heard_openai = openai.transcribe(clips, "en")
    heard_faster = tiny_backend.transcribe(clips, "en")
    normalize = normalizer_for("en")
    assert [normalize(t) for t in heard_openai] == [normalize(t) for t in heard_faster]
    # With float32 weights CTranslate2 computes what torch computes: the raw text matches too.
    exact = FasterWhisperBackend(settings=DecodingSettings(compute_type="float32")).transcribe(clips, "en")
    assert heard_openai == exact
    assert normalize(heard_openai[0]) == normalize(TEXT)


@pytest.mark.heavy
@pytest.mark.slow
def test_openai_backend_scores_through_the_scorer(converted_tiny_en: Path) -> None:
    scorer = Scorer(backend="openai-whisper", model=str(converted_tiny_en), similarity=False)
    score = scorer.score(ClipInput(text=TEXT, audio=speak(TEXT)))
    assert score.versions.asr_backend == "openai-whisper" and score.wer == 0.0


@pytest.mark.heavy
def test_a_clone_of_the_reference_voice_is_more_similar_than_another_voice(tiny_backend: Any) -> None:
    pytest.importorskip("resemblyzer")
    reference = VOICES / "joe_reference.wav"
    scorer = Scorer(asr=tiny_backend, similarity=True)
    clone, other = scorer.score_many(
        [
            ClipInput(text=SECOND, audio=speak(SECOND), reference_voice=reference),
            ClipInput(text=SECOND, audio=speak(SECOND, engine="espeak"), reference_voice=reference),
        ]
    )
    assert clone.similarity is not None and other.similarity is not None
    assert clone.similarity > 0.9 > 0.75 > other.similarity
    assert clone.versions.similarity_model and clone.versions.similarity_model.startswith("resemblyzer-")


@pytest.mark.heavy
@pytest.mark.slow
def test_dnsmos_rates_the_neural_voice_above_the_robotic_one(tiny_backend: Any) -> None:
    pytest.importorskip("speechmos")
    scorer = Scorer(asr=tiny_backend, similarity=False, dnsmos=True)
    piper, espeak = scorer.score_many(
        [ClipInput(text=TEXT, audio=speak(TEXT)), ClipInput(text=TEXT, audio=speak(TEXT, engine="espeak"))]
    )
    assert piper.dnsmos is not None and espeak.dnsmos is not None
    assert 1.0 <= espeak.dnsmos.overall < piper.dnsmos.overall <= 5.0
