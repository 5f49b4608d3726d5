"""The faster-whisper backend: batching maps texts back to their clips; settings are part of the key."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

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


def test_each_clip_gets_the_shortest_window_it_fills_to_half() -> None:
    adaptive = DecodingSettings()
    assert adaptive.windows == (10.0, 20.0, 30.0)
    assert [adaptive.window_for(seconds) for seconds in (0.5, 5.0, 5.01, 10.0, 10.5, 29.0)] == [
        10.0,
        10.0,
        20.0,
        20.0,
        30.0,
        30.0,
    ]
    assert DecodingSettings.fixed_window(8).windows == (8.0, 30.0)
    assert DecodingSettings.fixed_window(8).window_for(4.5) == 30.0
    assert DecodingSettings(windows=(30.0,)).window_for(1.0) == 30.0


def test_clips_are_batched_per_window_and_still_read_right(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = FasterWhisperBackend(settings=DecodingSettings(batch_size=4))
    used: list[tuple[str, float, int]] = []
    real_windowed, real_batched = backend._windowed, backend._batched

    def windowed(clips: list[np.ndarray], language: str, window_s: float, hear: bool = False) -> list[Any]:
        used.append(("windowed", window_s, len(clips)))
        return real_windowed(clips, language, window_s, hear)

    def batched(clips: list[np.ndarray], language: str) -> list[str]:
        used.append(("batched", 30.0, len(clips)))
        return real_batched(clips, language)

    monkeypatch.setattr(backend, "_windowed", windowed)
    monkeypatch.setattr(backend, "_batched", batched)
    first, second = _clip(FIRST), _clip(SECOND)
    pair = np.concatenate([first, second])  # 5-10 s: the 20 s window
    many = np.concatenate([first, second] * 3)  # over 10 s: Whisper's own 30 s window
    assert len(first) <= 5 * 16000 < len(pair) <= 10 * 16000 < len(many)
    texts = backend.transcribe([first, pair, second, many], "en")
    normalize = normalizer_for("en")
    assert [normalize(texts[0]), normalize(texts[2])] == [normalize(FIRST), normalize(SECOND)]
    assert normalize(texts[1]) == normalize(f"{FIRST} {SECOND}")
    assert normalize(texts[3]).startswith(normalize(FIRST))
    assert used == [("windowed", 10.0, 2), ("windowed", 20.0, 1), ("batched", 30.0, 1)]


def test_settings_that_change_transcripts_are_in_the_key() -> None:
    default = DecodingSettings()
    faster = AsrBackendName.FASTER_WHISPER
    assert default.key(faster) != DecodingSettings.fixed_window(10).key(faster)
    assert default.key(faster) != DecodingSettings(windows=(30.0,)).key(faster)
    assert default.key(faster) == DecodingSettings(batch_size=1, cpu_threads=1).key(faster)
    assert "compute_type" not in default.key(AsrBackendName.OPENAI_WHISPER)
    with pytest.raises(ValueError, match="windows"):
        DecodingSettings(windows=(45.0,))
    with pytest.raises(ValueError, match="unknown ASR backend"):
        AsrBackendName.parse("whisperx")


def test_english_only_models_refuse_other_languages(tiny_backend: FasterWhisperBackend) -> None:
    assert tiny_backend.supports_language("en") and not tiny_backend.supports_language("fr")


def test_a_transcript_does_not_depend_on_the_machines_blas_threads(tiny_backend: FasterWhisperBackend) -> None:
    """OpenBLAS splits the features' products by thread count: this clip was 'Astronome wind blew…' with two
    threads and right with one. The backend pins one, so a 2-core machine (or OMP_NUM_THREADS=1, or a Ray
    worker) reads what any other machine reads; and the process's own limit is back afterwards."""
    from threadpoolctl import threadpool_info, threadpool_limits

    clip = decode_audio(
        speak("A strong wind blew across the field and bent the tall grass.", length_scale=1.1)
    ).mono_at(16000)
    heard = {}
    for threads in (2, 1):
        with threadpool_limits(limits=threads, user_api="blas"):
            heard[threads] = tiny_backend.transcribe([clip], "en")
            assert {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"} == {threads}
    assert heard[2] == heard[1]


@pytest.mark.parametrize(("chosen", "policy"), [(None, "PASSIVE"), ("ACTIVE", "ACTIVE")], ids=["unset", "user's"])
def test_openmp_threads_wait_without_spinning_unless_the_user_chose(chosen: str | None, policy: str) -> None:
    """harness.scoring sets libgomp's OMP_WAIT_POLICY before faster_whisper loads it (harness.scoring.blas)."""
    env = {key: value for key, value in os.environ.items() if key != "OMP_WAIT_POLICY"}
    env.update({} if chosen is None else {"OMP_WAIT_POLICY": chosen})
    code = "import os, sys, harness.scoring; print(os.environ['OMP_WAIT_POLICY'], 'ctranslate2' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == [policy, "False"]


def test_backends_of_one_model_share_its_loaded_weights_but_not_a_pipeline(tiny_backend: FasterWhisperBackend) -> None:
    """A second scorer in the process (a second `bench run`, the library called again) loads no model again: the
    loaded `WhisperModel` is shared, while each backend keeps its own batched pipeline (that one holds state between
    calls); other settings are another load. Two fresh backends, one right after the other: the session's
    `tiny_backend` may have loaded its model before other tests loaded theirs (three are kept)."""
    first = FasterWhisperBackend(tiny_backend.spec, tiny_backend.settings)
    again = FasterWhisperBackend(tiny_backend.spec, tiny_backend.settings)
    assert again.whisper_model() is first.whisper_model()
    assert again._lazy.get().pipeline is not first._lazy.get().pipeline
    other = FasterWhisperBackend(tiny_backend.spec, DecodingSettings(cpu_threads=1))
    assert other.whisper_model() is not first.whisper_model()
    clip = _clip("The quiet river ran past the mill.")
    assert again.transcribe([clip], "en") == first.transcribe([clip], "en")
