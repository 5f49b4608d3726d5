"""The value types of the speech engine: which engine and settings a "model" speaks with, and audio.

A hosted provider's models differ in how they sound; the sandbox imitates that with `Rendition`s, one
per emulated model, so tests can check that choosing another model really changes the audio.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import soxr

from ._words import WordTime

#: Bounds that keep every engine inside the range it renders sensibly (espeak-ng clamps beyond them).
LENGTH_SCALE_RANGE = (0.4, 2.0)
PITCH_SHIFT_RANGE = (-12.0, 12.0)
SAMPLE_RATE_RANGE = (8000, 48000)


class Engine(StrEnum):
    """A speech synthesiser. PIPER is the natural neural voice; PIPER_DEGRADED the same voice made
    deliberately worse (hurried, telephone band, hiss: harness.speech._degraded); ESPEAK the robotic
    espeak-ng, its library from a pip package (`espeakng-loader`), and the voice of every language but English;
    KOKORO a second natural neural voice, unlike Piper's (Kokoro-82M, the `voice-kokoro` extra: English only here)."""

    PIPER = "piper"
    PIPER_DEGRADED = "piper-degraded"
    ESPEAK = "espeak"
    KOKORO = "kokoro"

    @classmethod
    def parse(cls, value: str) -> Engine:
        try:
            return cls(value)
        except ValueError:
            valid = ", ".join(e.value for e in cls)
            raise ValueError(f"unknown speech engine {value!r}; valid engines: {valid}") from None


#: The voice each engine uses when a rendition names none.
DEFAULT_VOICES: dict[Engine, str] = {
    Engine.PIPER: "joe",
    Engine.PIPER_DEGRADED: "joe",
    Engine.ESPEAK: "en-us",
    Engine.KOKORO: "jm_kumo",
}


def _check_range(name: str, value: float, bounds: tuple[float, float]) -> None:
    low, high = bounds
    if not low <= value <= high:
        raise ValueError(f"{name} must be within [{low}, {high}], got {value!r}")


@dataclass(frozen=True, slots=True)
class Rendition:
    """How one emulated model sounds. Hashable: it is half of the render cache key.

    `length_scale` is the speaking-rate factor (> 1 is slower): Piper's phoneme length scale, and
    175 / length_scale words per minute for espeak-ng. `pitch_shift` is in semitones (exact) and keeps
    the duration roughly (see harness.speech._engine). An empty `voice` means the engine's default
    voice ("joe" for both Piper engines, "en-us" for espeak-ng); it is replaced by that name so equal renditions
    compare equal.
    """

    engine: Engine = Engine.PIPER
    length_scale: float = 1.0
    sample_rate: int = 22050
    pitch_shift: float = 0.0
    voice: str = ""

    def __post_init__(self) -> None:
        # Frozen: normalise through object.__setattr__ so "piper" and Engine.PIPER give one cache key.
        object.__setattr__(self, "engine", Engine.parse(self.engine))
        object.__setattr__(self, "length_scale", float(self.length_scale))
        object.__setattr__(self, "pitch_shift", float(self.pitch_shift))
        if isinstance(self.sample_rate, bool) or not isinstance(self.sample_rate, int | np.integer):
            raise ValueError(f"sample_rate must be an integer number of Hz, got {self.sample_rate!r}")
        object.__setattr__(self, "sample_rate", int(self.sample_rate))
        if not self.voice:
            object.__setattr__(self, "voice", DEFAULT_VOICES[self.engine])
        _check_range("length_scale", self.length_scale, LENGTH_SCALE_RANGE)
        _check_range("pitch_shift (semitones)", self.pitch_shift, PITCH_SHIFT_RANGE)
        _check_range("sample_rate", self.sample_rate, SAMPLE_RATE_RANGE)


@dataclass(frozen=True, slots=True, eq=False)
class Clip:
    """Mono float32 audio in [-1, 1]. The array is read-only because clips are shared from the cache. `words`: where
    each written word of the rendered text is said, where the voice tells (Piper, Kokoro); () where it does not."""

    samples: npt.NDArray[np.float32]
    sample_rate: int
    words: tuple[WordTime, ...] = ()

    def __post_init__(self) -> None:
        samples = np.asarray(self.samples)
        if samples.ndim != 1:
            raise ValueError(f"Clip samples must be mono (1-D), got shape {samples.shape}")
        if self.sample_rate <= 0:
            raise ValueError(f"Clip sample_rate must be positive, got {self.sample_rate!r}")
        samples = np.ascontiguousarray(samples, dtype=np.float32)
        if samples is self.samples:
            samples = samples.view()  # a read-only view, so the caller's own array stays writable
        samples.flags.writeable = False
        object.__setattr__(self, "samples", samples)

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate

    @property
    def peak(self) -> float:
        return float(np.max(np.abs(self.samples))) if len(self.samples) else 0.0

    def resampled(self, sample_rate: int) -> Clip:
        """The same audio at another rate (e.g. 16 kHz for ASR and speaker encoders), via soxr."""
        if sample_rate == self.sample_rate:
            return self
        return Clip(
            soxr.resample(self.samples, self.sample_rate, sample_rate).astype(np.float32), sample_rate, self.words
        )
