"""Speaker similarity for cloning jobs: speaker embeddings of output and reference, compared by cosine.

The default encoder is resemblyzer's GE2E network run on numpy with weights shipped in this package
(harness.scoring.speaker_encoder): no torch, nothing downloaded, and the same embeddings as resemblyzer
(benchmarks/perf/similarity_agreement.py). With the score-heavy extra, `backend="resemblyzer"` runs
resemblyzer itself on torch. It separates voices clearly here (same voice re-synthesised 0.99, Piper vs
espeak-ng 0.48). Embeddings are L2-normalised, so the cosine is their dot product. Reference embeddings
are kept per reference file for the life of the encoder, since a benchmark clones the same few
references many times.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import warnings
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

from harness.scoring.asr.base import SAMPLE_RATE
from harness.scoring.audio import FloatArray
from harness.scoring.scoring_errors import MissingDependencyError
from harness.scoring.speaker_encoder import WEIGHTS_FILE, preprocess, shared_encoder
from harness.scoring.versions import package_version


class SimilarityBackend(StrEnum):
    NUMPY = "numpy"  # resemblyzer's network on numpy, weights shipped (default)
    RESEMBLYZER = "resemblyzer"  # resemblyzer itself, on torch (score-heavy)


@functools.cache
def similarity_model_id(backend: SimilarityBackend = SimilarityBackend.NUMPY) -> str:
    """What produced a similarity figure: stored with every score (the numpy one names its weights' hash)."""
    if backend is SimilarityBackend.RESEMBLYZER:
        return f"resemblyzer-{package_version('Resemblyzer')}"
    digest = hashlib.sha256(WEIGHTS_FILE.read_bytes()).hexdigest()[:8] if WEIGHTS_FILE.is_file() else "missing"
    return f"ge2e-numpy-resemblyzer-0.1.4-{digest}"


def similarity_available(backend: SimilarityBackend = SimilarityBackend.NUMPY) -> bool:
    """Whether `backend` can run here (the numpy one needs only the score extra and its shipped weights)."""
    import importlib.util

    if backend is SimilarityBackend.RESEMBLYZER:
        return importlib.util.find_spec("resemblyzer") is not None
    return WEIGHTS_FILE.is_file() and importlib.util.find_spec("webrtcvad") is not None


class SpeakerEncoder:
    """Lazily loaded speaker encoder with a per-reference embedding memo."""

    def __init__(self, backend: SimilarityBackend | str = SimilarityBackend.NUMPY) -> None:
        self.backend = SimilarityBackend(backend)
        self._encoder: Any = None
        self._references: dict[str, FloatArray] = {}
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._encoder is None:
                self._encoder = shared_encoder() if self.backend is SimilarityBackend.NUMPY else _resemblyzer()
            return self._encoder

    def load(self) -> None:
        """Load the weights now (and, for resemblyzer, import torch)."""
        self._load()

    def embed(self, audio_16k: FloatArray) -> FloatArray | None:
        """The utterance embedding, or ``None`` when no speech survives the silence trimming."""
        encoder = self._load()
        if self.backend is SimilarityBackend.NUMPY:
            wav = preprocess(audio_16k)
        else:
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


def _resemblyzer() -> Any:
    try:
        with warnings.catch_warnings():
            # resemblyzer imports scipy.ndimage.morphology, deprecated in SciPy 1.x.
            warnings.simplefilter("ignore", DeprecationWarning)
            from resemblyzer import VoiceEncoder
    except ImportError as exc:
        raise MissingDependencyError(exc.name or "resemblyzer", "score-heavy") from exc
    return VoiceEncoder("cpu", verbose=False)


def cosine(a: FloatArray, b: FloatArray) -> float:
    """Cosine similarity of two embeddings."""
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))
