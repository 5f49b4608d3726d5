"""DNSMOS quality estimate on onnxruntime: Microsoft's ONNX models as the speechmos package ships them.

DNSMOS predicts listener opinion scores (1-5) for signal, background and overall quality without a
reference. It is a rough, noise-oriented measure (Piper scores 3.1, espeak-ng 2.6 here), reported
alongside and never a pass/fail gate. speechmos' own runner needs librosa (and numba with it); the same
computation is done here with onnxruntime (installed with faster-whisper) and harness.scoring.melspec,
segment for segment as speechmos does: audio repeated to at least 9.01 s, 9.01 s windows one second
apart (those the reference's slicing keeps), the P.835 model on raw samples with its polynomial calibration
per window, P.808 on a 120-channel log-mel, each averaged over the windows. The P.835 model runs split
(harness.scoring.dnsmos_windows): its full-resolution convolutions once over a clip's overlapping windows,
with each window's outputs those of the whole model.
"""

from __future__ import annotations

import importlib.resources
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from harness.scoring.asr.base import SAMPLE_RATE
from harness.scoring.audio import FloatArray
from harness.scoring.dnsmos_windows import SplitP835
from harness.scoring.lazy import LazyModel
from harness.scoring.melspec import mel_power, power_to_db
from harness.scoring.scoring_errors import MissingDependencyError
from harness.scoring.versions import package_version

# Shorter clips are repeated up to the model's input; an empty or tiny clip says nothing about quality.
MIN_SECONDS = 0.5
INPUT_SECONDS = 9.01
INPUT_SAMPLES = int(INPUT_SECONDS * SAMPLE_RATE)
# DNSMOS' calibration of the P.835 outputs (the non-personalised model), as speechmos applies it.
_CALIBRATION = {
    "signal": np.poly1d([-0.08397278, 1.22083953, 0.0052439]),
    "background": np.poly1d([-0.13166888, 1.60915514, -0.39604546]),
    "overall": np.poly1d([-0.06766283, 1.11546468, 0.04602535]),
}


@dataclass(frozen=True, slots=True)
class Dnsmos:
    """DNSMOS P.835 (signal, background, overall) and P.808 opinion scores."""

    overall: float
    signal: float
    background: float
    p808: float


# This computation's revision: stored with every score (and in the score cache's key), so a score computed
# before a change is never read as one computed after it. 2: the reference's windows and averaging, exactly.
COMPUTATION_REVISION = 2


def dnsmos_model_id() -> str:
    return f"dnsmos-onnx-speechmos-{package_version('speechmos')}+harness.{COMPUTATION_REVISION}"


def dnsmos_available() -> bool:
    """Whether the models (speechmos), their runtime (onnxruntime) and onnx (to split P.835) are installed."""
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in ("speechmos", "onnxruntime", "onnx"))


class _Models:
    """The two ONNX sessions, loaded once per process."""

    def __init__(self) -> None:
        try:
            import onnxruntime

            models = importlib.resources.files("speechmos") / "dnsmos_models"
        except ImportError as exc:
            raise MissingDependencyError(exc.name or "speechmos", "score") from exc
        options = onnxruntime.SessionOptions()
        # Scoring runs beside the ASR on a small machine: one thread each keeps them from fighting.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.p835 = SplitP835(Path(str(models / "sig_bak_ovr.onnx")), options)
        self.p808 = onnxruntime.InferenceSession(
            str(models / "model_v8.onnx"), options, providers=["CPUExecutionProvider"]
        )


_models = LazyModel(_Models, extra="score")
_run_lock = threading.Lock()


def load_dnsmos() -> None:
    """Load the ONNX models now rather than on the first clip."""
    _models.get()


def kept_windows(samples: int) -> list[int]:
    """The windows (k: samples from k seconds on) the reference scores in audio of this length, repeated
    to at least 9.01 s: one a second while a whole window fits, less those its own slice drops (the float
    product int((k + 9.01) * 16000) falls one sample short for windows 7 to 23, which it then skips)."""
    windows = int(np.floor(samples / SAMPLE_RATE) - INPUT_SECONDS) + 1
    return [
        k
        for k in range(windows)
        if min(int((k + INPUT_SECONDS) * SAMPLE_RATE), samples) - k * SAMPLE_RATE >= INPUT_SAMPLES
    ]


def dnsmos(audio_16k: FloatArray) -> Dnsmos | None:
    """DNSMOS of a 16 kHz mono clip; ``None`` for clips too short to rate."""
    if len(audio_16k) < MIN_SECONDS * SAMPLE_RATE:
        return None
    models = _models.get()
    audio = np.clip(audio_16k, -1.0, 1.0).astype(np.float32)
    while len(audio) < INPUT_SAMPLES:
        audio = np.concatenate((audio, audio))
    kept = kept_windows(len(audio))
    p808: list[float] = []
    for index in kept:
        segment = audio[index * SAMPLE_RATE :][:INPUT_SAMPLES]
        mel = (power_to_db(mel_power(segment[:-160], n_fft=321, n_mels=120)) + 40) / 40
        with _run_lock:  # one session per process; keep concurrent scorers from sharing a run
            p808.append(float(models.p808.run(None, {"input_1": mel[np.newaxis].astype(np.float32)})[0][0][0]))
    with _run_lock:
        raw = models.p835.raw_scores(audio, kept, INPUT_SAMPLES, SAMPLE_RATE)
    # Each segment is calibrated, then the calibrated scores are averaged, as the reference does (the
    # calibration is a quadratic: calibrating the mean of the raw outputs is not the same number).
    signal, background, overall = np.asarray(raw, dtype=np.float64).T
    return Dnsmos(
        overall=float(np.mean(_CALIBRATION["overall"](overall))),
        signal=float(np.mean(_CALIBRATION["signal"](signal))),
        background=float(np.mean(_CALIBRATION["background"](background))),
        p808=float(np.mean(p808)),
    )
