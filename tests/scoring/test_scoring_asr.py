"""The faster-whisper backend: batching maps texts back to their clips; settings are part of the key."""

from __future__ import annotations

import numpy as np
import pytest

from harness.scoring import AsrBackendName, DecodingSettings, normalizer_for
from harness.scoring.asr.faster import FasterWhisperBackend
from harness.scoring.audio import decode_audio
from tests.helpers.speech import speak

FIRST = "The bus driver waited patiently while the old woman found her seat."
SECOND = "The children laughed as the small dog chased its tail in circles."


def _clip(text: str) -> np.ndarray:
    return decode_audio(speak(text)).mono_at(16000)


def test_batched_texts_return_to_their_own_clips(tiny_backend: FasterWhisperBackend) -> None:
    first, second = _clip(FIRST), _clip(SECOND)
    # Over 30 s: the long-form path; the empty clip: no ASR at all.
    long = np.concatenate([second, np.zeros(16000, np.float32)] * 9)
    texts = tiny_backend.transcribe([second, np.zeros(0, np.float32), first, long], "en")
    normalize = normalizer_for("en")
    assert normalize(texts[0]) == normalize(SECOND)
    assert texts[1] == ""
    assert normalize(texts[2]) == normalize(FIRST)
    assert normalize(texts[3]).count("small dog") >= 8


def test_a_shorter_window_serves_only_clips_that_fill_half_of_it(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = FasterWhisperBackend(settings=DecodingSettings(window_s=10.0))
    used: list[tuple[str, int]] = []
    for name in ("_windowed", "_batched"):
        real = getattr(backend, name)
        monkeypatch.setattr(
            backend,
            name,
            lambda clips, language, real=real, name=name: used.append((name, len(clips))) or real(clips, language),
        )
    first, second = _clip(FIRST), _clip(SECOND)
    both = np.concatenate([first, second, second])  # over 5 s: the full 30 s window
    texts = backend.transcribe([first, second, both], "en")
    normalize = normalizer_for("en")
    assert [normalize(text) for text in texts[:2]] == [normalize(FIRST), normalize(SECOND)]
    assert normalize(texts[2]).startswith(normalize(FIRST))
    assert used == [("_windowed", 2), ("_batched", 1)]


def test_settings_that_change_transcripts_are_in_the_key() -> None:
    default = DecodingSettings()
    assert default.key(AsrBackendName.FASTER_WHISPER) != DecodingSettings(window_s=10).key(
        AsrBackendName.FASTER_WHISPER
    )
    assert default.key(AsrBackendName.FASTER_WHISPER) == DecodingSettings(batch_size=1, cpu_threads=1).key(
        AsrBackendName.FASTER_WHISPER
    )
    assert "compute_type" not in default.key(AsrBackendName.OPENAI_WHISPER)
    with pytest.raises(ValueError, match="window_s"):
        DecodingSettings(window_s=45)
    with pytest.raises(ValueError, match="unknown ASR backend"):
        AsrBackendName.parse("whisperx")


def test_english_only_models_refuse_other_languages(tiny_backend: FasterWhisperBackend) -> None:
    assert tiny_backend.supports_language("en") and not tiny_backend.supports_language("fr")
