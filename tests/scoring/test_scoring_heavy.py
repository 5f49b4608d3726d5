"""Tests that need the score-heavy extra: openai-whisper (converted tiny.en), resemblyzer, speechmos' own runner."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
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
from tests.helpers.shared import built_once
from tests.helpers.speech import speak

# One worker takes them all under pytest-xdist: each process that imports torch pays seconds of CPU for it.
pytestmark = pytest.mark.xdist_group("torch")

TEXT = "The chef added salt and pepper and tasted the soup again."
SECOND = "The museum was full of paintings, statues and strange old machines."


@pytest.fixture(scope="session")
def converted_tiny_en(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tiny.en converted with the CLI command under test, once per session (shared by xdist's workers)."""
    pytest.importorskip("torch")
    return built_once(tmp_path_factory, "tiny.en.pt", _convert_tiny_en)


def _convert_tiny_en(destination: Path) -> None:
    app = typer.Typer()
    app.add_typer(asr_app, name="asr")
    result = CliRunner().invoke(app, ["asr", "convert-ct2", str(shipped_tiny_en()), str(destination)])
    assert result.exit_code == 0, result.output
    assert "167 tensors" in result.output and destination.is_file()


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
    scorer = Scorer(backend="openai-whisper", model=str(converted_tiny_en), similarity=False, dnsmos=False)
    score = scorer.score(ClipInput(text=TEXT, audio=speak(TEXT)))
    assert score.versions.asr_backend == "openai-whisper" and score.wer == 0.0


@pytest.mark.heavy
def test_resemblyzer_backend_tells_the_reference_voice_from_another(tiny_backend: Any) -> None:
    pytest.importorskip("resemblyzer")
    scorer = Scorer(asr=tiny_backend, similarity=True, similarity_backend="resemblyzer", dnsmos=False)
    clone, other = scorer.score_many(
        [
            ClipInput(text=SECOND, audio=speak(SECOND), reference_voice=VOICES / "joe_reference.wav"),
            ClipInput(text=SECOND, audio=speak(SECOND), reference_voice=VOICES / "espeak_reference.wav"),
        ]
    )
    assert clone.similarity is not None and other.similarity is not None
    assert clone.similarity > 0.9 > 0.75 > other.similarity
    assert clone.versions.similarity_model and clone.versions.similarity_model.startswith("resemblyzer-")


@pytest.mark.heavy
def test_numpy_encoder_gives_resemblyzers_embedding() -> None:
    import numpy as np

    pytest.importorskip("resemblyzer")
    from resemblyzer import VoiceEncoder, preprocess_wav

    from harness.scoring.audio import decode_audio
    from harness.scoring.speaker_encoder import preprocess, shared_encoder

    audio = decode_audio((VOICES / "joe_reference.wav").read_bytes()).mono_at(16000)
    ours = shared_encoder().embed_utterance(preprocess(audio))
    theirs = VoiceEncoder("cpu", verbose=False).embed_utterance(preprocess_wav(audio, source_sr=16000))
    assert float(np.dot(ours, theirs)) > 0.9999


@pytest.mark.heavy
def test_shipped_weights_match_a_fresh_conversion_of_resemblyzers(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("resemblyzer")
    from harness.scoring import speaker_weights

    assert speaker_weights.main(["--check"]) == 0
    assert "14/14 parameters match" in capsys.readouterr().out


@pytest.mark.heavy
@pytest.mark.slow
def test_onnxruntime_dnsmos_agrees_with_speechmos(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np
    import onnxruntime

    pytest.importorskip("librosa")
    from speechmos import dnsmos as speechmos_dnsmos

    from harness.scoring.audio import decode_audio
    from harness.scoring.dnsmos import dnsmos

    # The reference's own code, on sessions of one thread that does not spin, as ours are: onnxruntime's
    # default (a spinning thread per core) costs the suite CPU for the same scores. Only
    # speechmos' name for onnxruntime is replaced; it calls nothing else of it.
    one_thread = onnxruntime.SessionOptions()
    one_thread.intra_op_num_threads = one_thread.inter_op_num_threads = 1
    one_thread.add_session_config_entry("session.intra_op.allow_spinning", "0")

    def session(path: str) -> Any:
        return onnxruntime.InferenceSession(path, one_thread, providers=["CPUExecutionProvider"])

    monkeypatch.setattr(speechmos_dnsmos, "ort", SimpleNamespace(InferenceSession=session))
    monkeypatch.setattr(speechmos_dnsmos, "dnsmos", None)  # made again, on those sessions

    # 8.2 s (doubled to 16.4 s: windows 0-7) and 2.2 s (17.5 s: windows 0-8): the reference's slicing drops
    # windows 7 and 8, and it averages calibrated scores. Both clips differed by 0.006 before ours did the same.
    for name in ("joe_reference.wav", "joe_short.wav"):
        audio = decode_audio((VOICES / name).read_bytes()).mono_at(16000)
        ours = dnsmos(audio)
        theirs = speechmos_dnsmos.run(np.clip(audio, -1, 1).astype(np.float32), 16000)
        assert ours is not None
        assert ours.overall == pytest.approx(theirs["ovrl_mos"], abs=1e-4)
        assert ours.signal == pytest.approx(theirs["sig_mos"], abs=1e-4)
        assert ours.background == pytest.approx(theirs["bak_mos"], abs=1e-4)
        assert ours.p808 == pytest.approx(theirs["p808_mos"], abs=1e-4)
