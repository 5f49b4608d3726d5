"""ElevenLabs' text-to-speech protocol in the core vocabulary: three HTTP endpoints and the WebSocket
stream-input channel. `build_provider` turns a declaration (`protocol = "elevenlabs"`) into a `Provider`.

From its public reference (ElevenLabs API reference, "Create speech", "Stream speech", "Create speech
with timing" — their OpenAPI operations `convert`, `stream`, `convert-with-timestamps` — and
"WebSocket", https://elevenlabs.io/docs/api-reference/text-to-speech/v-1-text-to-speech-voice-id-stream-input,
whose AsyncAPI 2.6.0 file names the messages quoted below; auth from "Authentication"):

    POST /v1/text-to-speech/{voice_id}[/stream]?output_format=mp3_44100_128    xi-api-key: KEY
        {"text": "...", "model_id": "eleven_multilingual_v2", "voice_settings": {...}, ...}
        200: the audio ("/stream": sent as it is made) · 422 "Validation Error"
    POST /v1/text-to-speech/{voice_id}/with-timestamps
        200: {"audio_base64", "alignment": {"characters", "character_start_times_seconds",
              "character_end_times_seconds"}, "normalized_alignment": {...}}

    WSS /v1/text-to-speech/{voice_id}/stream-input?model_id=...&output_format=pcm_24000&...
      client  InitializeConnection {"text": " ", "voice_settings", "generation_config":
                  {"chunk_length_schedule": [120, 160, 250, 290]}, "xi-api-key"?}   ("must be a blank space")
              SendText {"text": "... " ("should always end with a single space"), "try_trigger_generation",
                  "flush"}
              CloseConnection {"text": ""}                                        ("End the stream")
      server  AudioOutput {"audio": "<base64, encoded using the selected output_format>",
                  "normalizedAlignment": {"charStartTimesMs", "charDurationsMs", "chars"}, "alignment": {...}}
                  ("these times are relative to the returned chunk from the model")
              FinalOutput {"isFinal": true}              ("If set to `True`, `audio` will be null.")

The documents' contradictions, kept rather than smoothed (`DRIFT`): the AsyncAPI names the alignment
durations `charDurationsMs` where clients in the field read `charsDurationsMs` too; the SDK sends
`try_trigger_generation` in its first message, which `InitializeConnection` does not list. The
WebSocket's error message is not in the AsyncAPI: `{"message", "error", "code"}` before a close with code
1008 is what clients handle (the SDK reads `message`; `input_timeout_exceeded` after 20 s without
input, the help centre's inactivity limit), so it is declared `inferred`.
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
    SpokenSpan,
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

PROTOCOL = "elevenlabs"
TITLE = "ElevenLabs text-to-speech protocol"
HOST = "api"
REFERENCE = "https://elevenlabs.io/docs/api-reference/text-to-speech/convert"
WS_REFERENCE = "https://elevenlabs.io/docs/api-reference/text-to-speech/v-1-text-to-speech-voice-id-stream-input"
AUTH_HEADER = "xi-api-key"
DEFAULT_FORMAT = "mp3_44100_128"  # "default: mp3_44100_128"
DEFAULT_MODEL = "eleven_multilingual_v2"
INACTIVITY_TIMEOUT_S = 20  # "inactivity_timeout ... default: 20"
CONVERT, STREAM, WITH_TIMESTAMPS, STREAM_INPUT = "tts.convert", "tts.stream", "tts.with-timestamps", "tts.stream-input"

#: The HTTP endpoints' `output_format` values (OpenAPI enum); the WebSocket's AsyncAPI lists fewer.
HTTP_FORMATS = ("mp3_22050_32", "mp3_24000_48", "mp3_44100_32", "mp3_44100_64", "mp3_44100_96", "mp3_44100_128",
                "mp3_44100_192", "pcm_8000", "pcm_16000", "pcm_22050", "pcm_24000", "pcm_32000", "pcm_44100",
                "pcm_48000", "ulaw_8000", "alaw_8000", "opus_48000_32", "opus_48000_64", "opus_48000_96",
                "opus_48000_128", "opus_48000_192")
WS_FORMATS = ("mp3_22050_32", "mp3_44100_32", "mp3_44100_64", "mp3_44100_96", "mp3_44100_128", "mp3_44100_192",
              "pcm_8000", "pcm_16000", "pcm_22050", "pcm_24000", "pcm_44100", "ulaw_8000", "alaw_8000",
              "opus_48000_32", "opus_48000_64", "opus_48000_96", "opus_48000_128", "opus_48000_192")
OutputFormat = Literal[HTTP_FORMATS]  # type: ignore[valid-type]

CLOSE_CODES: Mapping[int, str] = {**STANDARD_CLOSE_CODES,
                                  1008: "policy violation: an invalid key, or no input within inactivity_timeout"}
ERROR_CODES = ("invalid_api_key", "voice_not_found", "input_timeout_exceeded", "invalid_request",
               "too_many_concurrent_requests", "quota_exceeded")
# The codes the HTTP endpoints' refusals give a status (`_errors`): an error frame with one is classified as that
# answer is; the others by their words (harness.bench.socket_speech).
ERROR_STATUSES: Mapping[str, int] = {"invalid_api_key": 401, "voice_not_found": 404,
                                     "too_many_concurrent_requests": 429}

DRIFT = (
    DocDrift("alignment durations", "The AsyncAPI names the per-character durations `charDurationsMs`; clients in "
             "the field (LiveKit's plugin) also read `charsDurationsMs`. Both are accepted; the second is drift.",
             (WS_REFERENCE,)),
    DocDrift("first message", "The SDK's first WebSocket message carries `try_trigger_generation`, which the "
             "AsyncAPI's InitializeConnection does not list.", (WS_REFERENCE,)),
)


def audio_spec_of(output_format: str) -> AudioSpec:
    """`mp3_44100_128` → MP3 at 44.1 kHz; `pcm_24000` → raw 16-bit PCM at 24 kHz; `ulaw_8000` → μ-law."""
    codec, _, rest = output_format.partition("_")
    rate = int(rest.split("_")[0])
    return {"mp3": AudioSpec("mp3", rate, "mp3"), "pcm": AudioSpec("pcm_s16le", rate),
            "ulaw": AudioSpec("pcm_mulaw", rate), "alaw": AudioSpec("pcm_alaw", rate),
            "opus": AudioSpec("opus", rate, "ogg")}[codec]


def media_type_of(output_format: str) -> str:
    return {"mp3": "audio/mpeg", "opus": "audio/ogg"}.get(output_format.partition("_")[0], "application/octet-stream")


# --- HTTP models ------------------------------------------------------------------------------------


class VoiceSettings(BaseModel):
    stability: float | None = None
    similarity_boost: float | None = None
    style: float | None = None
    use_speaker_boost: bool | None = None
    speed: float | None = Field(None, ge=0.7, le=1.2, description="Controls the speed of the generated speech. "
                                "Values range from 0.7 to 1.2, with 1.0 being the default speed.")


class SpeechRequest(RequestModel):
    text: str = Field(min_length=1)
    model_id: str = DEFAULT_MODEL
    language_code: str | None = None
    voice_settings: VoiceSettings | None = None
    pronunciation_dictionary_locators: list[dict[str, Any]] | None = Field(
        None, max_length=3, description="You may have up to 3 locators per request")
    seed: int | None = Field(None, ge=0, le=4294967295,
                             description="Must be integer between 0 and 4294967295.")
    previous_text: str | None = None
    next_text: str | None = None
    previous_request_ids: list[str] | None = Field(None, max_length=3,
                                                   description="A maximum of 3 request_ids can be send.")
    next_request_ids: list[str] | None = Field(None, max_length=3,
                                               description="A maximum of 3 request_ids can be send.")
    use_pvc_as_ivc: bool | None = None
    apply_text_normalization: Literal["auto", "on", "off"] | None = None
    apply_language_text_normalization: bool | None = None


class CharacterAlignment(ResponseModel):
    characters: list[str]
    character_start_times_seconds: list[float]
    character_end_times_seconds: list[float]


class AudioWithTimestamps(ResponseModel):
    audio_base64: str
    alignment: CharacterAlignment | None = None
    normalized_alignment: CharacterAlignment | None = None


class ValidationProblem(ResponseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorBody(ResponseModel):
    """422 "Validation Error" (the OpenAPI's HTTPValidationError)."""

    detail: list[ValidationProblem]


class ErrorDetail(ResponseModel):
    status: str
    message: str


class ErrorBody(ResponseModel):
    """`{"detail": {"status": "invalid_api_key", "message": "..."}}`: 401, 404 and 429 (inferred)."""

    detail: ErrorDetail


# --- WebSocket messages -----------------------------------------------------------------------------


class GenerationConfig(BaseModel):
    chunk_length_schedule: list[float] | None = None  # "Each item should be in the range 50-500."


class InitializeConnection(ResponseModel):  # extra allowed: unknown fields are drift, not refusals
    text: Literal[" "]
    voice_settings: VoiceSettings | None = None
    generation_config: GenerationConfig | None = None
    pronunciation_dictionary_locators: list[dict[str, Any]] | None = None
    xi_api_key: str | None = Field(None, alias="xi-api-key")
    authorization: str | None = None


class SendText(ResponseModel):
    text: str = Field(min_length=1)
    try_trigger_generation: bool | None = None
    voice_settings: VoiceSettings | None = None
    generator_config: GenerationConfig | None = None
    flush: bool | None = None


class CloseConnection(ResponseModel):
    text: Literal[""]


class Alignment(ResponseModel):
    charStartTimesMs: list[float]
    charDurationsMs: list[float] | None = None
    chars: list[str]


class AudioOutput(ResponseModel):
    audio: str | None
    normalizedAlignment: Alignment | None = None
    alignment: Alignment | None = None
    isFinal: bool | None = None


class FinalOutput(ResponseModel):
    isFinal: Literal[True]


class ErrorOutput(ResponseModel):
    message: str
    error: str
    code: int | str | None = None


# --- declarations -----------------------------------------------------------------------------------


class ElevenLabsDeclaration(ProtocolDeclaration):
    protocol: Literal["elevenlabs"]
    formats: tuple[OutputFormat, ...] = (DEFAULT_FORMAT, "pcm_24000")  # the first is what is benchmarked


class ElevenLabsGrammar(Grammar):
    """Reads and speaks the stream-input channel's messages."""

    protocol = PROTOCOL
    close_codes = CLOSE_CODES
    preamble = 1  # InitializeConnection
    audio_pointers = ("/audio",)
    error_statuses = ERROR_STATUSES

    def client_model(self, message: Any, position: int) -> type[BaseModel] | None:
        if not isinstance(message, dict):
            return None
        if position == 0:
            return InitializeConnection
        return CloseConnection if message.get("text") == "" else SendText

    def server_model(self, message: Any) -> type[BaseModel] | None:
        if not isinstance(message, dict):
            return None
        if message.get("isFinal") is True:
            return FinalOutput
        if "audio" in message:
            return AudioOutput
        return ErrorOutput if "error" in message or "message" in message else None

    def events(self, frame: Frame, message: BaseModel | None) -> tuple[Event, ...]:
        if isinstance(message, FinalOutput):
            return (Event(frame.index, frame.t_s, Kind.FINAL),)
        if isinstance(message, ErrorOutput):
            return (Event(frame.index, frame.t_s, Kind.ERROR, code=message.error, message=message.message),)
        if not isinstance(message, AudioOutput):
            return ()
        # Strict base64: text that is not (a stray character, a cut padding) raises, and `Grammar.read` refuses the
        # frame rather than keeping the bytes a lenient decoder would guess.
        found = [Event(frame.index, frame.t_s, Kind.AUDIO, audio=decode_text(message.audio or "", "base64"))]
        alignment, where = (message.alignment, "/alignment") if message.alignment else (
            message.normalizedAlignment, "/normalizedAlignment")
        if alignment is not None:
            durations = alignment.charDurationsMs or (alignment.model_extra or {}).get("charsDurationsMs") or []
            marks = tuple(SpokenSpan(char, start / 1000, (start + length) / 1000)
                          for char, start, length in zip(alignment.chars, alignment.charStartTimesMs, durations,
                                                         strict=False))
            found.append(Event(frame.index, frame.t_s, Kind.MARKS, marks=marks, chunk_relative=True, pointer=where))
        return tuple(found)

    def audio_spec(self, session: Session) -> AudioSpec:
        return audio_spec_of(session.query.get("output_format", DEFAULT_FORMAT))

    def opening(self, utterance: Utterance) -> Opening:
        query = {"model_id": utterance.model, "output_format": utterance.audio_format,
                 "sync_alignment": "true" if utterance.timestamps else ""}
        first = {"text": " ", "generation_config": {"chunk_length_schedule": [50]}}
        chunks: list[dict[str, Any]] = [{"text": chunk if chunk.endswith(" ") else chunk + " "}
                                        for chunk in utterance.chunks]
        chunks[-1]["flush"] = True
        messages = [json.dumps(first), *(json.dumps(chunk) for chunk in chunks), json.dumps({"text": ""})]
        return Opening({"voice_id": utterance.voice}, query, tuple(Outgoing(text) for text in messages),
                       client_closes=False)

    def complete(self, events: Sequence[Event], opening: Opening) -> bool:
        return any(event.kind in (Kind.FINAL, Kind.ERROR) for event in events)


# --- the provider -----------------------------------------------------------------------------------


def _build(declaration: ElevenLabsDeclaration, model: str, given: SynthesisInput) -> dict[str, Any]:
    return {"text": given.text, "model_id": model}


def _errors() -> tuple[Response, ...]:
    return (
        Response(422, (JsonBody(ValidationErrorBody),), "Validation Error"),
        Response(401, (JsonBody(ErrorBody),), "invalid_api_key", inferred=True),
        Response(404, (JsonBody(ErrorBody),), "voice_not_found", inferred=True),
        Response(429, (JsonBody(ErrorBody),), "too_many_concurrent_requests", inferred=True),
    )


def _endpoint(declaration: ElevenLabsDeclaration, key: str, suffix: str, summary: str, body: Any,
              role: Role) -> Endpoint:
    return Endpoint(
        key=key, method="POST", path="/v1/text-to-speech/{voice_id}" + suffix, summary=summary, host=HOST,
        role=role, request=SpeechRequest, body_kind=BodyKind.JSON, responses=(Response(200, (body,), summary),
                                                                                *_errors()),
        price=declaration.price_function("text", "model_id"),
        example={"voice_id": declaration.voices[0], "text": "Hello from a declared provider.",
                 "model_id": declaration.models[0]},
        doc=REFERENCE)


def endpoints(declaration: ElevenLabsDeclaration) -> tuple[Endpoint, ...]:
    audio = AudioBody((*dict.fromkeys(media_type_of(f) for f in HTTP_FORMATS), "audio/pcm"))
    return (
        _endpoint(declaration, CONVERT, "", "Create speech: the audio in output_format", audio, Role.AUDIO),
        _endpoint(declaration, STREAM, "/stream", "Stream speech: the audio, sent as it is made", audio, Role.AUDIO),
        _endpoint(declaration, WITH_TIMESTAMPS, "/with-timestamps", "Create speech with timing: base64 audio and "
                  "character alignment", JsonBody(AudioWithTimestamps), Role.OTHER),
    )


def build_provider(declaration: ElevenLabsDeclaration, source: str = "") -> Provider:
    offerings = tuple(
        Offering(model, CONVERT, partial(_build, declaration, model), channel=STREAM_INPUT,
                 description=f"{model} over the ElevenLabs stream-input WebSocket (voice {declaration.voices[0]})")
        for model in declaration.models)
    channel = Channel(STREAM_INPUT, "/v1/text-to-speech/{voice_id}/stream-input",
                      "Text in as it is written, audio and alignment out", ElevenLabsGrammar(declaration),
                      host=HOST, doc=WS_REFERENCE)
    return Provider(
        name=declaration.name, title=declaration.describe(TITLE, source), hosts={HOST: declaration.url},
        auth=Auth(AUTH_HEADER), key_env=declaration.key_env, endpoints=endpoints(declaration),
        error_model=ErrorBody, docs=(REFERENCE, WS_REFERENCE), doc_drift=DRIFT, offerings=offerings,
        protocol=PROTOCOL, channels=(channel,))
