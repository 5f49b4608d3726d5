"""`SpeechEngine`: text + rendition -> deterministic audio, cached, safe to share between threads.

The sandbox renders the same few sentences over and over (every test, every benchmark repetition), so
renders are memoised in a bounded LRU keyed by (text, rendition). Synthesis itself is serialised by one
lock: Piper's phonemiser is not thread-safe, and on the project's 2-core machines parallel renders would
only compete for the same cores that onnxruntime already uses.

Pitch shift without a phase vocoder: the engine speaks r = 2**(semitones/12) times slower, and the
result is resampled as if recorded at r times the native rate, which plays it r times faster and exactly
r times higher. It costs one soxr call and leaves no vocoder artefacts. The duration is kept only
roughly (measured within ~12% for +-6 semitones): Piper's duration is not proportional to length_scale
(each phoneme rounds up to whole 256-sample frames), espeak-ng's nearly is.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import NamedTuple, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
import soxr

from ._degraded import DegradedPiperBackend
from ._errors import EmptyTextError, EngineUnavailableError
from ._espeak import EspeakBackend, espeak_paths
from ._kokoro import KokoroBackend, kokoro_unavailable
from ._piper import RECENT_RENDERS, PiperBackend
from ._types import Clip, Engine, Rendition
from ._words import WordTime, scaled

#: Peak level of every rendered clip (-1 dBFS): equal loudness across engines, and headroom so lossy
#: codecs and resampling do not clip.
PEAK_LEVEL = 10 ** (-1 / 20)
DEFAULT_CACHE_SIZE = 128
#: Engines whose package may be missing where Piper is not (espeak-ng: `espeakng-loader`, in the `sandbox` extra;
#: Kokoro: the `voice-kokoro` extra); a model speaking with one is skipped, in one line, where it is missing.
OPTIONAL_ENGINES = frozenset({Engine.ESPEAK, Engine.KOKORO})

log = logging.getLogger("harness.speech")
_reported_missing: set[Engine] = set()
_reported_lock = threading.Lock()


def report_missing_engine(engine: Engine, error: EngineUnavailableError) -> bool:
    """Say once per process, in one line, that an optional engine is missing; True the first time."""
    with _reported_lock:
        if engine in _reported_missing:
            return False
        _reported_missing.add(engine)
    log.warning("%s; models that speak with it are skipped", error)
    return True


def unavailable_reason(engine: Engine) -> str | None:
    """Why `engine` cannot run on this machine (what to install), or None when it can."""
    if engine is Engine.ESPEAK:
        try:
            espeak_paths()
        except EngineUnavailableError as error:
            return str(error)
    if engine is Engine.KOKORO and (missing := kokoro_unavailable()):
        return str(EngineUnavailableError("kokoro", missing))
    return None


class Backend(Protocol):
    def synthesize(self, text: str, voice: str, length_scale: float) -> tuple[npt.NDArray[np.float32], int]:
        """Samples at the engine's native rate, and that rate."""
        ...


@runtime_checkable
class TimedBackend(Protocol):
    """A backend whose voice tells where it says each word (its phoneme durations)."""

    def synthesize_timed(
        self, text: str, voice: str, length_scale: float
    ) -> tuple[npt.NDArray[np.float32], int, tuple[WordTime, ...]]: ...


class CacheInfo(NamedTuple):
    """Counts of the render cache, shaped like functools' CacheInfo."""

    hits: int
    misses: int
    maxsize: int
    currsize: int


def _normalise_peak(samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    if peak < 1e-8:
        return samples.astype(np.float32, copy=False)
    return (samples * (PEAK_LEVEL / peak)).astype(np.float32)


class SpeechEngine:
    """Renders text with a `Rendition`. Share one per process (see `default_engine`)."""

    def __init__(
        self,
        cache_size: int = DEFAULT_CACHE_SIZE,
        *,
        piper: PiperBackend | None = None,
        espeak: Backend | None = None,
        kokoro: Backend | None = None,
    ) -> None:
        if cache_size < 0:
            raise ValueError(f"cache_size must be >= 0 (0 disables caching), got {cache_size}")
        # An engine without a cache renders every time, down to the voice (its backend keeps no recent renders).
        self._piper = piper or PiperBackend(recent=RECENT_RENDERS if cache_size else 0)
        self._backends: dict[Engine, Backend] = {
            Engine.PIPER: self._piper,
            Engine.PIPER_DEGRADED: DegradedPiperBackend(self._piper),
            Engine.ESPEAK: espeak or EspeakBackend(),
            Engine.KOKORO: kokoro or KokoroBackend(),
        }
        self._cache: OrderedDict[tuple[str, Rendition], Clip] = OrderedDict()
        self._cache_size = cache_size
        self._hits = 0
        self._misses = 0
        self._cache_lock = threading.Lock()
        self._synth_lock = threading.Lock()
        self._waits = threading.local()  # this thread's last wait for the synthesis lock (`last_wait_s`)

    def warm_up(self, voice: str = "joe") -> None:
        """Load the Piper voice now (servers call this at start-up so the first request is not slow)."""
        self._piper.load(voice)

    def render(self, text: str, rendition: Rendition | None = None) -> Clip:
        """Speak `text`; identical (text, rendition) gives identical samples, from cache after the first."""
        if not isinstance(text, str) or not text.strip():
            raise EmptyTextError(f"text to speak must be a non-empty string, got {text!r}")
        rendition = rendition or Rendition()
        key = (text, rendition)
        self._waits.seconds = 0.0
        cached = self._lookup(key)
        if cached is not None:
            return cached
        asked = time.perf_counter()
        with self._synth_lock:
            self._waits.seconds = time.perf_counter() - asked
            # Another thread may have rendered the same key while this one waited for the lock.
            cached = self._lookup(key)
            if cached is not None:
                return cached
            clip = self._synthesize(text, rendition)
            # Stored before the synthesis lock is released, so a thread waiting for it finds the clip.
            with self._cache_lock:
                self._misses += 1
                if self._cache_size:
                    self._cache[key] = clip
                    while len(self._cache) > self._cache_size:
                        self._cache.popitem(last=False)
        return clip

    def render_script(
        self,
        lines: Sequence[tuple[int, str]],
        renditions: Sequence[Rendition],
        pause_s: float = 0.25,
    ) -> Clip:
        """A multi-speaker dialogue: line (speaker, text) is spoken by renditions[speaker], with pauses."""
        if not lines:
            raise EmptyTextError("a script needs at least one (speaker, text) line, got none")
        if not renditions:
            raise ValueError("a script needs at least one rendition (one per speaker), got none")
        if pause_s < 0:
            raise ValueError(f"pause_s must be >= 0, got {pause_s!r}")
        rates = {r.sample_rate for r in renditions}
        if len(rates) != 1:
            raise ValueError(f"all speakers of a script must share one sample_rate, got {sorted(rates)}")
        rate = rates.pop()
        pause = np.zeros(round(pause_s * rate), dtype=np.float32)
        parts: list[npt.NDArray[np.float32]] = []
        for index, (speaker, text) in enumerate(lines):
            if not 0 <= speaker < len(renditions):
                raise ValueError(
                    f"script line {index} names speaker {speaker}; valid speakers: 0..{len(renditions) - 1}"
                )
            if parts:
                parts.append(pause)
            parts.append(self.render(text, renditions[speaker]).samples)
        return Clip(np.concatenate(parts), rate)

    def last_wait_s(self) -> float:
        """How long this thread's last `render` waited for another render to finish (renders take turns): the
        sandbox's render queue counts it (`harness.sandbox.job_audio.RenderQueue`)."""
        return float(getattr(self._waits, "seconds", 0.0))

    def cache_info(self) -> CacheInfo:
        with self._cache_lock:
            return CacheInfo(self._hits, self._misses, self._cache_size, len(self._cache))

    def cache_clear(self) -> None:
        with self._cache_lock:
            self._cache.clear()
            self._hits = self._misses = 0

    def _lookup(self, key: tuple[str, Rendition]) -> Clip | None:
        with self._cache_lock:
            clip = self._cache.get(key)
            if clip is not None:
                self._hits += 1
                self._cache.move_to_end(key)
            return clip

    def _synthesize(self, text: str, rendition: Rendition) -> Clip:
        ratio = 2.0 ** (rendition.pitch_shift / 12.0)
        backend = self._backends[rendition.engine]
        words: tuple[WordTime, ...] = ()
        scale = rendition.length_scale * ratio
        try:
            if isinstance(backend, TimedBackend):
                raw, native_rate, words = backend.synthesize_timed(text, rendition.voice, scale)
            else:
                raw, native_rate = backend.synthesize(text, rendition.voice, scale)
        except EngineUnavailableError as error:
            if rendition.engine in OPTIONAL_ENGINES:
                report_missing_engine(rendition.engine, error)
            raise
        # Declaring the slowed samples recorded at `ratio` times their rate plays them `ratio` times faster
        # and higher: exact pitch, and the speaking rate of the unshifted rendition (roughly, see module doc).
        source_rate = native_rate * ratio
        if source_rate != rendition.sample_rate:
            raw = soxr.resample(raw, source_rate, rendition.sample_rate).astype(np.float32, copy=False)
        # Played `ratio` times faster: every word is said at 1/ratio of its time in the render.
        words = scaled(words, 1.0 / ratio, len(raw) / rendition.sample_rate) if ratio != 1.0 else words
        return Clip(_normalise_peak(raw), rendition.sample_rate, words)


_default: SpeechEngine | None = None
_default_lock = threading.Lock()


def default_engine() -> SpeechEngine:
    """The process-wide engine, so every part of the harness shares one loaded voice and one cache."""
    global _default
    with _default_lock:
        if _default is None:
            _default = SpeechEngine()
        return _default
