"""resemblyzer's speaker encoder (GE2E: a 3-layer LSTM over 40 mel channels, then linear + ReLU) in numpy.

Speaker similarity must work in the default install, which has no torch. The network is small (1.4 M
parameters) and its weights ship in this package, converted from resemblyzer 0.1.4 (Apache-2.0; see
weights/NOTICE and `python -m harness.scoring.speaker_weights`), so the encoder is a few matrix products
per frame. Preprocessing follows resemblyzer step for step, with the same kinds of tools: volume raised
to -30 dBFS, long silences trimmed by WebRTC's VAD (webrtcvad, 30 ms windows, smoothed and dilated as
resemblyzer does), a 25 ms / 10 ms mel power spectrogram (harness.scoring.melspec), 1.6 s partial
windows at 1.3 per second, embedding = L2-normalised mean of the partials' embeddings.
benchmarks/perf/similarity_agreement.py measures the agreement with resemblyzer itself.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from harness.scoring.blas import one_blas_thread
from harness.scoring.lazy import LazyModel
from harness.scoring.melspec import mel_power
from harness.scoring.scoring_errors import MissingDependencyError

FloatArray = npt.NDArray[np.float32]

SAMPLE_RATE = 16000
MEL_WINDOW = 400  # 25 ms
MEL_HOP = 160  # 10 ms
MEL_CHANNELS = 40
PARTIAL_FRAMES = 160  # 1.6 s
PARTIALS_PER_SECOND = 1.3
MIN_COVERAGE = 0.75
VAD_WINDOW = 480  # 30 ms
VAD_SMOOTHING = 8
VAD_MAX_SILENCE = 6
TARGET_DBFS = -30.0
_INT16_MAX = 2**15 - 1
WEIGHTS_FILE = Path(__file__).resolve().parent / "weights" / "voice_encoder.npz"
LAYERS = 3


def normalize_volume(wav: FloatArray) -> FloatArray:
    """Raise (never lower) the level to -30 dBFS, as resemblyzer's normalize_volume(increase_only)."""
    rms = float(np.sqrt(np.mean((wav.astype(np.float64) * _INT16_MAX) ** 2))) if len(wav) else 0.0
    if rms == 0.0:
        return wav
    change = TARGET_DBFS - 20 * np.log10(rms / _INT16_MAX)
    return wav if change < 0 else (wav * 10 ** (change / 20)).astype(np.float32)


def trim_long_silences(wav: FloatArray) -> FloatArray:
    """Keep voiced 30 ms windows and at most 6 silent ones around them (resemblyzer's trim_long_silences)."""
    try:
        import webrtcvad
        from scipy.ndimage import binary_dilation
    except ImportError as exc:
        raise MissingDependencyError(exc.name or "webrtcvad", "score") from exc
    wav = wav[: len(wav) - len(wav) % VAD_WINDOW]
    pcm = np.round(wav * _INT16_MAX).astype("<i2").tobytes()
    vad = webrtcvad.Vad(3)
    flags = np.array(
        [
            vad.is_speech(pcm[start * 2 : (start + VAD_WINDOW) * 2], SAMPLE_RATE)
            for start in range(0, len(wav), VAD_WINDOW)
        ],
        dtype=float,
    )
    if not len(flags):
        return wav
    # A centred moving average over 8 windows, then rounding: brief gaps and blips disappear.
    padded = np.concatenate((np.zeros((VAD_SMOOTHING - 1) // 2), flags, np.zeros(VAD_SMOOTHING // 2)))
    sums = np.cumsum(padded)
    sums[VAD_SMOOTHING:] = sums[VAD_SMOOTHING:] - sums[:-VAD_SMOOTHING]
    mask = np.round(sums[VAD_SMOOTHING - 1 :] / VAD_SMOOTHING).astype(bool)
    mask = binary_dilation(mask, np.ones(VAD_MAX_SILENCE + 1))
    return wav[np.repeat(mask, VAD_WINDOW)]


def preprocess(audio_16k: FloatArray) -> FloatArray:
    """resemblyzer's preprocess_wav for audio already at 16 kHz."""
    return trim_long_silences(normalize_volume(np.asarray(audio_16k, dtype=np.float32)))


def partial_slices(n_samples: int) -> list[slice]:
    """Mel-frame ranges of the 1.6 s partial windows (resemblyzer's compute_partial_slices)."""
    n_frames = int(np.ceil((n_samples + 1) / MEL_HOP))
    frame_step = round((SAMPLE_RATE / PARTIALS_PER_SECOND) / MEL_HOP)
    steps = max(1, n_frames - PARTIAL_FRAMES + frame_step + 1)
    slices = [slice(start, start + PARTIAL_FRAMES) for start in range(0, steps, frame_step)]
    last = slices[-1]
    coverage = (n_samples - last.start * MEL_HOP) / (PARTIAL_FRAMES * MEL_HOP)
    if coverage < MIN_COVERAGE and len(slices) > 1:
        slices.pop()
    return slices


def _sigmoid(values: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    return (0.5 * (1.0 + np.tanh(0.5 * values))).astype(np.float32)


class VoiceEncoder:
    """The GE2E network on numpy; thread-safe (no state changes after loading)."""

    def __init__(self, weights: Path = WEIGHTS_FILE) -> None:
        if not weights.is_file():
            raise MissingDependencyError(str(weights), "score")
        with np.load(weights) as stored:
            self.parameters = {name: np.asarray(stored[name], dtype=np.float32) for name in stored.files}

    def forward(self, mels: FloatArray) -> FloatArray:
        """Embeddings of a batch of partials (batch x frames x 40) -> batch x 256, L2-normalised."""
        # 480 small sequential products: BLAS threads would only wait on each other (docs/measurements.md),
        # and the ASR's own threads are busy meanwhile.
        with one_blas_thread():
            return self._forward(mels)

    def _forward(self, mels: FloatArray) -> FloatArray:
        layer_input = mels
        hidden = np.zeros(0, dtype=np.float32)
        for layer in range(LAYERS):
            w_ih = self.parameters[f"lstm.weight_ih_l{layer}"]
            w_hh = self.parameters[f"lstm.weight_hh_l{layer}"]
            bias = self.parameters[f"lstm.bias_ih_l{layer}"] + self.parameters[f"lstm.bias_hh_l{layer}"]
            size = w_hh.shape[1]
            # The input projection of every frame at once; only the recurrence is sequential.
            projected = layer_input @ w_ih.T + bias
            hidden = np.zeros((mels.shape[0], size), dtype=np.float32)
            cell = np.zeros_like(hidden)
            outputs = np.empty((mels.shape[0], mels.shape[1], size), dtype=np.float32)
            for frame in range(mels.shape[1]):
                gates = projected[:, frame] + hidden @ w_hh.T
                # torch's gate order: input, forget, cell candidate, output.
                in_gate, forget_gate = _sigmoid(gates[:, :size]), _sigmoid(gates[:, size : 2 * size])
                candidate, out_gate = np.tanh(gates[:, 2 * size : 3 * size]), _sigmoid(gates[:, 3 * size :])
                cell = forget_gate * cell + in_gate * candidate
                hidden = out_gate * np.tanh(cell)
                outputs[:, frame] = hidden
            layer_input = outputs
        raw = np.maximum(hidden @ self.parameters["linear.weight"].T + self.parameters["linear.bias"], 0.0)
        norms = np.linalg.norm(raw, axis=1, keepdims=True)
        return (raw / np.maximum(norms, 1e-12)).astype(np.float32)

    def embed_utterance(self, wav: FloatArray) -> FloatArray:
        """The utterance embedding of preprocessed 16 kHz audio (resemblyzer's embed_utterance)."""
        slices = partial_slices(len(wav))
        needed = slices[-1].stop * MEL_HOP
        if needed >= len(wav):
            wav = np.pad(wav, (0, needed - len(wav)))
        mel = mel_power(wav, MEL_WINDOW, MEL_CHANNELS)
        partials = self.forward(np.stack([mel[part] for part in slices]))
        mean = partials.mean(axis=0)
        return (mean / np.linalg.norm(mean)).astype(np.float32)


_shared = LazyModel(VoiceEncoder, extra="score")


def shared_encoder() -> VoiceEncoder:
    """One loaded encoder per process."""
    return _shared.get()
