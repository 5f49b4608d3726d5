"""Speaker similarity for cloning jobs: resemblyzer embeddings of output and reference, compared by cosine.

resemblyzer ships its GE2E weights in the package (no download), runs on the CPU in a fraction of a second
per clip, and separates voices clearly here (same voice re-synthesised 0.99, Piper vs espeak-ng 0.48).
Its embeddings are L2-normalised, so the cosine is their dot product. Reference embeddings are kept per
reference file for the life of the encoder, since a benchmark clones the same few references many times.
"""

from __future__ import annotations

import threading
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from harness.scoring.asr.base import SAMPLE_RATE
from harness.scoring.audio import FloatArray
from harness.scoring.errors import MissingDependencyError
from harness.scoring.versions import package_version


def similarity_model_id() -> str:
    return f"resemblyzer-{package_version('Resemblyzer')}"


class SpeakerEncoder:
    """Lazily loaded resemblyzer encoder with a per-reference embedding memo."""

    def __init__(self) -> None:
        self._encoder: Any = None
        self._references: dict[str, FloatArray] = {}
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._encoder is None:
                try:
                    with warnings.catch_warnings():
                        # resemblyzer imports scipy.ndimage.morphology, deprecated in SciPy 1.x.
                        warnings.simplefilter("ignore", DeprecationWarning)
                        from resemblyzer import VoiceEncoder
                except ImportError as exc:
                    raise MissingDependencyError(exc.name or "resemblyzer", "score-heavy") from exc
                self._encoder = VoiceEncoder("cpu", verbose=False)
            return self._encoder

    def load(self) -> None:
        """Import resemblyzer (and torch) and load the weights now."""
        self._load()

    def embed(self, audio_16k: FloatArray) -> FloatArray | None:
        """The utterance embedding, or ``None`` when no speech survives resemblyzer's silence trimming."""
        encoder = self._load()
        from resemblyzer import preprocess_wav

        wav = preprocess_wav(audio_16k.astype(np.float32), source_sr=SAMPLE_RATE)
        # Under half a second of speech the embedding describes the silence trimming more than the voice.
        if len(wav) < SAMPLE_RATE // 2:
            return None
        return np.asarray(encoder.embed_utterance(wav), dtype=np.float32)

    def reference(self, path: Path, audio_16k: FloatArray) -> FloatArray | None:
        """The embedding of a reference voice file, memoised by path."""
        key = str(path.resolve())
        if key not in self._references:
            embedding = self.embed(audio_16k)
            if embedding is None:
                return None
            self._references[key] = embedding
        return self._references[key]


def cosine(a: FloatArray, b: FloatArray) -> float:
    """Cosine similarity of two embeddings."""
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))
