"""Groq's wire payloads for `POST /openai/v1/audio/speech`, as its official client `groq` 1.7.0 writes them
(source: sdk: groq/types/audio/speech_create_params.py, groq/resources/audio/speech.py). Groq's own reference pages
are not among the stored material; the voices and the Orpheus model are the ones integrations name (INTEGRATIONS).

    POST https://api.groq.com/openai/v1/audio/speech     Authorization: Bearer KEY
        {"input", "model", "voice", "response_format", "sample_rate", "speed"}   → the audio as the body
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from harness.core.spec import RequestModel, ResponseModel

SDK = "https://pypi.org/project/groq/1.7.0/ (groq/types/audio/speech_create_params.py)"
INTEGRATIONS = "https://docs.pipecat.ai/server/services/tts/groq"  # canopylabs/orpheus-v1-english, voice autumn, 48 kHz


class SpeechRequest(RequestModel):
    input: str = Field(min_length=1)
    model: str = Field(min_length=1)  # "One of the available TTS models"; the client's literals: playai-tts, -arabic
    voice: str = Field(min_length=1)
    response_format: Literal["flac", "mp3", "mulaw", "ogg", "wav"] | None = None
    sample_rate: Literal[8000, 16000, 22050, 24000, 32000, 44100, 48000] | None = None
    speed: float | None = Field(None, gt=0, description="The speed of the generated audio.")


class ErrorBody(ResponseModel):
    """The OpenAI-compatible error body ({"error": {"message", "type", "code"}}) the client's APIStatusError reads;
    not quoted from a stored page: inferred."""

    error: dict[str, Any]
