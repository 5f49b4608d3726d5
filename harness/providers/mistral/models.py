"""Mistral's wire payloads for Voxtral speech, as its official client `mistralai` 3.7.0 writes them (source: sdk;
`mistralai/client/models/speech*.py` and `realtimespeech*.py`, generated from Mistral's OpenAPI), with the lifecycle
its realtime guide gives (REALTIME_GUIDE):

    POST https://api.mistral.ai/v1/audio/speech      Authorization: Bearer KEY
        {"input", "model", "voice_id", "response_format", "stream": true, ...}
        200 text/event-stream: event speech.audio.delta {"type", "audio_data": base64} ... speech.audio.done {"usage"}
        {... "stream": false (the default)}
        200 application/json: {"audio_data": base64}   (SpeechResponse: "Speech audio data.")
        422 {"detail": [{"loc", "msg", "type"}]}
    WSS wss://api.mistral.ai/v1/audio/speech/realtime?model=...   (sockets)
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from harness.core.spec import RequestModel, ResponseModel

SDK = "https://pypi.org/project/mistralai/3.7.0/ (mistralai/client/speech.py, models/speechrequest.py)"
REALTIME_GUIDE = "https://docs.mistral.ai/studio/audio/text-to-speech/speak-in-realtime"
# "Speech generation": "Send the text and a voice in one POST request. The response carries the audio, base64-encoded,
# in audio_data: decode it and save it to a file." (the answer with `stream` left out)
GENERATE_GUIDE = "https://docs.mistral.ai/studio/audio/text-to-speech/generate-speech"
PLUGIN_GUIDE = "https://docs.livekit.io/agents/models/tts/mistralai"  # default model, voice, "Defaults to mp3"
VOICES_GUIDE = "https://docs.jambonz.org/guides/features/tts-vendor-settings/mistral"  # voice ids, model names
PRICING = "https://micdrop.dev/blog/mistral-voice-agent-voxtral-3.md"  # "Voxtral Speech 3 costs $13 per million ..."
# Mistral's own model card of Voxtral TTS (its documentation repository, mistralai/platform-docs-public at 222f4ba9,
# 2026-08-21, src/schema/models/models/voxtral-tts-26-03.ts; read 2026-11-25): "slug: 'voxtral-tts-26-03'",
# "identifiers: { apiNames: ['voxtral-mini-tts-2603', 'voxtral-mini-tts-latest'] }", and its price "output: [{ type:
# 'range', price: 16.0, ..., denominator: '/M Chars' }]" (input: 0.0).
MODEL_CARD = "https://docs.mistral.ai/models/voxtral-tts-26-03"

OutputFormat = Literal["pcm", "wav", "mp3", "flac", "opus"]  # SpeechOutputFormat (source: sdk)


class SpeechRequest(RequestModel):
    """SpeechRequest (source: sdk): `input` the text, the rest optional."""

    input: str = Field(min_length=1)
    model: str | None = None
    stream: bool | None = None  # "stream: Optional[bool] = False"; the SSE answer when true
    voice_id: str | None = None
    ref_audio: str | None = None  # base64 audio for one-off cloning (not benchmarked)
    expressiveness: float | None = None
    response_format: OutputFormat | None = None  # "Defaults to mp3" (PLUGIN_GUIDE)
    metadata: dict[str, Any] | None = None
    prompt_cache_key: str | None = None
    phoneme_hints: dict[str, Any] | None = None
    conversation_history: list[dict[str, Any]] | None = None


class SpeechResponse(ResponseModel):
    """The answer with `stream` false: "The response carries the audio, base64-encoded, in audio_data"
    (GENERATE_GUIDE); the client's SpeechResponse (models/speech_v1_audio_speech_postop.py): `audio_data: str`."""

    audio_data: str


class UsageInfo(BaseModel):
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None
    prompt_audio_seconds: int | None = None


class SpeechEvent(ResponseModel):
    """One event of the stream: speech.audio.delta (`audio_data`) or speech.audio.done (`usage`)."""

    type: Literal["speech.audio.delta", "speech.audio.done"]
    audio_data: str | None = None
    usage: UsageInfo | None = None


class ValidationProblem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorBody(ResponseModel):
    """HTTPValidationError (source: sdk), the 422 answer."""

    detail: list[ValidationProblem]


class ErrorBody(ResponseModel):
    """Not in the stored material: the shape Mistral's API writes for other errors (the client reads none of it)."""

    object: str | None = None
    message: str
    type: str | None = None
    code: str | None = None


# --- the realtime WebSocket (source: sdk, RealtimeSpeech* models) --------------------------------------------------


class SessionSettings(RequestModel):
    voice: str | None = None
    ref_audio: str | None = None
    streaming_mode: Literal["responsive", "long_form"] | None = None
    response_format: OutputFormat | None = None
    expressiveness: float | None = None


class SessionUpdate(RequestModel):
    type: Literal["session.update"]
    session: SessionSettings


class TextAppend(RequestModel):
    type: Literal["input_text.append"]
    text: str


class TextFlush(RequestModel):
    type: Literal["input_text.flush"]
    text: str | None = None


class TextEnd(RequestModel):
    type: Literal["input_text.end"]


class Session(ResponseModel):
    request_id: str
    model: str
    is_ref_audio: bool
    streaming_mode: Literal["responsive", "long_form"]
    response_format: OutputFormat
    expressiveness: float
    voice: str | None = None


class SessionEvent(ResponseModel):
    type: Literal["session.created", "session.updated"]
    session: Session


class AudioDelta(ResponseModel):
    type: Literal["speech.audio.delta"]
    audio_data: str


class AudioDone(ResponseModel):
    type: Literal["speech.audio.done"]
    usage: UsageInfo


class ErrorDetail(BaseModel):
    message: str | dict[str, Any]
    code: int


class ErrorEvent(ResponseModel):
    type: Literal["error"]
    error: ErrorDetail
