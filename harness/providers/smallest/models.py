"""Smallest.ai's wire payloads for Waves' text to speech: the synchronous `/waves/v1/tts` as its reference writes it
(REFERENCE; the client calls it `synthesize_tts`), and the live text to speech as its official client `smallestai`
5.14.0 writes and reads them (source: sdk: smallestai/waves/tts/raw_client.py and types/tts_request_message.py,
tts_response_message.py):

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

# The synchronous synthesis' reference page ("Synthesize Speech": "pass text + voice_id, get back binary audio").
REFERENCE = "https://docs.smallest.ai/waves/api-reference/api-reference/text-to-speech/synthesize-speech"
SDK_SYNTHESIZE = "https://pypi.org/project/smallestai/5.14.0/ (smallestai/waves/raw_client.py: synthesize_tts)"

# The client's models, and the Pro preview checkpoint a client offers (declaration.KNOWN_MODELS: source client).
Model = Literal["lightning_v3.1", "lightning_v3.1_pro", "lightning_v3.1_pro_10_26"]


class SynthesizeRequest(RequestModel):
    """POST /waves/v1/tts: the reference's body fields, `Accept` in its header. The reference's (and the client's,
    SDK_SYNTHESIZE) "Common gotchas": "Set `Accept: audio/wav`. Omitting it can return an empty or unplayable
    response." — a warning, not a refusal: another Accept (a client's default `*/*`) or none is taken, and the format
    is output_format's either way."""

    text: str = Field(min_length=1)
    voice_id: str = Field(min_length=1)
    model: Model | None = None  # "default lightning_v3.1, or lightning_v3.1_pro for the Pro pool"
    sample_rate: Literal[8000, 16000, 24000, 44100] | None = None  # "Sample rates: 8 kHz – 44.1 kHz"
    speed: float | None = Field(None, ge=0.5, le=2, description="Speed: 0.5× – 2×")
    language: str | None = None
    number_pronunciation_language: str | None = None
    output_format: Literal["pcm", "mp3", "wav", "ulaw", "alaw"] | None = None  # "The server default is pcm"
    pronunciation_dicts: list[str] | None = None
    word_timestamps: bool | None = None  # "Accepted on this endpoint but ignored"
    session_id: str | None = None
    request_id: str | None = None
    accept: str | None = "audio/wav"  # the documents' value; the harness's requests always send it


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
