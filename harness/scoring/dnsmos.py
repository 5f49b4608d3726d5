"""Optional DNSMOS quality estimate (speechmos ships Microsoft's ONNX models): off by default, 1.5 s a clip.

DNSMOS predicts listener opinion scores (1-5) for signal, background and overall quality without a
reference. It is a rough, noise-oriented measure (Piper scores 3.1, espeak-ng 2.6 here), so it is an
option, reported alongside and never a pass/fail gate.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from harness.scoring.asr.base import SAMPLE_RATE
from harness.scoring.audio import FloatArray
from harness.scoring.errors import MissingDependencyError
from harness.scoring.versions import package_version

# speechmos loops shorter audio to its 9 s input by repetition; an empty clip would loop forever.
MIN_SECONDS = 0.5

_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Dnsmos:
    """DNSMOS P.835 (signal, background, overall) and P.808 opinion scores."""

    overall: float
    signal: float
    background: float
    p808: float


def dnsmos_model_id() -> str:
    return f"speechmos-{package_version('speechmos')}"


def load_dnsmos() -> None:
    """Import speechmos (onnxruntime, librosa) now rather than on the first clip."""
    try:
        import speechmos.dnsmos  # noqa: F401
    except ImportError as exc:
        raise MissingDependencyError(exc.name or "speechmos", "score-heavy") from exc


def dnsmos(audio_16k: FloatArray) -> Dnsmos | None:
    """DNSMOS of a 16 kHz mono clip; ``None`` for clips too short to rate."""
    if len(audio_16k) < MIN_SECONDS * SAMPLE_RATE:
        return None
    try:
        from speechmos import dnsmos as speechmos_dnsmos
    except ImportError as exc:
        raise MissingDependencyError(exc.name or "speechmos", "score-heavy") from exc
    samples = np.clip(audio_16k, -1.0, 1.0).astype(np.float32)
    # speechmos keeps one module-level ONNX session; serialise its creation and use.
    with _lock:
        result: Any = speechmos_dnsmos.run(samples, SAMPLE_RATE)
    return Dnsmos(
        overall=float(result["ovrl_mos"]),
        signal=float(result["sig_mos"]),
        background=float(result["bak_mos"]),
        p808=float(result["p808_mos"]),
    )
