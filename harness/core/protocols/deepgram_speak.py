"""Deepgram's speak protocol in the core vocabulary: `POST /v1/speak` and the `/v1/speak` WebSocket
(binary audio frames between JSON control messages). `build_provider` turns a declaration
(`protocol = "deepgram-speak"`) into a `Provider`.

From its public reference (Deepgram API reference, "Single Text Request" (POST) and "Continuous Text
Stream", https://developers.deepgram.com/reference/text-to-speech/speak-streaming, whose AsyncAPI
2.6.0 file `speak.v1` gives every message; the guides "Flush", "Clear", "Close" and "TTS
Troubleshooting WebSocket, NET, and DATA Errors"):

    POST /v1/speak?model=aura-2-thalia-en&encoding=mp3&container=...&sample_rate=...&bit_rate=...
        Authorization: Token KEY      {"text": "..."}      200: the audio ("encoding ... Default: mp3")
        errors: {"err_code", "err_msg", "request_id"}

    WSS /v1/speak?model=...&encoding=linear16|mulaw|alaw&sample_rate=8000|16000|24000|32000|48000
      client  {"type": "Speak", "text": "..."} · {"type": "Flush"} · {"type": "Clear"} · {"type": "Close"}
      server  binary frames: the audio ("SpeakV1Audio ... format: binary")
              {"type": "Metadata", "request_id", "model_name", "model_version", "model_uuid"}
              {"type": "Flushed", "sequence_id"} · {"type": "Cleared", "sequence_id"}
              {"type": "Warning", "description", "code"}
      limits  "The maximum number of times you can send the Flush message is 20 times every 60 seconds.
               After that, you will receive a warning message"
      close   a failed upgrade is an HTTP 4xx/5xx with `dg-error`; later errors are close frames whose
              reason names the error: 1003 MESSAGE-0000, 1008 DATA-0000/0001, 1009 BIG-0000/0001,
              1011 NET-0000..0003; `Close` ends with "1000 Normal Closure".

The documents disagree on `Close` (`DRIFT`): the guide says it "will close the websocket connection
immediately"; the AsyncAPI says it will "Flush the buffer and close the connection gracefully after all
audio is generated". Either is accepted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any, Literal

from pydantic import BaseModel, Field

from harness.core.protocols.declaration import ProtocolDeclaration
from harness.core.protocols.realtime_grammar import (
    STANDARD_CLOSE_CODES,
    AudioSpec,
    Channel,
    Event,
    Frame,
    Grammar,
    Kind,
    Opening,
    Outgoing,
    Session,
    Utterance,
)
from harness.core.spec import (
    AudioBody,
    Auth,
    BodyKind,
    DocDrift,
    Endpoint,
    JsonBody,
    Offering,
    Provider,
    RequestModel,
    Response,
    ResponseModel,
    Role,
    SynthesisInput,
)

PROTOCOL = "deepgram-speak"
TITLE = "Deepgram speak protocol"
HOST = "api"
REFERENCE = "https://developers.deepgram.com/reference/text-to-speech/speak-request"
WS_REFERENCE = "https://developers.deepgram.com/reference/text-to-speech/speak-streaming"
FLUSH_REFERENCE = "https://developers.deepgram.com/docs/tts-ws-flush"
ERRORS_REFERENCE = "https://developers.deepgram.com/docs/tts-troubleshooting-websocket-net-and-data-errors"
SPEAK, STREAMING = "speak.request", "speak.streaming"
DEFAULT_MODEL = "aura-asteria-en"  # "default: aura-asteria-en"
STREAM_ENCODINGS = ("linear16", "mulaw", "alaw")  # "Only streaming-compatible encodings are supported."
REST_ENCODINGS = (*STREAM_ENCODINGS, "mp3", "opus", "flac", "aac")
STREAM_SAMPLE_RATES = (8000, 16000, 24000, 32000, 48000)
FLUSH_LIMIT = 20  # Flush messages ...
FLUSH_WINDOW_S = 60.0  # ... "every 60 seconds"

CLOSE_CODES: Mapping[int, str] = {
    **STANDARD_CLOSE_CODES,
    1003: "MESSAGE-0000", 1008: "DATA-0000 or DATA-0001", 1009: "BIG-0000 or BIG-0001",
    1011: "NET-0000 to NET-0003",
}

DRIFT = (
    DocDrift("Close", "The Close guide says Close closes the connection immediately; the AsyncAPI says it "
             "flushes the buffer and closes after all audio is generated. Both are accepted.",
             ("https://developers.deepgram.com/docs/tts-ws-close", WS_REFERENCE)),
    DocDrift("sample_rate", "The AsyncAPI types sample_rate as a string enum ('8000', ...); the REST reference "
             "as a number.", (WS_REFERENCE, REFERENCE)),
)


def audio_spec_of(encoding: str, sample_rate: int | None, container: str | None = None) -> AudioSpec:
    """What `encoding`/`sample_rate`/`container` ask for; the rate defaults as the guide says ("Based on
    encoding 8000 or 24000 are possible defaults")."""
    codec = {"linear16": "pcm_s16le", "mulaw": "pcm_mulaw", "alaw": "pcm_alaw"}.get(encoding, encoding)
    rate = sample_rate or (8000 if encoding in ("mulaw", "alaw") else 48000 if encoding == "opus" else 24000)
    return AudioSpec(codec, rate, container or {"mp3": "mp3", "opus": "ogg", "flac": "flac", "aac": "aac"}.get(
        encoding, "raw"))


def format_name(encoding: str, sample_rate: int) -> str:
    return f"{encoding}_{sample_rate}"


def parse_format(name: str) -> tuple[str, int]:
    encoding, _, rate = name.rpartition("_")
    return encoding, int(rate)


FORMAT_NAMES = tuple(format_name(e, r) for e in STREAM_ENCODINGS for r in STREAM_SAMPLE_RATES)
FormatName = Literal[FORMAT_NAMES]  # type: ignore[valid-type]


# --- models -----------------------------------------------------------------------------------------


class SpeakRequest(RequestModel):
    text: str = Field(min_length=1)


class ErrorBody(ResponseModel):
    err_code: str
    err_msg: str
    request_id: str


class SpeakText(ResponseModel):  # extra allowed: unknown fields are drift, not refusals
    type: Literal["Speak"]
    text: str


class Control(ResponseModel):
    type: Literal["Flush", "Clear", "Close"]  # the AsyncAPI gives the three messages one enum


class Metadata(ResponseModel):
    type: Literal["Metadata"]
    request_id: str
    model_name: str
    model_version: str
    model_uuid: str
    additional_model_uuids: list[str] | None = None


class Sequenced(ResponseModel):
    type: Literal["Flushed", "Cleared"]
    sequence_id: int


class Warning(ResponseModel):
    type: Literal["Warning"]
    description: str
    code: str


CLIENT_MODELS: Mapping[str, type[BaseModel]] = {"Speak": SpeakText, "Flush": Control, "Clear": Control,
                                                "Close": Control}
SERVER_MODELS: Mapping[str, type[BaseModel]] = {"Metadata": Metadata, "Flushed": Sequenced, "Cleared": Sequenced,
                                                "Warning": Warning}


class DeepgramDeclaration(ProtocolDeclaration):
    protocol: Literal["deepgram-speak"]
    formats: tuple[FormatName, ...] = ("linear16_24000",)  # the streamed formats; the first is used


class DeepgramGrammar(Grammar):
    """Reads and speaks `/v1/speak`: Speak/Flush/Clear/Close in, binary audio and control messages out."""

    protocol = PROTOCOL
    binary_audio = True
    close_codes = CLOSE_CODES
    final_kind = Kind.FLUSHED
    voice_is_model = True

    def client_model(self, message: Any, position: int) -> type[BaseModel] | None:
        return CLIENT_MODELS.get(str(message.get("type"))) if isinstance(message, dict) else None

    def server_model(self, message: Any) -> type[BaseModel] | None:
        return SERVER_MODELS.get(str(message.get("type"))) if isinstance(message, dict) else None

    def events(self, frame: Frame, message: BaseModel | None) -> tuple[Event, ...]:
        at = (frame.index, frame.t_s)
        if frame.data is not None:
            return (Event(*at, Kind.AUDIO, audio=frame.data),)
        if isinstance(message, Metadata):
            return (Event(*at, Kind.METADATA),)
        if isinstance(message, Sequenced):
            return (Event(*at, Kind.FLUSHED if message.type == "Flushed" else Kind.CLEARED),)
        if isinstance(message, Warning):
            return (Event(*at, Kind.WARNING, code=message.code, message=message.description),)
        return ()

    def audio_spec(self, session: Session) -> AudioSpec:
        query = session.query
        rate = query.get("sample_rate")
        return audio_spec_of(query.get("encoding", "linear16"), int(rate) if rate and rate.isdigit() else None)

    def opening(self, utterance: Utterance) -> Opening:
        encoding, rate = parse_format(utterance.audio_format)
        query = {"model": utterance.model, "encoding": encoding, "sample_rate": str(rate)}
        messages = [json.dumps({"type": "Speak", "text": chunk}) for chunk in utterance.chunks]
        messages.append(json.dumps({"type": "Flush"}))
        return Opening({}, query, tuple(Outgoing(m) for m in messages), closing=(json.dumps({"type": "Close"}),),
                       client_closes=False)

    def complete(self, events: Sequence[Event], opening: Opening) -> bool:
        flushes = sum(1 for m in opening.messages if '"Flush"' in str(m.message))
        return sum(1 for e in events if e.kind is Kind.FLUSHED) >= flushes


# --- the provider -----------------------------------------------------------------------------------


def _build(model: str, given: SynthesisInput) -> dict[str, Any]:
    return {"text": given.text}


def speak_endpoint(declaration: DeepgramDeclaration) -> Endpoint:
    errors = {400: "invalid query parameter or body", 401: "invalid credentials", 402: "insufficient credits",
              429: "too many concurrent requests"}
    audio = AudioBody(("audio/mpeg", "audio/wav", "audio/ogg", "audio/flac", "audio/aac", "application/octet-stream"))
    return Endpoint(
        key=SPEAK, method="POST", path="/v1/speak", summary="Single Text Request: the audio of one text",
        host=HOST, role=Role.AUDIO, request=SpeakRequest, body_kind=BodyKind.JSON,
        responses=(Response(200, (audio,), "audio"),
                   *(Response(s, (JsonBody(ErrorBody),), text) for s, text in errors.items())),
        price=declaration.price_function("text"),
        example={"text": "Hello from a declared provider."}, doc=REFERENCE)


def build_provider(declaration: DeepgramDeclaration, source: str = "") -> Provider:
    offerings = tuple(
        Offering(model, SPEAK, partial(_build, model), channel=STREAMING,
                 description=f"{model} over the Deepgram speak WebSocket")
        for model in declaration.models)
    channel = Channel(STREAMING, "/v1/speak", "Speak/Flush in, binary audio and Flushed out",
                      DeepgramGrammar(declaration), host=HOST, doc=WS_REFERENCE)
    return Provider(
        name=declaration.name, title=declaration.describe(TITLE, source), hosts={HOST: declaration.url},
        auth=Auth("Authorization", "Token"), key_env=declaration.key_env, endpoints=(speak_endpoint(declaration),),
        error_model=ErrorBody, docs=(REFERENCE, WS_REFERENCE, FLUSH_REFERENCE, ERRORS_REFERENCE), doc_drift=DRIFT,
        offerings=offerings, protocol=PROTOCOL, channels=(channel,))
