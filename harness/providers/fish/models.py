"""Fish Audio's wire payloads for `POST /v1/tts`, as its guide (GUIDE) and official client `fish-audio-sdk` 1.3.0
(source: sdk: fish_audio_sdk/apis.py and schemas.py TTSRequest) write them.

    POST https://api.fish.audio/v1/tts     Authorization: Bearer KEY
        model: s2.1-pro (the default) | s2.1-pro-free | s2-pro | s1 (| speech-1.5 | speech-1.6, deprecated)
        {"text", "reference_id", "format", "sample_rate", "mp3_bitrate", "chunk_length", "latency", ...}
        as JSON, or as MessagePack (`Content-Type: application/msgpack`: what the official client sends)
        200: the audio, streamed
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from harness.core.spec import RequestModel, ResponseModel

GUIDE = "https://docs.fish.audio/docs/core-features/text-to-speech"
SDK = "https://pypi.org/project/fish-audio-sdk/1.3.0/ (fish_audio_sdk/apis.py: tts, schemas.py: TTSRequest)"
FORMATS_PAGE = "https://novita.ai/docs/es/api-reference/model-apis-fish-audio-text-to-speech.md"  # formats and rates
PRICING = "https://muapi.ai/fish-audio-api"  # "$15 per 1M UTF-8 bytes" (a reseller's page)
SOCKET = "https://docs.fish.audio/api-reference/endpoint/websocket/tts-live.md"
# The reference's request fields, as its mirror of docs.fish.audio's OpenAPI page reads (opus_bitrate "in bps").
OPUS_REFERENCE = "https://docs.fish.audio/api-reference/endpoint/openapi-v1/text-to-speech (opus_bitrate)"
# Fish Audio's own documentation repository (fishaudio/docs at 5783e097, 2026-08-21; read 2026-11-25): the `model`
# header of POST /v1/tts (api-reference/openapi.json: "enum": ["s1", "s2-pro", "s2.1-pro", "s2.1-pro-free"],
# "default": "s2.1-pro", "If omitted or set to an unrecognized value, the request falls back to `s2.1-pro`."), the
# models page ("We recommend using s2.1-pro for production projects. Use s2.1-pro-free when you want the same model
# for evaluation ...") and the pricing page's table.
OPENAPI = "https://github.com/fishaudio/docs/blob/main/api-reference/openapi.json (POST /v1/tts, header model)"
MODELS_PAGE = "https://docs.fish.audio/developer-guide/models-pricing/models-overview"
PRICING_PAGE = "https://docs.fish.audio/developer-guide/models-pricing/pricing-and-rate-limits"
DEPRECATIONS = "https://docs.fish.audio/developer-guide/models-pricing/deprecations"  # speech-1.5/1.6: 2026-02-28
# "Text to Speech Stream with Timestamps" (fishaudio/docs at 5783e097, api-reference/endpoint/openapi-v1/
# text-to-speech-stream-with-timestamps.mdx, and openapi.json's `/v1/tts/stream/with-timestamp`; read 2026-11-27)
STREAM_TIMESTAMPS = "https://docs.fish.audio/api-reference/endpoint/openapi-v1/text-to-speech-stream-with-timestamps.md"


class TTSRequest(RequestModel):
    text: str = Field(min_length=1)
    reference_id: str | None = None  # "The reference_id is the model ID from the URL when viewing a model"
    format: Literal["wav", "pcm", "mp3", "opus"] | None = None  # default "mp3"
    sample_rate: int | None = Field(
        None, gt=0, description="WAV / PCM: 8kHz, 16kHz, 24kHz, 32kHz, 44.1kHz; MP3: 32kHz, 44.1kHz; Opus 48kHz"
    )
    mp3_bitrate: Literal[64, 128, 192] | None = None
    opus_bitrate: Literal[-1000, 24, 32, 48, 64] | None = None
    chunk_length: int | None = Field(None, ge=100, le=300, description="chunk_length: ge=100, le=300 (source: sdk)")
    references: list[dict[str, Any]] | None = None
    normalize: bool | None = None
    latency: Literal["normal", "balanced"] | None = None
    prosody: dict[str, Any] | None = None
    top_p: float | None = None
    temperature: float | None = None
    # the `model` header (OPENAPI: "default": "s2.1-pro"); speech-1.5 and speech-1.6 "deprecated on February, 28th,
    # 2026" (DEPRECATIONS), still declared. The documented names: an unrecognised one falls back to s2.1-pro (the
    # synthesis' `UnknownModel.DEFAULT`), so the provider's endpoint takes any name here (`build_provider`)
    model: Literal["s2.1-pro", "s2.1-pro-free", "s2-pro", "s1", "speech-1.5", "speech-1.6"] | None = None


class TimestampSegment(ResponseModel):
    """TTSTimestampSegment: "text": "Text segment covered by this timing entry", "start"/"end": "Segment start
    (end) time in seconds" (STREAM_TIMESTAMPS, openapi.json)."""

    text: str
    start: float
    end: float


class TimestampAlignment(ResponseModel):
    """TTSTimestampAlignment: "segments" ("Ordered text timing segments for the generated audio") and
    "audio_duration" ("Audio duration in seconds for this alignment's content chunk"), both required."""

    segments: list[TimestampSegment]
    audio_duration: float


class TimestampStreamEvent(ResponseModel):
    """TTSTimestampStreamEvent, each SSE `message` event's JSON: all five fields required (STREAM_TIMESTAMPS)."""

    audio_base64: str
    content: str
    alignment: TimestampAlignment | None
    chunk_seq: int = Field(ge=0)
    chunk_audio_offset_sec: float = Field(ge=0)


class ErrorBody(ResponseModel):
    """Not in the stored pages: the {"status", "message"} body an HTTP error carries is inferred."""

    status: int | None = None
    message: str


# The live WebSocket (`wss://api.fish.audio/v1/tts/live`), as its AsyncAPI page (SOCKET) and the official client
# (fishaudio/resources/tts.py stream_websocket, fishaudio/types/tts.py, realtime.py: source: sdk) write it. Every
# message is a MessagePack map in a binary frame ("All messages are serialized using MessagePack").
SOCKET_SPEC = "https://github.com/fishaudio/docs/blob/main/api-reference/asyncapi.yml (channel ttsLive)"
SOCKET_SDK = (
    "https://pypi.org/project/fish-audio-sdk/1.3.0/ (fishaudio/resources/tts.py: stream_websocket; "
    "fishaudio/resources/realtime.py: iter_websocket_audio; fish_audio_sdk/websocket.py)"
)


class LiveRequest(TTSRequest):
    """StartEvent's `request`: "the same parameters as the HTTP Text to Speech API"; "In WebSocket mode,
    `request.text` is typically empty". The official client also sends its generation settings (source: sdk)."""

    text: str = ""  # empty: the text follows in TextEvents
    # The AsyncAPI's WebSocketTTSRequest (SOCKET_SPEC): "opus_bitrate: enum: -1000, 24000, 32000, 48000, 64000",
    # "Opus bitrate in bps"; and, "the same parameters as the HTTP Text to Speech API", the HTTP page's kilobit values.
    opus_bitrate: Literal[-1000, 24000, 32000, 48000, 64000, 24, 32, 48, 64] | None = None  # type: ignore[assignment]
    # "latency: enum: low, normal, balanced" ("low: lowest latency"), SOCKET_SPEC
    latency: Literal["low", "normal", "balanced"] | None = None  # type: ignore[assignment]
    max_new_tokens: int | None = None
    repetition_penalty: float | None = None
    min_chunk_length: int | None = None
    condition_on_previous_chunks: bool | None = None
    early_stop_threshold: float | None = None


class StartEvent(RequestModel):
    """ "This must be the first message sent after connecting." """

    event: Literal["start"]
    request: LiveRequest


class TextEvent(RequestModel):
    event: Literal["text"]
    text: str  # "Text chunk to synthesize"


class FlushEvent(RequestModel):
    """ "Forces immediate synthesis of all buffered text." """

    event: Literal["flush"]


class CloseEvent(RequestModel):
    """ "Signals the end of the text stream" ("note 'stop', not 'close'"): the server speaks the rest, then finish."""

    event: Literal["stop"]


class AudioEvent(ResponseModel):
    event: Literal["audio"]
    audio: bytes  # "Audio bytes in the format specified in StartEvent" (a MessagePack bin value)


class FinishEvent(ResponseModel):
    """ "If reason='stop', synthesis completed successfully; if reason='error', an error occurred." The
    connection closes after it."""

    event: Literal["finish"]
    reason: Literal["stop", "error"]
