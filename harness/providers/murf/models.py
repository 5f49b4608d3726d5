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
# Murf's own pages (read 2026-11-25): the API reference of Stream Speech, its voices, and the socket's buffer settings.
REFERENCE = "https://murf.ai/api/reference (Stream Speech: voiceId, sampleRate, format)"
SPEECH_CUSTOMIZATION = "https://murf.ai/api/docs/text-to-speech/speech-customization"
ADVANCED_SETTINGS = "https://murf.ai/api/docs/text-to-speech/web-sockets/advanced-settings"

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


# The stream-input WebSocket, as Murf's reference names its messages (SOCKET_REFERENCE: "Send: Set Voice Configuration
# OR Send Text OR Set Advanced Settings OR Clear Context; Receive: Audio Output OR Final Output") and Murf's own
# maintained integration writes them (SOCKET_INTEGRATION, source: sdk: "This integration is maintained by Murf AI").
SOCKET_REFERENCE = "https://murf.ai/api/docs/api-reference/text-to-speech/stream-input"
SOCKET_CONTEXTS = "https://murf.ai/api/docs/text-to-speech/web-sockets/context-id"
SOCKET_INTEGRATION = (
    "https://github.com/murf-ai/pipecat-murf-tts (src/pipecat_murf_tts/tts.py: _connect_websocket, "
    "_build_voice_config_message, flush_audio, _process_json_message)"
)


class VoiceConfig(RequestModel):
    voice_id: str = Field(min_length=1)
    style: str | None = None
    rate: int | None = Field(None, ge=-50, le=50)  # "Speed of the voiceover. Range: -50 to 50."
    pitch: int | None = Field(None, ge=-50, le=50)
    pronunciation_dictionary: dict[str, dict[str, str]] | None = None
    variation: int | None = Field(None, ge=0, le=5)
    multi_native_locale: str | None = None


class SocketText(RequestModel):
    """Send Text, with the voice configuration and the turn's context ("a unique identifier used to track a specific
    TTS request"); `end` true on a turn's last message."""

    voice_config: VoiceConfig | None = None
    context_id: str | None = None
    text: str
    end: bool | None = None
    # ADVANCED_SETTINGS: min_buffer_size "Range: 40 to 160 characters", max_buffer_delay "Range: 0 to 1000
    # milliseconds"; Murf's own integration (SOCKET_INTEGRATION 0.2.4) refuses outside them: "min_buffer_size must be
    # between 40 and 160". An explicit range in the reference: kept (LiveKit's plugin sends 3, refused).
    min_buffer_size: int | None = Field(None, ge=40, le=160)
    max_buffer_delay_in_ms: int | None = Field(None, ge=0, le=1000)


class SocketEnd(RequestModel):
    """ "`end` parameter should be set to true at the end of each turn. This clears the context." """

    context_id: str | None = None
    end: Literal[True]


class SocketClear(RequestModel):
    """Clear Context ({clear: true, context_id}): the context's text not yet spoken is dropped."""

    context_id: str | None = None
    clear: Literal[True]


class SocketAnswer(ResponseModel):
    """Audio Output ({context_id, audio: base64}), Final Output ({context_id, final: true}), or an error."""

    context_id: str | None = None
    audio: str | None = None
    final: bool | None = None
    error: Any = None
