"""Cartesia's wire payloads as its API reference shows them (read 2026-11-25): the `/tts/bytes` and `/tts/sse`
requests, the SSE events, the error object, and the `/tts/websocket` messages.

    POST /tts/bytes   {"model_id", "transcript", "voice": {"mode": "id", "id"} | "...", "output_format":
                       {"container": "raw"|"wav"|"mp3", "encoding": "pcm_f32le"|"pcm_s16le"|"pcm_mulaw"|"pcm_alaw",
                        "sample_rate": 8000|16000|22050|24000|44100|48000, "bit_rate"}, "language", ...}
    errors            {"error_code", "title", "message", "request_id", "doc_url"?} (Cartesia-Version 2026-03-01 on)
    WSS /tts/websocket
      client  {"model_id", "transcript", "voice", "language", "context_id", "output_format": {"container": "raw", ...},
               "add_timestamps": true, "continue": false} · {"context_id", "cancel": true}
      server  {"type": "chunk", "data": "<base64>", "done": false, "status_code": 206, "step_time", "context_id"}
              {"type": "timestamps", "done": false, "context_id", "word_timestamps": {"words", "start", "end"}}
              {"type": "flush_done", "flush_done": true, "flush_id", ...}
              {"type": "done", "done": true, "status_code": 206, "context_id"}
              {"type": "error", "done": true, "status_code", "error_code", "title", "message", "context_id"}
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from harness.core.spec import RequestModel, ResponseModel

REFERENCE = "https://docs.cartesia.ai/api-reference/tts/bytes"
SSE_REFERENCE = "https://docs.cartesia.ai/api-reference/tts/sse"
WS_REFERENCE = "https://docs.cartesia.ai/api-reference/tts/websocket"
CONTEXTS_REFERENCE = "https://docs.cartesia.ai/use-the-api/tts-websocket/contexts"
ERRORS_REFERENCE = "https://docs.cartesia.ai/use-the-api/api-errors"
# Word timestamps, asked with add_timestamps, in `timestamps` events of the SSE stream and messages of the socket
# (read 2026-11-26); the marks' declarations (declaration.SSE_MARKS, sockets.WEBSOCKET) quote it.
TIMESTAMPS_WORDS = (
    '"SSE and WebSocket stream too; they chunk audio into multiple events or messages, which is how '
    'per-chunk metadata such as timestamps is carried." (https://docs.cartesia.ai/use-the-api/'
    "compare-tts-endpoints); the SDK's example: \"add_timestamps=True, ... if event.type == "
    '"timestamps": wt = event.word_timestamps ... print(f"Words: {wt.words}, Starts: {wt.start}, '
    'Ends: {wt.end}")" (https://docs.cartesia.ai/examples/tts-sse-with-timestamps)'
)
# The words without their punctuation: the reference's transcript "Hello, world! I'm generating audio on Cartesia!"
# and its timestamps message "word_timestamps": {"words": ["Hello", "world"], "start": [0, 0.5], "end": [0.4, 0.9]}
# (https://docs.cartesia.ai/api-reference/tts/websocket).
BARE_WORDS = True
AUTH_REFERENCE = "https://docs.cartesia.ai/get-started/authenticate-your-client-applications"
CONVENTIONS_REFERENCE = "https://docs.cartesia.ai/use-the-api/api-conventions"
PRICING = "https://docs.cartesia.ai/pricing"

SAMPLE_RATES = (8000, 16000, 22050, 24000, 44100, 48000)
ENCODINGS = ("pcm_f32le", "pcm_s16le", "pcm_mulaw", "pcm_alaw")
BIT_RATES = (32000, 64000, 96000, 128000, 192000)


class RawOutputFormat(RequestModel):
    """A `raw` output format: the encoding "Required for raw and wav containers" (the reference's output_format)."""

    container: Literal["raw"]
    encoding: Literal[ENCODINGS]  # type: ignore[valid-type]
    sample_rate: Literal[SAMPLE_RATES]  # type: ignore[valid-type]


class WavOutputFormat(RequestModel):
    container: Literal["wav"]
    encoding: Literal[ENCODINGS]  # type: ignore[valid-type]  # "Required for raw and wav containers"
    sample_rate: Literal[SAMPLE_RATES]  # type: ignore[valid-type]


class Mp3OutputFormat(RequestModel):
    """An `mp3` output format: no encoding (its values and "Required for raw and wav containers" are the PCM
    containers'), and bit_rate "Required for mp3 containers" (the reference's output_format; the SDK's
    OutputFormat_Mp3: container, sample_rate, bit_rate). An encoding sent beside it is a field the MP3 format does not
    list: accepted with a finding, as the documents do not say it is refused."""

    container: Literal["mp3"]
    sample_rate: Literal[SAMPLE_RATES]  # type: ignore[valid-type]
    bit_rate: Literal[BIT_RATES]  # type: ignore[valid-type]


# The format object, told apart by its container: each container's documented fields and no other rule.
OutputFormat = Annotated[RawOutputFormat | WavOutputFormat | Mp3OutputFormat, Field(discriminator="container")]


class VoiceObject(RequestModel):
    mode: Literal["id"] | None = None
    id: str


class GenerationConfig(RequestModel):
    emotion: str | None = None
    speed: float | None = Field(None, ge=0.6, le=1.5, description="Valid values are between [0.6, 1.5] inclusive.")
    volume: float | None = Field(None, ge=0.5, le=2.0, description="Valid values are between [0.5, 2.0] inclusive.")


class BytesRequest(RequestModel):
    model_id: str = Field(min_length=1)
    transcript: str = Field(min_length=1)
    voice: VoiceObject | str
    output_format: OutputFormat
    language: str | None = None
    locale: str | None = None
    normalization: str | None = None
    generation_config: GenerationConfig | None = None
    pronunciation_dict_id: str | None = None
    save: bool | None = None
    speed: Literal["slow", "normal", "fast"] | None = None


class SseRequest(BytesRequest):
    """Text-to-Speech (SSE): the bytes request, raw audio, with timestamps and a context id where asked."""

    # raw samples only (the SDK's `tts_generate_sse_params.OutputFormat`: `container: Required[Literal["raw"]]`,
    # `source: sdk`), the encoding required
    output_format: RawOutputFormat
    add_timestamps: bool | None = None
    add_phoneme_timestamps: bool | None = None
    use_normalized_timestamps: bool | None = None
    context_id: str | None = None


class WordTimestamps(BaseModel):
    words: list[str]
    start: list[float]
    end: list[float]


class SseEvent(ResponseModel):
    """One event of `/tts/sse`: a chunk (base64 `data`), timestamps, done or an error, as the WebSocket's."""

    type: Literal["chunk", "timestamps", "phoneme_timestamps", "done", "error"]
    done: bool
    status_code: int
    data: str | None = None
    step_time: float | None = None
    context_id: str | None = None
    word_timestamps: WordTimestamps | None = None


class ErrorBody(ResponseModel):
    """`{"error_code", "title", "message", "request_id", "doc_url"?}` (error_code may be null)."""

    error_code: str | None
    title: str
    message: str
    request_id: str
    doc_url: str | None = None


# --- the WebSocket ------------------------------------------------------------------------------------


class GenerationRequest(RequestModel):
    context_id: str = Field(min_length=1)
    model_id: str
    transcript: str
    voice: VoiceObject | str
    output_format: OutputFormat
    continue_: bool | None = Field(None, alias="continue")
    language: str | None = None
    add_timestamps: bool | None = None
    add_phoneme_timestamps: bool | None = None
    use_normalized_timestamps: bool | None = None
    generation_config: GenerationConfig | None = None
    max_buffer_delay_ms: int | None = Field(
        None, ge=0, le=5000, description="Values between [0, 5000]ms are supported."
    )
    flush: bool | None = None
    speed: Literal["slow", "normal", "fast"] | None = None
    pronunciation_dict_id: str | None = None


class CancelContext(RequestModel):
    context_id: str
    cancel: Literal[True]


class Chunk(ResponseModel):
    type: Literal["chunk"]
    data: str
    done: Literal[False]
    status_code: int
    step_time: float
    context_id: str
    flush_id: int | None = None


class Timestamps(ResponseModel):
    type: Literal["timestamps"]
    done: bool
    status_code: int
    context_id: str
    word_timestamps: WordTimestamps | None = None
    flush_id: int | None = None


class PhonemeTimestamps(ResponseModel):
    type: Literal["phoneme_timestamps"]
    done: bool
    status_code: int
    context_id: str


class FlushDone(ResponseModel):
    type: Literal["flush_done"]
    done: bool
    flush_done: bool
    flush_id: int
    status_code: int
    context_id: str


class Done(ResponseModel):
    type: Literal["done"]
    done: Literal[True]
    status_code: int
    context_id: str


class ErrorEvent(ResponseModel):
    type: Literal["error"]
    done: bool
    status_code: int | None = None
    error_code: str | None = None
    title: str | None = None
    message: str | None = None
    context_id: str | None = None
    request_id: str | None = None
    doc_url: str | None = None
