"""OpenAI's wire payloads for `POST /v1/audio/speech`, as its reference writes them (REFERENCE; the generated SDK
types in openai/openai-python `src/openai/types/audio/speech_create_params.py` and the stream events
`speech.audio.delta` / `speech.audio.done`; the error shape from ERROR_CODES):

    POST https://api.openai.com/v1/audio/speech   Authorization: Bearer KEY   Content-Type: application/json
    {"model": "...", "input": "<= 4096 characters", "voice": "...",
     "response_format": "mp3|opus|aac|flac|wav|pcm" (default mp3), "speed": 0.25..4.0 (default 1.0),
     "instructions": "...", "stream_format": "audio|sse" (default audio)}

    200, stream_format audio: the audio file itself, `Content-Type` naming `response_format`
        (pcm: raw 16-bit little-endian samples at 24 kHz, no header), sent chunked as it is made
    200, stream_format sse: `text/event-stream`, one JSON event per `data:` line:
        {"type": "speech.audio.delta", "audio": "<base64 of the next bytes of the file>"}
        ... then {"type": "speech.audio.done", "usage": {"input_tokens", "output_tokens", "total_tokens"}}
    4xx/5xx: {"error": {"message": "...", "type": "invalid_request_error", "param": "voice"|null,
              "code": "..."|null}}
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from harness.core.spec import RequestModel, ResponseModel

REFERENCE = "https://platform.openai.com/docs/api-reference/audio/createSpeech"
MODEL_PRICES_PAGE = "https://developers.openai.com/api/docs/models/tts-1"
ERROR_CODES = "https://platform.openai.com/docs/guides/error-codes"
# The API overview's "Debugging requests" (read 2026-11-25): "x-request-id: Unique identifier for this API request
# (used in troubleshooting)"; "Our official SDKs provide a property on top level response objects containing the
# value of the x-request-id header".
OVERVIEW = "https://developers.openai.com/api/reference/overview"
# The model's page (read 2026-11-25, its Japanese edition the stored one): "以下は、GPT-4o Mini TTS で利用可能なすべての
# スナップショットとエイリアスの一覧です。gpt-4o-mini-tts / gpt-4o-mini-tts-2025-12-15 / gpt-4o-mini-tts-2025-03-20"
# ("below, every snapshot and alias of GPT-4o Mini TTS"): the alias and its two dated snapshots.
SNAPSHOTS_PAGE = "https://developers.openai.com/ja-JP/api/docs/models/gpt-4o-mini-tts"

MAX_INPUT_CHARS = 4096
INPUT_WORDS = "The text to generate audio for. The maximum length is 4096 characters."
SPEED_MIN = 0.25
SPEED_MAX = 4.0
SPEED_WORDS = "The speed of the generated audio. Select a value from 0.25 to 4.0. 1.0 is the default."
INSTRUCTIONS_WORDS = (
    "Control the voice of your generated audio with additional instructions. Does not work with tts-1 or tts-1-hd."
)
PCM_RATE = 24_000  # pcm: "raw samples in 24kHz (16-bit signed, low-endian), without the header"

ResponseFormat = Literal["mp3", "opus", "aac", "flac", "wav", "pcm"]
StreamFormat = Literal["audio", "sse"]
DELTA_EVENT = "speech.audio.delta"
DONE_EVENT = "speech.audio.done"


class SpeechRequest(RequestModel):
    """The request body with the reference's limits."""

    model: str = Field(min_length=1)  # "One of the available TTS models: tts-1, tts-1-hd or gpt-4o-mini-tts"
    input: str = Field(min_length=1, max_length=MAX_INPUT_CHARS, description=INPUT_WORDS)
    voice: str = Field(min_length=1)
    response_format: ResponseFormat = "mp3"
    speed: float = Field(1.0, ge=SPEED_MIN, le=SPEED_MAX, description=SPEED_WORDS)
    instructions: str | None = Field(None, description=INSTRUCTIONS_WORDS)
    stream_format: StreamFormat = "audio"  # "Supported formats are sse and audio. sse is not supported for tts-1..."


class ErrorDetail(ResponseModel):
    message: str
    type: str
    param: str | None
    code: str | int | None


class ErrorBody(ResponseModel):
    """`{"error": {"message", "type", "param", "code"}}`: all four keys present, param and code may be null."""

    error: ErrorDetail


class SpeechUsage(ResponseModel):
    input_tokens: int
    output_tokens: int
    total_tokens: int


class SpeechEvent(ResponseModel):
    """An event of the SSE answer: `speech.audio.delta` (`audio`, base64 of the next bytes of the file) or the last,
    `speech.audio.done` (`usage`). Each requires its field: the OpenAPI spec's SpeechAudioDeltaEvent {type, audio} and
    SpeechAudioDoneEvent {type, usage {input_tokens, output_tokens, total_tokens}}, all required (as generated into
    docs.rs/openai-client-base 0.12.0, `audio: String`, `usage: Box<SpeechAudioDoneEventUsage>`, and
    hexdocs.pm/ex_openai SpeechAudioDoneEvent, ":usage - required"; read 2026-11-27)."""

    type: Literal["speech.audio.delta", "speech.audio.done"]
    audio: str | None = None
    usage: SpeechUsage | None = None

    @model_validator(mode="after")
    def _its_field(self) -> SpeechEvent:
        if self.type == DELTA_EVENT and self.audio is None:
            raise ValueError("speech.audio.delta carries its audio at `audio`")
        if self.type == DONE_EVENT and self.usage is None:
            raise ValueError("speech.audio.done carries `usage` (input_tokens, output_tokens, total_tokens)")
        return self
