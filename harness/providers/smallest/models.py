"""Smallest.ai's wire payloads for Waves' live text to speech, as its official client `smallestai` 5.14.0 writes and
reads them (source: sdk: smallestai/waves/tts/raw_client.py and types/tts_request_message.py, tts_response_message.py):

    "# Live TTS WebSocket — `/waves/v1/tts/live` ... POST to `/waves/v1/tts/live` (SSE) when you have the full text up
    front but still want chunked playback. (Same URL, different protocol — HTTP POST gets you SSE; WSS connect gets
    you WebSocket.)" — the same request message and the same response messages either way:

        request   {"voice_id", "text", "model": "lightning_v3.1" | "lightning_v3.1_pro", "sample_rate", "speed",
                   "language", "continue", "flush", "word_timestamps", ...}
        response  {"status": "chunk" | "word_timestamp" | "complete" | "error", "data": {"audio": base64, ...},
                   "request_id", "session_id"}
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from harness.core.spec import RequestModel, ResponseModel

SDK = "https://pypi.org/project/smallestai/5.14.0/ (smallestai/waves/tts/raw_client.py: /waves/v1/tts/live)"

Model = Literal["lightning_v3.1", "lightning_v3.1_pro"]


class TtsRequest(RequestModel):
    """TtsRequestMessage (source: sdk)."""

    voice_id: str = Field(min_length=1)
    text: str
    model: Model | None = None  # "Pass "model": "lightning_v3.1" (default) or "lightning_v3.1_pro" on each request"
    max_buffer_flush_ms: int | None = None
    continue_: bool | None = Field(None, alias="continue")
    flush: bool | None = None
    complete_backoff_ms: float | None = None
    language: str | None = None
    number_pronunciation_language: str | None = None
    sample_rate: int | None = Field(None, gt=0, description="The output's sample rate")
    speed: float | None = Field(None, gt=0, description="Speech speed")
    session_id: str | None = None
    request_id: str | None = None
    word_timestamps: bool | None = None


class ResponseData(BaseModel):
    audio: str | None = None
    id: int | None = None
    word: str | None = None
    start: float | None = None
    end: float | None = None


class TtsResponse(ResponseModel):
    """TtsResponseMessage (source: sdk)."""

    status: Literal["chunk", "word_timestamp", "complete", "error"] | None = None
    data: ResponseData | None = None
    message: str | None = None
    session_id: str | None = None
    request_id: str | None = None


class ErrorBody(ResponseModel):
    """`{"status": "error", "message": ...}` — the shape of the client's documented timeout message."""

    status: str
    message: str
    details: Any = None
