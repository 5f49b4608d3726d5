"""What every ASR backend offers the scorer: 16 kHz mono in, text out, and an identity for the cache.

A transcript is only reusable when the audio, the backend, the model *and* the decoding settings are the
same, so each backend names its model (``model_id``) and the settings that change its output
(``settings_key``); batch size and thread count do not change output and are left out of the key.
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


@dataclass(frozen=True, slots=True)
class DecodingSettings:
    """Whisper decoding settings shared by both backends, so their transcripts can be compared.

    Beam search of 5 at temperature 0, without timestamps and without conditioning on earlier text: the
    deterministic setting Whisper's own evaluations use. ``compute_type`` and ``window_s`` apply to
    faster-whisper only. ``window_s`` below 30 is a speed option: clips no longer than half of it are
    encoded in that window rather than the 30 s Whisper was trained on (the encoder's cost falls about in
    proportion; 10 s gave the same transcripts as openai-whisper on en_read at 5.9x its speed). It is part
    of the cache key and of every score row's ``asr_settings``; ``benchmarks/perf/asr_throughput.py``
    measures what it changes.
    """

    beam_size: int = 5
    temperature: float = 0.0
    compute_type: str = "int8"
    window_s: float = WINDOW_S
    batch_size: int = 8
    cpu_threads: int = 2

    def __post_init__(self) -> None:
        if not 1.0 <= self.window_s <= WINDOW_S:
            raise ValueError(f"window_s must be within [1, {WINDOW_S:g}] seconds, got {self.window_s!r}")
        if self.beam_size < 1 or self.batch_size < 1 or self.cpu_threads < 1:
            raise ValueError("beam_size, batch_size and cpu_threads must be at least 1")

    def key(self, backend: AsrBackendName) -> str:
        """The settings that change a transcript, as canonical JSON (part of the cache key)."""
        fields: dict[str, object] = {"beam_size": self.beam_size, "temperature": self.temperature}
        if backend is AsrBackendName.FASTER_WHISPER:
            fields["compute_type"] = self.compute_type
            fields["window_s"] = self.window_s
        return json.dumps(fields, sort_keys=True)


class AsrBackend(Protocol):
    """A loaded-on-demand Whisper implementation."""

    @property
    def name(self) -> AsrBackendName: ...

    @property
    def model_id(self) -> str:
        """A stable name of the model weights (the shipped name, or path name plus content hash)."""
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


def cache_root() -> Path:
    """Where converted and assembled models live: ``$TTS_HARNESS_CACHE`` or ``~/.cache/tts-harness``."""
    configured = os.environ.get("TTS_HARNESS_CACHE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "tts-harness"


def english_only(model_name: str) -> bool:
    """Whisper's English-only checkpoints are named ``*.en``."""
    return model_name.removesuffix(".pt").endswith(".en")
