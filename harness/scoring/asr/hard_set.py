"""A harder ASR evaluation set than clean Piper speech, generated reproducibly from a corpus and a seed.

Clean speech from one voice flatters an ASR speed-up: a cheaper decode that loses accuracy only on
difficult audio would look free. So a speed setting is judged on every sentence of a corpus read by each
of the sandbox's voices (one rendition per ``harness.speech.Engine``: the natural voice and the
deliberately worse one), each in four conditions:

- ``clean``: as rendered;
- ``snr20`` and ``snr10``: pink noise added at 20 dB and 10 dB signal-to-noise ratio (noise drawn from a
  generator seeded by ``seed`` and the clip's index, so every run builds the same samples);
- ``speed1.25``: played 1.25 times faster (resampled, so pitch rises too: Kaldi-style speed perturbation).

Clips come out at 16 kHz, ready for any backend. ``benchmarks/perf/asr_throughput.py`` uses this set;
``docs/scale.md`` shows how to build it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from harness.scoring.asr.base import SAMPLE_RATE
from harness.scoring.audio import FloatArray

SNR_LEVELS_DB = (20.0, 10.0)
SPEED_FACTOR = 1.25
DEFAULT_SEED = 14
CONDITIONS = ("clean", *(f"snr{level:g}" for level in SNR_LEVELS_DB), f"speed{SPEED_FACTOR:g}")


@dataclass(frozen=True, slots=True)
class HardClip:
    """One clip of the set: the text read, who read it, under which condition, and 16 kHz samples."""

    item_id: str
    text: str
    voice: str
    condition: str
    samples: FloatArray

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def corpus_items(path: Path, count: int | None = None) -> list[tuple[str, str]]:
    """(id, text) of the first ``count`` items of a corpus JSON file (all when ``count`` is None)."""
    items = json.loads(path.read_text(encoding="utf-8"))["items"]
    return [(str(item["id"]), str(item["text"])) for item in items[:count]]


def pink_noise(length: int, rng: np.random.Generator) -> FloatArray:
    """Noise with power falling as 1/f (shaped in the frequency domain), unit RMS."""
    spectrum = np.fft.rfft(rng.standard_normal(length))
    frequencies = np.arange(len(spectrum), dtype=np.float64)
    frequencies[0] = 1.0
    noise = np.fft.irfft(spectrum / np.sqrt(frequencies), n=length)
    rms = float(np.sqrt(np.mean(noise**2))) or 1.0
    return (noise / rms).astype(np.float32)


def with_noise(samples: FloatArray, snr_db: float, rng: np.random.Generator) -> FloatArray:
    """``samples`` plus pink noise scaled to ``snr_db`` below the speech's RMS, clipped to [-1, 1]."""
    signal_rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    noise = pink_noise(len(samples), rng) * signal_rms / 10 ** (snr_db / 20)
    return np.clip(samples + noise, -1.0, 1.0).astype(np.float32)


def sped_up(samples: FloatArray, factor: float) -> FloatArray:
    """Play ``factor`` times faster: resample to fewer samples and keep the rate."""
    import soxr

    return np.asarray(soxr.resample(samples, SAMPLE_RATE, SAMPLE_RATE / factor), dtype=np.float32)


def conditions_of(samples: FloatArray, rng: np.random.Generator) -> list[tuple[str, FloatArray]]:
    """The four conditions of one clean clip, in ``CONDITIONS`` order."""
    noisy = [(f"snr{level:g}", with_noise(samples, level, rng)) for level in SNR_LEVELS_DB]
    return [("clean", samples), *noisy, (f"speed{SPEED_FACTOR:g}", sped_up(samples, SPEED_FACTOR))]


@dataclass(frozen=True, slots=True)
class HardSet:
    """The clips, and the sandbox voices that could not speak on this machine (with the reason)."""

    clips: list[HardClip]
    unavailable_voices: dict[str, str]

    @property
    def voices(self) -> list[str]:
        return sorted({clip.voice for clip in self.clips})


def build_hard_set(
    items: Sequence[tuple[str, str]], seed: int = DEFAULT_SEED, voices: Sequence[str] | None = None
) -> HardSet:
    """Every item read by every sandbox voice (or the `voices` named), in every condition
    (``len(items) * voices * 4`` clips).

    A voice whose engine is missing here is left out and named in ``unavailable_voices``, so a figure
    never silently covers fewer voices than it says. A voice's noise is the same whichever others are read.
    """
    from harness.speech import Engine, EngineUnavailableError, Rendition, default_engine

    unknown = sorted(set(voices or ()) - {voice.value for voice in Engine})
    if unknown:
        raise ValueError(f"unknown voices {unknown}; valid voices: {', '.join(voice.value for voice in Engine)}")
    engine = default_engine()
    clips: list[HardClip] = []
    unavailable: dict[str, str] = {}
    for voice_index, voice in enumerate(Engine):
        if voices is not None and voice.value not in voices:
            continue
        rendition = Rendition(engine=voice)
        for index, (item_id, text) in enumerate(items):
            try:
                rendered = engine.render(text, rendition).resampled(SAMPLE_RATE)
            except EngineUnavailableError as exc:
                unavailable[voice.value] = str(exc)
                break
            clean = np.array(rendered.samples, dtype=np.float32)
            # One generator per (voice, item): adding items or voices leaves the others' noise unchanged.
            rng = np.random.default_rng([seed, index, voice_index])
            for condition, samples in conditions_of(clean, rng):
                clips.append(HardClip(item_id, text, voice.value, condition, samples))
    return HardSet(clips, unavailable)
