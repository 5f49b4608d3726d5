"""The audio tools, done for real with small, honest signal processing (numpy and soxr only).

None of this is what TTS.ai runs (DeepFilterNet-class denoisers, Demucs), but every tool really does
what its name says, cheaply and deterministically, so a client sees audio that changed the way it
asked:

- enhance: spectral subtraction of the noise floor (strength 1-3), a presence lift above 2 kHz for
  clarity, and resampling to 48 kHz for "super resolution";
- echo/reverb removal: suppression of the late energy predicted from earlier frames (echo: a short
  discrete delay; reverb: a smoothed decaying tail), by intensity 1-5;
- separation: complementary frequency-band masks, so the stems always add up to the input;
- key & BPM: a chromagram matched against the Krumhansl-Schmuckler key profiles, and the
  autocorrelation peak of the spectral-flux onset envelope between 60 and 180 BPM;
- conversion: decode, resample (soxr), channel count, re-encode with libsndfile (MP3 bitrates through
  its compression level).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import soundfile as sf
import soxr

from harness.speech import Clip

Floats = npt.NDArray[np.float32]
FRAME = 1024
HOP = 256


def _stft(samples: Floats) -> npt.NDArray[np.complex64]:
    padded = np.concatenate([np.zeros(FRAME, np.float32), samples, np.zeros(FRAME, np.float32)])
    count = max(1, 1 + (len(padded) - FRAME) // HOP)
    window = np.hanning(FRAME).astype(np.float32)
    index = np.arange(FRAME)[None, :] + HOP * np.arange(count)[:, None]
    return np.fft.rfft(padded[index] * window, axis=1).astype(np.complex64)


def _istft(spectrum: npt.NDArray[np.complex64], length: int) -> Floats:
    window = np.hanning(FRAME).astype(np.float32)
    frames = np.fft.irfft(spectrum, n=FRAME, axis=1).astype(np.float32) * window
    total = FRAME + HOP * (len(frames) - 1)
    out = np.zeros(total, np.float32)
    norm = np.zeros(total, np.float32)
    for i, frame in enumerate(frames):
        out[i * HOP:i * HOP + FRAME] += frame
        norm[i * HOP:i * HOP + FRAME] += window**2
    out /= np.maximum(norm, 1e-6)
    return out[FRAME:FRAME + length]


def _freqs(rate: int) -> Floats:
    return np.fft.rfftfreq(FRAME, 1.0 / rate).astype(np.float32)


def _limited(samples: Floats) -> Floats:
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    return (samples * (0.89 / peak) if peak > 0.89 else samples).astype(np.float32)


def enhance(clip: Clip, *, denoise: bool, clarity: bool, super_resolution: bool, strength: int) -> Clip:
    spectrum = _stft(clip.samples)
    gain = np.ones(spectrum.shape, np.float32)
    if denoise:
        # The noise spectrum is the mean of the quietest tenth of the frames (pauses hold only noise);
        # it is over-subtracted 1.0x / 1.5x / 2.0x for strength 1 / 2 / 3.
        magnitude = np.abs(spectrum)
        energy = (magnitude**2).sum(axis=1)
        quiet = magnitude[energy <= np.percentile(energy, 10)]
        noise = quiet.mean(axis=0, keepdims=True)
        gain *= np.clip(1.0 - (0.5 + 0.5 * strength) * noise / np.maximum(magnitude, 1e-9), 0.05, 1.0)
    if clarity:
        freqs = _freqs(clip.sample_rate)
        gain *= (1.0 + 0.4 * np.clip((freqs - 2000.0) / 4000.0, 0.0, 1.0))[None, :]
    samples = _limited(_istft(spectrum * gain, len(clip.samples)))
    rate = clip.sample_rate
    if super_resolution and rate < 48000:
        samples = soxr.resample(samples, rate, 48000).astype(np.float32)
        rate = 48000
    return Clip(samples, rate)


def remove_echo(clip: Clip, *, kind: str, intensity: int) -> Clip:
    spectrum = _stft(clip.samples)
    magnitude = np.abs(spectrum)
    frames_per_s = clip.sample_rate / HOP
    late = np.zeros_like(magnitude)
    if kind in ("echo", "both"):  # a discrete echo ~80 ms later, at most 60 % as loud
        delay = max(1, round(0.08 * frames_per_s))
        late[delay:] = np.maximum(late[delay:], 0.6 * magnitude[:-delay])
    if kind in ("reverb", "both"):  # an exponentially decaying tail (T60 ~ 0.5 s) from 50 ms on
        decay = 10 ** (-3.0 / (0.5 * frames_per_s))
        start = max(1, round(0.05 * frames_per_s))
        tail = np.zeros(magnitude.shape[1], np.float32)
        for t in range(start, len(magnitude)):
            tail = decay * tail + (1 - decay) * magnitude[t - start]
            late[t] = np.maximum(late[t], tail)
    weight = 0.3 * intensity
    gain = np.clip(1.0 - weight * late / np.maximum(magnitude, 1e-9), 0.1, 1.0)
    return Clip(_limited(_istft(spectrum * gain, len(clip.samples))), clip.sample_rate)


# Stem name -> (low Hz, high Hz): complementary bands, so the stems add up to the input.
STEM_BANDS: Mapping[int, Mapping[str, tuple[float, float]]] = {
    2: {"vocals": (250.0, 3400.0), "accompaniment": (0.0, 0.0)},
    4: {"bass": (0.0, 250.0), "vocals": (250.0, 3400.0), "other": (3400.0, 5000.0), "drums": (5000.0, 1e9)},
    5: {"bass": (0.0, 250.0), "vocals": (250.0, 3400.0), "piano": (3400.0, 4200.0), "other": (4200.0, 5000.0),
        "drums": (5000.0, 1e9)},
    6: {"bass": (0.0, 250.0), "vocals": (250.0, 3400.0), "guitar": (3400.0, 3800.0), "piano": (3800.0, 4400.0),
        "other": (4400.0, 5000.0), "drums": (5000.0, 1e9)},
}


def separate(clip: Clip, stems: int) -> dict[str, Clip]:
    """`stems` clips that sum to `clip`; a (0, 0) band is "everything the other stems left"."""
    spectrum = _stft(clip.samples)
    freqs = _freqs(clip.sample_rate)
    taken = np.zeros(freqs.shape, np.float32)
    masks: dict[str, Floats] = {}
    for name, (low, high) in STEM_BANDS[stems].items():
        if high > 0:
            masks[name] = ((freqs >= low) & (freqs < high)).astype(np.float32)
            taken += masks[name]
    for name, (_, high) in STEM_BANDS[stems].items():
        if high == 0:
            masks[name] = 1.0 - taken
    return {name: Clip(_istft(spectrum * mask[None, :], len(clip.samples)), clip.sample_rate)
            for name, mask in masks.items()}


NOTES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
# Camelot wheel numbers by tonic pitch class.
_CAMELOT_MAJOR = (8, 3, 10, 5, 12, 7, 2, 9, 4, 11, 6, 1)
_CAMELOT_MINOR = (5, 12, 7, 2, 9, 4, 11, 6, 1, 8, 3, 10)


def analyze(clip: Clip) -> dict[str, object]:
    """The Key & BPM finder's documented fields."""
    spectrum = np.abs(_stft(clip.samples))
    freqs = _freqs(clip.sample_rate)
    audible = (freqs >= 55.0) & (freqs <= 5000.0)
    classes = np.round(12 * np.log2(freqs[audible] / 261.63)).astype(int) % 12
    energy = (spectrum[:, audible] ** 2).sum(axis=0)
    chroma = np.bincount(classes, weights=energy, minlength=12)
    best = (-2.0, 0, "Major")
    for tonic in range(12):
        for scale, profile in (("Major", _MAJOR), ("Minor", _MINOR)):
            score = float(np.corrcoef(chroma, np.roll(profile, tonic))[0, 1]) if chroma.any() else 0.0
            if score > best[0]:
                best = (score, tonic, scale)
    _, tonic, scale = best
    if scale == "Major":
        camelot = f"{_CAMELOT_MAJOR[tonic]}B"
        compatible = [f"{NOTES[tonic]} Major", f"{NOTES[(tonic + 7) % 12]} Major",
                      f"{NOTES[(tonic + 5) % 12]} Major", f"{NOTES[(tonic + 9) % 12]} Minor"]
    else:
        camelot = f"{_CAMELOT_MINOR[tonic]}A"
        compatible = [f"{NOTES[tonic]} Minor", f"{NOTES[(tonic + 7) % 12]} Minor",
                      f"{NOTES[(tonic + 5) % 12]} Minor", f"{NOTES[(tonic + 3) % 12]} Major"]
    return {"key": NOTES[tonic], "scale": scale, "bpm": tempo(spectrum, clip.sample_rate), "time_signature": "4/4",
            "camelot": camelot, "compatible_keys": compatible}


def tempo(magnitude: npt.NDArray[np.float32], rate: int) -> float:
    """Beats per minute from the onset envelope's strongest period in 60-180 BPM (120 when flat)."""
    flux = np.maximum(np.diff(magnitude, axis=0), 0.0).sum(axis=1)
    if len(flux) < 4 or not flux.any():
        return 120.0
    flux = flux - flux.mean()
    frames_per_s = rate / HOP
    lags = np.arange(max(1, int(frames_per_s * 60 / 180)), int(frames_per_s * 60 / 60) + 1)
    lags = lags[lags < len(flux)]
    if not len(lags):
        return 120.0
    scores = [float(np.dot(flux[:-lag], flux[lag:])) for lag in lags]
    return round(60.0 * frames_per_s / float(lags[int(np.argmax(scores))]), 1)


def mp3_compression(kbps: int) -> float:
    """libsndfile's MPEG compression level for a constant bitrate.

    libsndfile aims at 320 - 288 x level kbps and rounds down to a standard bitrate, so the level is
    taken a little below the exact one (measured with libsndfile 1.2.2: 64, 128, 192, 256, 320 exactly).
    """
    return max(0.0, round((320.0 - kbps) / 288.0 - 0.005, 4))


OPUS_RATES = (8000, 12000, 16000, 24000, 48000)


def convert(clip: Clip, fmt: str, *, sample_rate: int | None, stereo: bool, bitrate: int | None) -> bytes:
    """`clip` re-encoded: WAV/FLAC as 16-bit PCM, OGG as Vorbis, opus as Ogg/Opus, MP3 at `bitrate` kbps when given."""
    samples = clip.samples
    rate = sample_rate or clip.sample_rate
    if fmt == "opus" and rate not in OPUS_RATES:
        rate = 48000
    if rate != clip.sample_rate:
        samples = soxr.resample(samples, clip.sample_rate, rate).astype(np.float32)
    data = np.clip(np.stack([samples, samples], axis=1) if stereo else samples, -1.0, 1.0)
    container, subtype = {"wav": ("WAV", "PCM_16"), "flac": ("FLAC", "PCM_16"), "ogg": ("OGG", "VORBIS"),
                          "opus": ("OGG", "OPUS"), "mp3": ("MP3", "MPEG_LAYER_III")}[fmt]
    options: dict[str, object] = {}
    if fmt == "mp3" and bitrate is not None:
        options = {"bitrate_mode": "CONSTANT", "compression_level": mp3_compression(bitrate)}
    buffer = io.BytesIO()
    sf.write(buffer, data, rate, format=container, subtype=subtype, **options)
    return buffer.getvalue()
