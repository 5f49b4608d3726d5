"""ASR backends behind one interface: faster-whisper (default) and openai-whisper.

Backends import their libraries only when a model is first used, so importing ``harness.scoring`` stays
cheap and works without the heavy extras.
"""

from __future__ import annotations

from harness.scoring.asr.base import (
    DEFAULT_MODEL,
    SAMPLE_RATE,
    AsrBackend,
    AsrBackendName,
    DecodingSettings,
)


def make_backend(
    name: AsrBackendName, model: str = DEFAULT_MODEL, decoding: DecodingSettings | None = None
) -> AsrBackend:
    """Build (without loading) the backend ``name`` for ``model``."""
    if name is AsrBackendName.FASTER_WHISPER:
        from harness.scoring.asr.faster import FasterWhisperBackend

        return FasterWhisperBackend(model, decoding)
    from harness.scoring.asr.openai_whisper import OpenAIWhisperBackend

    return OpenAIWhisperBackend(model, decoding)


__all__ = ["DEFAULT_MODEL", "SAMPLE_RATE", "AsrBackend", "AsrBackendName", "DecodingSettings", "make_backend"]
