"""What every ASR backend offers the scorer: 16 kHz mono in, text out, and an identity for the cache.

A transcript is only reusable when the audio, the backend, the model *and* the decoding settings are the
same, so each backend names its model (``model_id``) and the settings that change its output
(``settings_key``); batch size and thread count do not change output and are left out of the key (the
features are computed on one BLAS thread wherever they run: harness.scoring.blas).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from harness.scoring.audio import FloatArray

SAMPLE_RATE = 16_000
# Whisper decodes 30 s windows; longer clips take the sequential long-form path.
WINDOW_S = 30.0
# Encoder windows a short clip is fitted into, shortest first (see ``DecodingSettings``).
ADAPTIVE_WINDOWS = (10.0, 20.0, WINDOW_S)
# A clip fills at most this share of a shortened window: nearer the window's end Whisper starts to loop.
WINDOW_FILL = 0.5
DEFAULT_MODEL = "tiny.en"


class AsrBackendName(StrEnum):
    """The ASR libraries the scorer can use."""

    FASTER_WHISPER = "faster-whisper"
    OPENAI_WHISPER = "openai-whisper"

    @classmethod
    def parse(cls, value: str) -> AsrBackendName:
        try:
            return cls(value)
        except ValueError:
            valid = ", ".join(member.value for member in cls)
            raise ValueError(f"unknown ASR backend {value!r}; valid backends: {valid}") from None


@dataclass(frozen=True, slots=True, kw_only=True)
class DecodingSettings:
    """Whisper decoding settings shared by both backends, so their transcripts can be compared.

    Beam search of 5 at temperature 0, without timestamps and without conditioning on earlier text: the
    deterministic setting Whisper's own evaluations use. ``compute_type`` and ``windows`` apply to
    faster-whisper only.

    ``windows`` is the adaptive encoder window: each clip is encoded in the shortest window that it fills
    to at most ``WINDOW_FILL`` (10 s for clips up to 5 s, 20 s up to 10 s, Whisper's own 30 s beyond).
    The encoder's cost falls about in proportion to the window, and most clips of a TTS benchmark are
    shorter than 10 s; ``benchmarks/perf/asr_throughput.py`` measures speed and WER against openai-whisper
    on a noisy, two-voice set. ``fixed_window(10)`` gives the older opt-in (one short window, else 30 s);
    ``windows=(30.0,)`` is plain Whisper. The windows are part of the cache key and of every score row's
    ``asr_settings``.
    """

    beam_size: int = 5
    temperature: float = 0.0
    compute_type: str = "int8"
    windows: tuple[float, ...] = ADAPTIVE_WINDOWS
    batch_size: int = 8
    cpu_threads: int = 2
    # Replicas of the model (CTranslate2's inter_threads), each on `cpu_threads` threads: calls from that many Python
    # threads run at once (the hard-text judge's listeners). Changes no transcript (not in the key).
    replicas: int = 1
    # Spoken-form decoding: no token holding a digit or a symbol ($ % @ / : ...), so "1984" read digit by
    # digit comes back "one nine eight four", not "1984" (harness.scoring.asr.spoken_form; the hard-text scorer).
    spoken_form: bool = False

    def __post_init__(self) -> None:
        windows = tuple(sorted({float(window) for window in self.windows} | {WINDOW_S}))
        if not all(1.0 <= window <= WINDOW_S for window in windows):
            raise ValueError(f"windows must lie within [1, {WINDOW_S:g}] seconds, got {self.windows!r}")
        object.__setattr__(self, "windows", windows)
        if self.beam_size < 1 or self.batch_size < 1 or self.cpu_threads < 1 or self.replicas < 1:
            raise ValueError("beam_size, batch_size, cpu_threads and replicas must be at least 1")

    @classmethod
    def fixed_window(cls, window_s: float) -> DecodingSettings:
        """One shortened window (clips up to half of it) and Whisper's 30 s for the rest."""
        return cls(windows=(window_s,))

    def window_for(self, duration_s: float) -> float:
        """The encoder window for a clip of ``duration_s``: the shortest it fills to at most WINDOW_FILL."""
        for window in self.windows[:-1]:
            if duration_s <= window * WINDOW_FILL:
                return window
        return WINDOW_S

    def key(self, backend: AsrBackendName) -> str:
        """The settings that change a transcript, as canonical JSON (part of the cache key)."""
        fields: dict[str, object] = {"beam_size": self.beam_size, "temperature": self.temperature}
        if backend is AsrBackendName.FASTER_WHISPER:
            fields["compute_type"] = self.compute_type
            fields["windows"] = list(self.windows)
            fields["window_fill"] = WINDOW_FILL
        if self.spoken_form:  # only when set, so every written-form transcript keeps its cache key
            fields["spoken_form"] = True
        return json.dumps(fields, sort_keys=True)


@dataclass(frozen=True, slots=True)
class Transcript:
    """A clip's transcript and, where asked of a multilingual model, the language it heard in the clip: Whisper's own
    language identification on the clip's encoding (the most likely language token and its probability), never used
    to pick the transcription's language, which the corpus gives."""

    text: str
    heard_language: str | None = None  # an ISO 639-1 code as Whisper names it ("es"); None: not asked, or English-only
    heard_probability: float | None = None


class AsrBackend(Protocol):
    """A loaded-on-demand Whisper implementation."""

    @property
    def name(self) -> AsrBackendName: ...

    @property
    def model_id(self) -> str:
        """The model's content id: its name plus a hash of its weights (``large-v3#1a2b3c4d5e6f``)."""
        ...

    @property
    def spec(self) -> str:
        """The model as it was asked for (a name, folder or checkpoint), to build the same backend elsewhere."""
        ...

    @property
    def settings(self) -> DecodingSettings: ...

    def supports_language(self, language: str) -> bool:
        """Whether the model can transcribe this language (English-only models say no to others)."""
        ...

    def load(self) -> None:
        """Load the model now (it otherwise loads on first use)."""
        ...

    def transcribe(self, audio: Sequence[FloatArray], language: str) -> list[str]:
        """Transcribe 16 kHz mono clips of one language, in order."""
        ...

    def transcribe_heard(self, audio: Sequence[FloatArray], language: str) -> list[Transcript]:
        """Transcribe as ``transcribe`` does, each clip with the language the model hears in it (multilingual models;
        an English-only one hears nothing: ``heard_language`` None)."""
        ...


def cache_root() -> Path:
    """Where converted and assembled models live: ``$TTS_HARNESS_CACHE`` or ``~/.cache/tts-harness``."""
    configured = os.environ.get("TTS_HARNESS_CACHE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "tts-harness"


def english_only(model_name: str) -> bool:
    """Whisper's English-only checkpoints are named ``*.en``."""
    return model_name.removesuffix(".pt").endswith(".en")
