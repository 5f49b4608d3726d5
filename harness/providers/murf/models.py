"""Murf's wire payloads, as its official client `murf` 2.3.0 writes them (source: sdk: murf/text_to_speech/client.py,
generated from Murf's API definition; the stored pages carry only third-party summaries: "All Murf AI API requests go
to https://api.murf.ai/v1 ... Authentication happens via the api-key header", INTEGRATION_GUIDE).

    POST https://api.murf.ai/v1/speech/stream     api-key: KEY
        {"text", "voiceId", "model": "FALCON" | "GEN2", "format", "sampleRate", "locale", ...} → the audio, chunked
    POST https://api.murf.ai/v1/speech/generate
        {"text", "voiceId", "modelVersion", "format", "sampleRate", "encodeAsBase64": true, ...}
        → {"audioFile", "encodedAudio", "audioLengthInSeconds", "consumedCharacterCount", "wordDurations", ...}
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from harness.core.spec import RequestModel, ResponseModel

SDK = "https://pypi.org/project/murf/2.3.0/ (murf/text_to_speech/client.py: generate, stream)"
INTEGRATION_GUIDE = "https://dev.to/preecha/how-to-use-murf-ai-api-105m"
SOCKET_GUIDE = "https://docs.agora.io/en/ai/platform/models/tts/murf"  # wss://global.api.murf.ai/v1/speech/stream-input

Format = Literal["MP3", "WAV", "FLAC", "ALAW", "ULAW", "PCM", "OGG"]


class _Speech(RequestModel):
    text: str = Field(min_length=1)
    voiceId: str = Field(min_length=1)
    format: Format | None = None
    sampleRate: float | None = Field(None, gt=0, description="The sample rate for audio output")
    locale: str | None = None
    multiNativeLocale: str | None = None
    channelType: Literal["MONO", "STEREO"] | None = None
    pitch: int | None = Field(None, ge=-50, le=50, description="Pitch of the voiceover, -50 to 50")
    rate: int | None = Field(None, ge=-50, le=50, description="Speed of the voiceover, -50 to 50")
    style: str | None = None
    variation: int | None = None
    pronunciationDictionary: dict[str, Any] | None = None


class StreamRequest(_Speech):
    model: Literal["FALCON", "GEN2"] | None = None  # "Defaults to FALCON for all the regions except US-East"


class GenerateRequest(_Speech):
    modelVersion: Literal["GEN1", "GEN2"] | None = None
    encodeAsBase64: bool | None = None
    audioDuration: float | None = None
    wordDurationsAsOriginalText: bool | None = None


class GenerateResponse(ResponseModel):
    audioFile: str
    audioLengthInSeconds: float
    encodedAudio: str | None = None
    consumedCharacterCount: int | None = None
    remainingCharacterCount: int | None = None
    wordDurations: list[dict[str, Any]] | None = None
    warning: str | None = None


class ErrorBody(ResponseModel):
    """The client reads an error body as anything; the shape Murf writes ({"errorMessage", "errorCode"}) is not in
    the stored material: inferred."""

    errorMessage: str
    errorCode: int | str | None = None
