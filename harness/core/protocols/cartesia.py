"""Cartesia's text-to-speech protocol in the core vocabulary: `POST /tts/bytes` and the `/tts/websocket`
channel, several utterances (contexts) multiplexed on one socket. `build_provider` turns a declaration
(`protocol = "cartesia"`) into a `Provider`.

From its public reference (Cartesia API reference, "Text-to-Speech (Bytes)" and "Text-to-Speech
(WebSocket)", https://docs.cartesia.ai/api-reference/tts/websocket; "API Conventions" for the version
header and auth; "API Errors" for the error objects of `Cartesia-Version: 2026-03-01` and later):

    POST /tts/bytes     Authorization: Bearer KEY (or X-API-Key: KEY)    Cartesia-Version: 2026-08-14
        {"model_id", "transcript", "voice": {"mode": "id", "id": "..."} | "...", "output_format":
         {"container": "raw"|"wav"|"mp3", "encoding": "pcm_f32le"|"pcm_s16le"|"pcm_mulaw"|"pcm_alaw",
          "sample_rate": 8000|16000|22050|24000|44100|48000, "bit_rate"}, "language", ...}
        200: the audio · errors: {"error_code", "title", "message", "request_id", "doc_url"?}

    WSS /tts/websocket?cartesia_version=...   ("For WebSockets ... ?cartesia_version ... will take precedence")
      client  {"model_id", "transcript", "voice", "language", "context_id", "output_format":
               {"container": "raw", ...}, "add_timestamps": true, "continue": false}
              {"context_id", "cancel": true}
      server  {"type": "chunk", "data": "<base64>", "done": false, "status_code": 206, "step_time", "context_id"}
              {"type": "timestamps", "done": false, "context_id", "word_timestamps": {"words", "start", "end"}}
              {"type": "flush_done", "flush_done": true, "flush_id", ...}
              {"type": "done", "done": true, "status_code": 206, "context_id"}
              {"type": "error", "done": true, "status_code", "error_code", "title", "message", "context_id"}

The key travels in either of two headers (`AUTH`), read 2026-11-25:
- "Authenticate your client applications" (`AUTH_REFERENCE`): "Cartesia accepts both X-Api-Key and
  Authorization headers for server-side authentication. Header names are case-insensitive, so X-API-KEY and
  authorization work too." Its WebSocket example sets either header on the `wss://api.cartesia.ai/tts/websocket`
  handshake (`"X-Api-Key"`, or `"Authorization"` with `Bearer`).
- "API Conventions" (`CONVENTIONS_REFERENCE`): today "Include `Authorization: Bearer <api_key>` in the headers of
  your requests", and for a client app's token on a WebSocket "pass the token as the ?access_token=<access_token>
  query parameter"; its 2024-11-13 version (https://docs.cartesia.ai/2024-11-13/use-the-api/api-conventions):
  "For HTTP requests, authentication is handled by adding the field X-API-Key: <your_api_key> into the HTTP
  headers", and "For WebSocket connections, authentication is handled by passing in the field
  ?api_key=<your_api_key>". The older quickstart's curl line (https://docs.cartesia.ai/getting-started/using-the-api)
  sends `-H "X-API-Key: YOUR_API_KEY"`.
- The official SDK (cartesia 4.2.0, `_client.py` `_api_key_auth`) sends `Authorization: Bearer <api_key>` over
  HTTP and on the WebSocket handshake (`lib/_tts.py`: `additional_headers` with `auth_headers`): the harness
  sends that form; the sandbox accepts every form above.

Versions before 2026-03-01 sent `"error": "Title: Message"` instead of `title`/`message`/`error_code`
(the 2024-11-13 reference shows it): both shapes are accepted, the older one is drift (`DRIFT`).
A context ends with exactly one `done` (or `error`); a transcript with `"continue": true` keeps it open.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any, Literal

from pydantic import BaseModel, Field

from harness.core.audio_fields import decode_text
from harness.core.protocols.declaration import ProtocolDeclaration
from harness.core.protocols.realtime_grammar import (
    AudioSpec,
    Channel,
    Event,
    Frame,
    Grammar,
    Kind,
    Opening,
    Outgoing,
    Session,
    SpokenSpan,
    Utterance,
)
from harness.core.spec import (
    AudioAt,
    AudioBody,
    Auth,
    BodyKind,
    DocDrift,
    Endpoint,
    EventMark,
    EventStreamBody,
    Header,
    JsonBody,
    Offering,
    Provider,
    RequestModel,
    Response,
    ResponseModel,
    Role,
    SynthesisInput,
)

PROTOCOL = "cartesia"
TITLE = "Cartesia text-to-speech protocol"
HOST = "api"
REFERENCE = "https://docs.cartesia.ai/api-reference/tts/bytes"
SSE_REFERENCE = "https://docs.cartesia.ai/api-reference/tts/sse"
WS_REFERENCE = "https://docs.cartesia.ai/api-reference/tts/websocket"
ERRORS_REFERENCE = "https://docs.cartesia.ai/use-the-api/api-errors"
VERSION = "2026-08-14"  # what the official SDK 4.x sends
VERSION_HEADER = "Cartesia-Version"
AUTH_REFERENCE = "https://docs.cartesia.ai/get-started/authenticate-your-client-applications"
CONVENTIONS_REFERENCE = "https://docs.cartesia.ai/use-the-api/api-conventions"
KEY_HEADER = "X-API-Key"  # the conventions' spelling; header names are case-insensitive (AUTH_REFERENCE)
# The bearer form first: what the current conventions and the official SDK send. `X-API-Key` is the older
# conventions' form, which the client-applications page says is still accepted (module docstring).
AUTH = Auth("Authorization", "Bearer", others=(Auth(KEY_HEADER),))
# The WebSocket's query forms: ?api_key= (the 2024 conventions) and ?access_token= (the current ones); the
# headers of `AUTH` work on its handshake too.
SOCKET_KEY_QUERY = ("api_key", "access_token")
BYTES, SSE, WEBSOCKET = "tts.bytes", "tts.sse", "tts.websocket"
SAMPLE_RATES = (8000, 16000, 22050, 24000, 44100, 48000)
ENCODINGS = ("pcm_f32le", "pcm_s16le", "pcm_mulaw", "pcm_alaw")
BIT_RATES = (32000, 64000, 96000, 128000, 192000)

DRIFT = (
    DocDrift("websocket error shape", "Before Cartesia-Version 2026-03-01 an error event carried `error` "
             "(\"Title: Message\"); from it on, `title`, `message` and `error_code`. Both are accepted.",
             (WS_REFERENCE, ERRORS_REFERENCE)),
)


# --- models -----------------------------------------------------------------------------------------


class OutputFormat(BaseModel):
    container: Literal["raw", "wav", "mp3"]
    encoding: Literal[ENCODINGS] | None = None  # type: ignore[valid-type]  # required for raw and wav
    sample_rate: Literal[SAMPLE_RATES]  # type: ignore[valid-type]
    bit_rate: Literal[BIT_RATES] | None = None  # type: ignore[valid-type]  # mp3 only


class VoiceObject(BaseModel):
    mode: Literal["id"] | None = None
    id: str


class GenerationConfig(BaseModel):
    emotion: str | None = None
    speed: float | None = Field(None, ge=0.6, le=1.5,
                                description="Valid values are between [0.6, 1.5] inclusive.")
    volume: float | None = Field(None, ge=0.5, le=2.0,
                                 description="Valid values are between [0.5, 2.0] inclusive.")


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


class RawOutputFormat(OutputFormat):
    """`/tts/sse`'s output format: raw samples only (the SDK's `tts_generate_sse_params.OutputFormat`:
    `container: Required[Literal["raw"]]`, `source: sdk`), the encoding required."""

    container: Literal["raw"]  # narrowed from the bytes endpoint's three
    encoding: Literal[ENCODINGS]  # type: ignore[valid-type]


class SseRequest(BytesRequest):
    """Text-to-Speech (SSE): the bytes request, raw audio, with timestamps and a context id where asked."""

    output_format: RawOutputFormat
    add_timestamps: bool | None = None
    add_phoneme_timestamps: bool | None = None
    use_normalized_timestamps: bool | None = None
    context_id: str | None = None


class SseEvent(ResponseModel):
    """One event of `/tts/sse`: a chunk (base64 `data`), timestamps, done or an error, as the WebSocket's."""

    type: Literal["chunk", "timestamps", "phoneme_timestamps", "done", "error"]
    done: bool
    status_code: int
    data: str | None = None
    step_time: float | None = None
    context_id: str | None = None


class ErrorBody(ResponseModel):
    """`{"error_code", "title", "message", "request_id", "doc_url"?}` (error_code may be null)."""

    error_code: str | None
    title: str
    message: str
    request_id: str
    doc_url: str | None = None


class GenerationRequest(ResponseModel):  # extra allowed: unknown fields are drift, not refusals
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
    max_buffer_delay_ms: int | None = Field(None, ge=0, le=5000,
                                            description="Values between [0, 5000]ms are supported.")
    flush: bool | None = None
    speed: Literal["slow", "normal", "fast"] | None = None
    pronunciation_dict_id: str | None = None


class CancelContext(ResponseModel):
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


class WordTimestamps(BaseModel):
    words: list[str]
    start: list[float]
    end: list[float]


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


SERVER_MODELS: Mapping[str, type[BaseModel]] = {
    "chunk": Chunk, "timestamps": Timestamps, "phoneme_timestamps": PhonemeTimestamps, "flush_done": FlushDone,
    "done": Done, "error": ErrorEvent}


# --- output formats by name -------------------------------------------------------------------------

def output_format_of(name: str) -> dict[str, Any]:
    """A declared format name as the wire's `output_format`: `pcm_s16le_24000` (raw), `wav_pcm_s16le_24000`,
    `mp3_44100_128000`."""
    if name.startswith("mp3_"):
        _, rate, bit_rate = name.split("_")
        return {"container": "mp3", "sample_rate": int(rate), "bit_rate": int(bit_rate)}
    container, rest = ("wav", name[4:]) if name.startswith("wav_") else ("raw", name)
    encoding, _, rate = rest.rpartition("_")
    return {"container": container, "encoding": encoding, "sample_rate": int(rate)}


def audio_spec_of(output_format: Mapping[str, Any]) -> AudioSpec:
    container = str(output_format.get("container", "raw"))
    codec = "mp3" if container == "mp3" else str(output_format.get("encoding", "pcm_f32le"))
    return AudioSpec(codec, int(output_format.get("sample_rate", 44100)), container)


def _format_names() -> tuple[str, ...]:
    raw = tuple(f"{encoding}_{rate}" for encoding in ENCODINGS for rate in SAMPLE_RATES)
    return (*raw, *(f"wav_{name}" for name in raw),
            *(f"mp3_{rate}_{bit}" for rate in SAMPLE_RATES for bit in BIT_RATES))


FORMAT_NAMES = _format_names()
FormatName = Literal[FORMAT_NAMES]  # type: ignore[valid-type]


class CartesiaDeclaration(ProtocolDeclaration):
    protocol: Literal["cartesia"]
    formats: tuple[FormatName, ...] = ("pcm_s16le_24000", "wav_pcm_s16le_24000")  # first: WebSocket and benchmark


class CartesiaGrammar(Grammar):
    """Reads and speaks `/tts/websocket`: contexts, chunks, timestamps, done, errors."""

    protocol = PROTOCOL
    contexts = True
    audio_pointers = ("/data",)

    def client_model(self, message: Any, position: int) -> type[BaseModel] | None:
        if not isinstance(message, dict):
            return None
        return CancelContext if "cancel" in message else GenerationRequest

    def server_model(self, message: Any) -> type[BaseModel] | None:
        return SERVER_MODELS.get(str(message.get("type"))) if isinstance(message, dict) else None

    def events(self, frame: Frame, message: BaseModel | None) -> tuple[Event, ...]:
        at = (frame.index, frame.t_s)
        if isinstance(message, Chunk):
            # Strict base64: a chunk that is not raises, and `Grammar.read` refuses the frame (lost audio).
            return (Event(*at, Kind.AUDIO, context=message.context_id, audio=decode_text(message.data, "base64")),)
        if isinstance(message, Timestamps) and message.word_timestamps is not None:
            words = message.word_timestamps
            marks = tuple(SpokenSpan(w, s, e) for w, s, e in zip(words.words, words.start, words.end, strict=False))
            return (Event(*at, Kind.MARKS, context=message.context_id, marks=marks, pointer="/word_timestamps"),)
        if isinstance(message, Done):
            return (Event(*at, Kind.FINAL, context=message.context_id),)
        if isinstance(message, FlushDone):
            return (Event(*at, Kind.FLUSHED, context=message.context_id),)
        if isinstance(message, ErrorEvent):
            text = message.message or str((message.model_extra or {}).get("error", ""))
            code = message.error_code or ("" if message.status_code is None else str(message.status_code))
            return (Event(*at, Kind.ERROR, context=message.context_id or "", code=code, message=text),)
        return ()

    def audio_spec(self, session: Session) -> AudioSpec:
        for frame in session.sent():
            try:
                message = frame.json()
            except ValueError:
                continue
            if isinstance(message, dict) and isinstance(message.get("output_format"), dict):
                return audio_spec_of(message["output_format"])
        return AudioSpec("pcm_f32le", 44100)  # the SDK's default when none is given

    def opening(self, utterance: Utterance) -> Opening:
        common: dict[str, Any] = {"context_id": utterance.context, "model_id": utterance.model,
                  "voice": {"mode": "id", "id": utterance.voice},
                  "output_format": output_format_of(utterance.audio_format), "language": "en"}
        if utterance.timestamps:
            common["add_timestamps"] = True
        parts = [{**common, "transcript": chunk, "continue": True} for chunk in utterance.chunks]
        parts.append({**common, "transcript": "", "continue": False})  # as the SDK's no_more_inputs()
        return Opening({}, {"cartesia_version": VERSION}, tuple(Outgoing(json.dumps(p)) for p in parts))

    def complete(self, events: Sequence[Event], opening: Opening) -> bool:
        contexts = {json.loads(str(m.message)).get("context_id") for m in opening.messages}
        ended = {e.context for e in events if e.kind in (Kind.FINAL, Kind.ERROR)}
        return contexts <= ended or any(e.kind is Kind.ERROR and not e.context for e in events)


# --- the provider -----------------------------------------------------------------------------------


def _build(declaration: CartesiaDeclaration, model: str, given: SynthesisInput) -> dict[str, Any]:
    wav = next((f for f in declaration.formats if f.startswith("wav_")), declaration.formats[0])
    return {"model_id": model, "transcript": given.text, "voice": {"mode": "id", "id": declaration.voices[0]},
            "output_format": output_format_of(wav), "language": given.language}


def bytes_endpoint(declaration: CartesiaDeclaration) -> Endpoint:
    errors = {400: "invalid request", 401: "invalid key", 404: "unknown voice or model",
              429: "concurrency limit"}
    return Endpoint(
        key=BYTES, method="POST", path="/tts/bytes", summary="Text-to-Speech (Bytes): the audio as one body",
        host=HOST, role=Role.AUDIO, request=BytesRequest, body_kind=BodyKind.JSON,
        responses=(Response(200, (AudioBody(("audio/wav", "audio/mpeg", "application/octet-stream")),), "audio"),
                   *(Response(s, (JsonBody(ErrorBody),), text) for s, text in errors.items())),
        request_headers=(Header(VERSION_HEADER, "the API version date, YYYY-MM-DD", required=True),),
        price=declaration.price_function("transcript", "model_id"),
        example=_build(declaration, declaration.models[0], SynthesisInput("Hello from a declared provider.")),
        doc=REFERENCE)


def sse_endpoint(declaration: CartesiaDeclaration) -> Endpoint:
    raw = next((f for f in declaration.formats if not f.startswith(("wav_", "mp3_"))), "pcm_s16le_24000")
    example = {**_build(declaration, declaration.models[0], SynthesisInput("Hello from a declared provider.")),
               "output_format": output_format_of(raw)}
    errors = {400: "invalid request", 401: "invalid key", 404: "unknown voice or model", 429: "concurrency limit"}
    done = EventMark(values={"/type": "done"})  # the SSE page's last event
    return Endpoint(
        key=SSE, method="POST", path="/tts/sse",
        summary="Text-to-Speech (SSE): chunks of base64 audio, timestamps, done",
        host=HOST, role=Role.STREAM, request=SseRequest, body_kind=BodyKind.JSON,
        responses=(Response(200, (EventStreamBody(SseEvent, audio=AudioAt("/data"), last=done),), "events"),
                   *(Response(s, (JsonBody(ErrorBody),), text) for s, text in errors.items())),
        request_headers=(Header(VERSION_HEADER, "the API version date, YYYY-MM-DD", required=True),),
        price=declaration.price_function("transcript", "model_id"), example=example, doc=SSE_REFERENCE)


def build_provider(declaration: CartesiaDeclaration, source: str = "") -> Provider:
    offerings = tuple(
        Offering(model, BYTES, partial(_build, declaration, model), channel=WEBSOCKET,
                 description=f"{model} over the Cartesia WebSocket (voice {declaration.voices[0]})")
        for model in declaration.models)
    channel = Channel(WEBSOCKET, "/tts/websocket", "Contexts of text in, chunks, timestamps and done out",
                      CartesiaGrammar(declaration), host=HOST, auth_query=SOCKET_KEY_QUERY, doc=WS_REFERENCE)
    return Provider(
        name=declaration.name, title=declaration.describe(TITLE, source), hosts={HOST: declaration.url},
        auth=AUTH, key_env=declaration.key_env,
        endpoints=(bytes_endpoint(declaration), sse_endpoint(declaration)),
        error_model=ErrorBody, docs=(REFERENCE, SSE_REFERENCE, WS_REFERENCE, ERRORS_REFERENCE), doc_drift=DRIFT,
        offerings=offerings, protocol=PROTOCOL, channels=(channel,))
