"""The TTS.ai models the benchmark drives, and how a benchmark input becomes each one's request.

One model per price tier on the queued TTS job (piper free, kokoro standard, chatterbox premium) and
chatterbox cloning from an uploaded reference. /v1/tts/ requires a voice: the document names only
kokoro's `af_bella`; the piper and chatterbox voice ids are not given, so `DEFAULT_VOICES` holds
guesses in each engine's own naming (one place to change once /v1/voices/ has been read live).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, get_args

from harness.core.spec import Offering, SynthesisInput
from harness.providers.ttsai.endpoints.speech import CLONE, STREAM, TTS
from harness.providers.ttsai.models.shared import MAX_TEXT_CHARS, CloneFormat, TtsFormat

DEFAULT_VOICES: Mapping[str, str] = {
    "kokoro": "af_bella",  # the document's voice
    "piper": "en_US-lessac-medium",  # inferred: piper's locale-name-quality naming
    "chatterbox": "default",  # inferred: chatterbox speaks in a built-in voice unless cloning
}


def _format(wanted: str, allowed: tuple[str, ...]) -> str:
    """The benchmark's format when the endpoint offers it; WAV (lossless, offered by all) otherwise."""
    return wanted if wanted in allowed else "wav"


def _tts_builder(model: str) -> Callable[[SynthesisInput], dict[str, Any]]:
    def build(given: SynthesisInput) -> dict[str, Any]:
        return {
            "model": model,
            "text": given.text,
            "voice": DEFAULT_VOICES[model],
            "format": _format(given.audio_format, get_args(TtsFormat)),
            "language": given.language,
        }

    return build


def _build_stream(given: SynthesisInput) -> dict[str, Any]:
    # WAV chunks: an MP3 decoder's priming samples would move where speech is heard to begin.
    return {
        "model": "kokoro",
        "text": given.text,
        "voice": DEFAULT_VOICES["kokoro"],
        "format": "wav",
        "language": given.language,
    }


def _build_clone(given: SynthesisInput) -> dict[str, Any]:
    body: dict[str, Any] = {
        "text": given.text,
        "model": "chatterbox",
        "format": _format(given.audio_format, get_args(CloneFormat)),
        "language": given.language,
    }
    if given.reference_audio is not None:
        body["reference_audio"] = given.reference_audio
    return body


OFFERINGS = (
    Offering(
        name="kokoro",
        endpoint=TTS.key,
        build=_tts_builder("kokoro"),
        max_chars=MAX_TEXT_CHARS,
        description="Kokoro (standard tier, 2,000 characters per 1,000) on the queued TTS job",
    ),
    Offering(
        name="piper",
        endpoint=TTS.key,
        build=_tts_builder("piper"),
        max_chars=MAX_TEXT_CHARS,
        description="Piper (free tier, 1,000 characters per 1,000; usable without a key)",
    ),
    Offering(
        name="chatterbox",
        endpoint=TTS.key,
        build=_tts_builder("chatterbox"),
        max_chars=MAX_TEXT_CHARS,
        description="Chatterbox (premium tier, 4,000 characters per 1,000) on the queued TTS job",
    ),
    Offering(
        name="kokoro-stream",
        endpoint=STREAM.key,
        build=_build_stream,
        max_chars=MAX_TEXT_CHARS,
        description="Kokoro over the SSE stream (POST /v1/tts/stream/): time to first audio, no polling",
    ),
    Offering(
        name="clone-chatterbox",
        endpoint=CLONE.key,
        build=_build_clone,
        clones=True,
        description="Chatterbox voice cloning from an uploaded reference (≤ 20 MB); answers audio bytes",
    ),
)
