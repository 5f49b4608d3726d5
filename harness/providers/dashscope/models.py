"""DashScope's wire payloads for Qwen-TTS, as Alibaba Cloud Model Studio's references write them.

    POST https://dashscope-intl.aliyuncs.com/api/v1/services/aigc/multimodal-generation/generation
        Authorization: Bearer KEY   X-DashScope-SSE: enable
        {"model": "qwen3-tts-flash", "input": {"text", "voice", "language_type"}}
        200 text/event-stream: each event {"output": {"audio": {"data": base64 PCM, ...}, "finish_reason"}, ...}
    errors: {"code", "message", "request_id"} (the general status codes: 400 InvalidParameter, 401 InvalidApiKey,
            429 Throttling.RateQuota, 500 InternalError)

"Non-streaming returns an audio file URL that expires after 24 hours. Streaming returns PCM audio data in chunks"
(NON_REALTIME_GUIDE): only the streaming form carries the audio itself, so only it is declared; the non-streaming
answer (a URL to fetch) is left out.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from harness.core.spec import RequestModel, ResponseModel

REFERENCE = "https://www.alibabacloud.com/help/en/model-studio/qwen-tts-api"
NON_REALTIME_GUIDE = "https://help.aliyun.com/en/model-studio/non-realtime-tts-user-guide"
STATUS_CODES = "https://help.aliyun.com/zh/dashscope/return-status-code-description"
REALTIME_GUIDE = "https://www.alibabacloud.com/help/en/model-studio/qwen-tts-realtime"
CLIENT_EVENTS = "https://docs.qwencloud.com/api-reference/speech-synthesis/qwen-tts-realtime/client-events"
SERVER_EVENTS = "https://www.alibabacloud.com/help/en/model-studio/qwen-tts-realtime-server-events"
# A transcription of the non-realtime price list ("qwen3-tts-flash $0.1 / 10 k chars ... Max Input 600 chars"),
# a third-party article; Model Studio's own model list is not among the stored pages for this model.
PRICE_TRANSCRIPTION = "https://www.xugj520.cn/en/archives/qwen3-tts-flash-chinese-tts-engine.html"

MAX_TEXT_CHARS = 600  # "Max Input 600 chars" (PRICE_TRANSCRIPTION)

LanguageType = Literal[
    "Auto",
    "Chinese",
    "English",
    "German",
    "Italian",
    "Portuguese",
    "Spanish",
    "Japanese",
    "Korean",
    "French",
    "Russian",
]


class SynthesisInput(RequestModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    voice: str = Field(min_length=1)
    language_type: LanguageType | None = None  # default Auto


class SynthesisRequest(RequestModel):
    """The streaming request; `sse` is the `X-DashScope-SSE: enable` header ("Add the X-DashScope-SSE: enable header
    to enable streaming output")."""

    model: str = Field(min_length=1)
    input: SynthesisInput
    sse: Literal["enable"]
    parameters: dict[str, Any] | None = None  # the official client sends {} (source: sdk, dashscope 2.0.2)


class Audio(BaseModel):
    data: str = ""
    url: str | None = None
    id: str | None = None
    expires_at: int | None = None


class Output(ResponseModel):
    audio: Audio
    finish_reason: str | None = None
    text: Any = None
    choices: Any = None


class SynthesisEvent(ResponseModel):
    output: Output
    usage: dict[str, Any] | None = None
    request_id: str | None = None


class ErrorBody(ResponseModel):
    """The general status codes' body: "Please check the code and message fields" (STATUS_CODES)."""

    code: str
    message: str
    request_id: str | None = None


# --- the realtime WebSocket (wss://dashscope-intl.aliyuncs.com/api-ws/v1/realtime?model=...) ----------------------


class SessionConfig(RequestModel):
    voice: str = Field(min_length=1)
    mode: Literal["server_commit", "commit"] | None = None
    language_type: LanguageType | None = None
    response_format: Literal["pcm", "wav", "mp3", "opus"] | None = None
    sample_rate: Literal[8000, 16000, 22050, 24000, 44100, 48000] | None = None
    instructions: str | None = None
    optimize_instructions: bool | None = None
    volume: int | None = Field(None, ge=0, le=100)
    speech_rate: float | None = Field(None, ge=0.5, le=2.0)
    pitch_rate: float | None = Field(None, ge=0.5, le=2.0)


class SessionUpdate(RequestModel):
    event_id: str
    type: Literal["session.update"]
    session: SessionConfig | None = None


class TextAppend(RequestModel):
    event_id: str
    type: Literal["input_text_buffer.append"]
    text: str


class TextCommit(RequestModel):
    event_id: str
    type: Literal["input_text_buffer.commit"]


class SessionFinish(RequestModel):
    event_id: str
    type: Literal["session.finish"]


class ServerEvent(ResponseModel):
    """Every server event carries event_id and type; the rest is the event's own (the SERVER_EVENTS page)."""

    event_id: str
    type: str


class ErrorEvent(ResponseModel):
    event_id: str
    type: Literal["error"]
    error: dict[str, Any]
