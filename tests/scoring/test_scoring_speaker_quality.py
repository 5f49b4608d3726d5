"""Similarity and quality in the default install: the numpy speaker encoder, its weights, DNSMOS on onnxruntime."""

from __future__ import annotations

import io
import os
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from harness.scoring import ClipInput, ConversionError, Scorer
from harness.scoring.audio import decode_audio
from harness.scoring.dnsmos import dnsmos
from harness.scoring.melspec import mel_power
from harness.scoring.speaker_encoder import partial_slices, preprocess
from harness.scoring.speaker_weights import PARAMETERS, WEIGHTS_FILE, read_legacy_checkpoint
from tests.helpers.repo import VOICES
from tests.helpers.speech import speak

TEXT = "The museum was full of paintings, statues and strange old machines."


def test_default_scorer_scores_similarity_and_quality_without_torch(tiny_backend: Any) -> None:
    scorer = Scorer(asr=tiny_backend)
    assert scorer.similarity_enabled and scorer.dnsmos_enabled
    clone, other = scorer.score_many(
        [
            ClipInput(text=TEXT, audio=speak(TEXT), reference_voice=VOICES / "joe_reference.wav"),
            ClipInput(text=TEXT, audio=speak(TEXT), reference_voice=VOICES / "espeak_reference.wav"),
        ]
    )
    assert clone.similarity is not None and other.similarity is not None
    # The same voice scores like a re-synthesis (0.99 with resemblyzer), another voice far lower (0.48).
    assert clone.similarity > 0.9 > 0.75 > other.similarity
    assert clone.versions.similarity_model and clone.versions.similarity_model.startswith("ge2e-numpy-")
    assert clone.dnsmos is not None and 2.5 < clone.dnsmos.overall < 4.5
    assert clone.versions.dnsmos_model and clone.versions.dnsmos_model.startswith("dnsmos-onnx-")


def test_dnsmos_rates_speech_above_noise_and_skips_tiny_clips() -> None:
    speech = decode_audio((VOICES / "joe_reference.wav").read_bytes()).mono_at(16000)
    noise = np.random.default_rng(7).normal(0.0, 0.1, len(speech)).astype(np.float32)
    rated_speech, rated_noise = dnsmos(speech), dnsmos(noise)
    assert rated_speech is not None and rated_noise is not None
    assert rated_noise.overall < rated_speech.overall
    assert dnsmos(speech[:4000]) is None


def test_silence_trimming_keeps_speech_and_drops_long_pauses() -> None:
    speech = decode_audio((VOICES / "joe_short.wav").read_bytes()).mono_at(16000)
    padded = np.concatenate([np.zeros(32000, np.float32), speech, np.zeros(32000, np.float32)])
    trimmed = preprocess(padded)
    assert len(trimmed) < len(padded) - 40000  # most of the 4 s of silence is gone
    assert len(trimmed) > 0.6 * len(speech)
    assert len(preprocess(np.zeros(16000, np.float32))) == 0


def test_partials_cover_the_utterance_like_resemblyzer() -> None:
    # 1.6 s windows 0.77 s apart (1.3 per second); a last window under 75 % covered is dropped.
    assert partial_slices(16000) == [slice(0, 160)]
    assert partial_slices(48000) == [slice(0, 160), slice(77, 237), slice(154, 314)]


def test_mel_frames_follow_librosas_centred_framing() -> None:
    tone = np.sin(2 * np.pi * 1000 * np.arange(16000) / 16000).astype(np.float32)
    mel = mel_power(tone, n_fft=400, n_mels=40)
    assert mel.shape == (101, 40)
    # A 1 kHz tone lands in one band (about channel 15 of 40 on the Slaney scale).
    assert 13 <= int(mel[50].argmax()) <= 17


def test_shipped_weights_hold_the_encoder() -> None:
    with np.load(WEIGHTS_FILE) as stored:
        assert sorted(stored.files) == sorted(PARAMETERS)
        assert stored["lstm.weight_ih_l0"].shape == (1024, 40)
        assert stored["linear.weight"].shape == (256, 256)
    assert (WEIGHTS_FILE.parent / "NOTICE").is_file() and (WEIGHTS_FILE.parent / "LICENSE-resemblyzer").is_file()


class _Hostile:
    # A harmless global that no library replaces (ray swaps `builtins.print` once it is imported).
    def __reduce__(self) -> tuple[Any, ...]:
        return (os.getenv, ("OWNED",))


def test_checkpoint_reader_refuses_globals_it_does_not_know(capsys: pytest.CaptureFixture[str]) -> None:
    stream = io.BytesIO()
    for value in (0x1950A86A20F9469CFC6C, 1001, {"little_endian": True}, {"model_state": _Hostile()}):
        pickle.dump(value, stream)
    stream.seek(0)
    with pytest.raises(ConversionError, match=r"refusing global os\.getenv"):
        read_legacy_checkpoint(stream)
    assert "owned" not in capsys.readouterr().out


def test_converter_names_what_it_needs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from harness.scoring import speaker_weights

    not_a_checkpoint = tmp_path / "pretrained.pt"
    not_a_checkpoint.write_bytes(b"not a checkpoint")
    assert speaker_weights.main(["--from", str(not_a_checkpoint), "--out", str(tmp_path / "w.npz")]) == 1
    assert "not a readable resemblyzer checkpoint" in capsys.readouterr().err
    assert speaker_weights.main(["--from", str(tmp_path / "absent.whl"), "--out", str(tmp_path / "w.npz")]) == 1
    assert "no such file" in capsys.readouterr().err
