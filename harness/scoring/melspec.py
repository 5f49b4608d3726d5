"""librosa's mel power spectrogram at 16 kHz, without librosa (and the 250 MB of numba it brings).

Both models the default install runs on numpy or onnxruntime were trained on librosa features: the
speaker encoder (40 channels, 25 ms windows) and DNSMOS P.808 (120 channels, 321-point FFT). faster-whisper,
installed for ASR anyway, ships numpy ports of librosa's Slaney mel filter bank (for 16 kHz) and of a
centred STFT, so this module only chooses librosa's defaults: zero padding, a periodic Hann window, power 2.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from harness.scoring.scoring_errors import MissingDependencyError

SAMPLE_RATE = 16000


def mel_power(wav: npt.NDArray[np.float32], n_fft: int, n_mels: int, hop: int = 160) -> npt.NDArray[np.float32]:
    """librosa.feature.melspectrogram(y=wav, sr=16000, n_fft=n_fft, hop_length=hop, n_mels=n_mels).T"""
    try:
        from faster_whisper.feature_extractor import FeatureExtractor
    except ImportError as exc:
        raise MissingDependencyError(exc.name or "faster_whisper", "score") from exc
    window = np.hanning(n_fft + 1)[:-1]
    spectrum = FeatureExtractor.stft(
        np.asarray(wav, dtype=np.float64), n_fft, hop, window=window, center=True, mode="constant", return_complex=True
    )
    filters = FeatureExtractor.get_mel_filters(SAMPLE_RATE, n_fft, n_mels=n_mels)
    return np.asarray((filters @ np.abs(spectrum) ** 2).T, dtype=np.float32)


def power_to_db(power: npt.NDArray[np.float32], top_db: float = 80.0) -> npt.NDArray[np.float32]:
    """librosa.power_to_db(power, ref=np.max): decibels below the loudest bin, floored top_db below it."""
    amin = 1e-10
    decibels = 10.0 * np.log10(np.maximum(amin, power)) - 10.0 * np.log10(max(amin, float(np.max(power))))
    return np.asarray(np.maximum(decibels, decibels.max() - top_db), dtype=np.float32)
