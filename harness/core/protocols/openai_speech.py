"""OpenAI's speech protocol, `POST {base_url}/audio/speech`, in the core vocabulary; it names no provider.

Many hosted and self-hosted text-to-speech servers answer this one request shape, so a server that
speaks it is declared, not programmed: `build_provider` turns a `SpeechDeclaration` (a few lines of
`tts-harness.toml`, parsed in `harness.core.declared`) into a `Provider` the contract suite, the sandbox,
the benchmark and the report use like any other.

The protocol, from its public reference (OpenAI API reference, "Create speech",
https://platform.openai.com/docs/api-reference/audio/createSpeech; the generated SDK types in
openai/openai-python `src/openai/types/audio/speech_create_params.py` and the stream events
`speech.audio.delta` / `speech.audio.done`; error shape from https://platform.openai.com/docs/guides/error-codes):

    POST /audio/speech   Authorization: Bearer KEY   Content-Type: application/json
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

What a declaration may say: its models and voices (the protocol leaves both open), the formats it
serves, its own input limit (any positive number of characters: a server is free to accept more than
OpenAI's 4096), the sample rate of its pcm, whether it takes a key, a price per million characters, and
whether it streams SSE (each model may say its own). A limit a declaration sets is cited to the providers
file (path and key), as a built-in provider's limits are cited to its documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)

from harness.core.protocols.declaration import ProtocolDeclaration
from harness.core.spec import (
    AudioBody,
    Auth,
    BodyKind,
    Endpoint,
    EventMark,
    EventStreamBody,
    JsonBody,
    Offering,
    Provider,
    RequestModel,
    Response,
    ResponseModel,
    Role,
    SynthesisInput,
)

PROTOCOL = "openai-speech"
REFERENCE = "https://platform.openai.com/docs/api-reference/audio/createSpeech"
PATH = "/audio/speech"
HOST = "v1"  # the host key: declared base URLs end in /v1 like OpenAI's, and the sandbox mounts /<name>/v1
ENDPOINT_KEY = "audio.speech"

MAX_INPUT_CHARS = 4096  # the default of a declaration; a declared server may accept more
INPUT_WORDS = "The text to generate audio for. The maximum length is 4096 characters."
SPEED_MIN = 0.25
SPEED_MAX = 4.0
SPEED_WORDS = "The speed of the generated audio. Select a value from 0.25 to 4.0. 1.0 is the default."
PCM_SAMPLE_RATE = 24_000  # pcm: "raw samples in 24kHz (16-bit signed, low-endian), without the header"
PCM_RATES = (8_000, 384_000)  # what a declared `sample_rate` may be: telephone to studio rates

ResponseFormat = Literal["mp3", "opus", "aac", "flac", "wav", "pcm"]
StreamFormat = Literal["audio", "sse"]
FORMATS: tuple[str, ...] = get_args(ResponseFormat)

#: The Content-Type each `response_format` must come back with; the first is the reference's, the others
#: spellings servers commonly use for the same bytes (still the declared format, not drift).
CONTENT_TYPES: Mapping[str, tuple[str, ...]] = {
    "mp3": ("audio/mpeg", "audio/mp3"),
    "opus": ("audio/opus", "audio/ogg"),
    "aac": ("audio/aac",),
    "flac": ("audio/flac", "audio/x-flac"),
    "wav": ("audio/wav", "audio/x-wav", "audio/wave"),
    # The reference names no Content-Type for pcm: the spellings of headerless little-endian samples, and
    # bytes. `audio/L16` is not among them: it is big-endian by RFC 2586 (a check flags it).
    "pcm": ("audio/pcm", "audio/pcm_s16le", "audio/s16le", "audio/x-pcm", "audio/raw", "audio/x-raw",
            "application/octet-stream"),
}
BIG_ENDIAN_PCM = "audio/l16"  # RFC 2586: network byte order, the opposite of the protocol's pcm

#: The protocol checks (`harness.contracts.openai_speech`), by name: what a declaration's `deviations` may list.
CHECKS: tuple[str, ...] = (*(f"format-{fmt}" for fmt in FORMATS),
                           "error-bad-voice", "error-bad-model", "error-long-input", "stream-audio", "stream-sse",
                           "speed")

#: The error `type` the reference uses per status (`code` and `param` say more where they apply).
ERROR_TYPES: Mapping[int, str] = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    404: "invalid_request_error",
    429: "rate_limit_exceeded",
    500: "server_error",
    503: "server_error",
}

DELTA_EVENT = "speech.audio.delta"
DONE_EVENT = "speech.audio.done"


# --- wire models ------------------------------------------------------------------------------------


class SpeechRequest(RequestModel):
    """The request body with the reference's limits; a declaration may narrow input and formats."""

    model: str = Field(min_length=1)
    input: str = Field(min_length=1, max_length=MAX_INPUT_CHARS, description=INPUT_WORDS)
    voice: str = Field(min_length=1)
    response_format: ResponseFormat = "mp3"
    speed: float = Field(1.0, ge=SPEED_MIN, le=SPEED_MAX, description=SPEED_WORDS)
    instructions: str | None = None
    stream_format: StreamFormat = "audio"


class ErrorDetail(ResponseModel):
    message: str
    type: str
    param: str | None
    code: str | int | None


class ErrorBody(ResponseModel):
    """`{"error": {"message", "type", "param", "code"}}`: all four keys present, param and code may be null."""

    error: ErrorDetail


class SpeechAudioDelta(ResponseModel):
    type: Literal["speech.audio.delta"]
    audio: str  # base64 of the next bytes of the audio file


class SpeechUsage(ResponseModel):
    input_tokens: int
    output_tokens: int
    total_tokens: int


class SpeechAudioDone(ResponseModel):
    type: Literal["speech.audio.done"]
    usage: SpeechUsage | None = None


class SpeechEvent(ResponseModel):
    """Any event of an SSE speech stream (checked further by its `type`)."""

    type: Literal["speech.audio.delta", "speech.audio.done"]
    audio: str | None = None
    usage: SpeechUsage | None = None


# --- declarations -----------------------------------------------------------------------------------


class DeclaredModel(BaseModel):
    """A model written as a table in `models` (`{ name = "tts-1", stream = false }`): its name, and what it
    does otherwise than the declaration says for every model."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    stream: bool | None = None  # None: the declaration's `stream`


class SpeechDeclaration(ProtocolDeclaration):
    """One provider declared to speak this protocol (one `[providers.<name>]` table); the keys every
    protocol shares are `ProtocolDeclaration`'s.

    Streaming is a fact of each model: `stream` is every model's default, and a model written as a table
    says its own (`models = ["gpt-4o-mini-tts", { name = "tts-1", stream = false }]`: OpenAI's reference
    says `stream_format: "sse"` is not supported for tts-1 and tts-1-hd).
    """

    protocol: Literal["openai-speech"]
    auth: Literal["bearer", "none"] = "bearer"  # none: a keyless server (no key required, none sent)
    key_env: str = Field("", pattern=r"^([A-Za-z_][A-Za-z0-9_]*)?$")  # required with bearer, refused with none
    max_input_chars: int = Field(MAX_INPUT_CHARS, ge=1)  # any positive limit: the server's, not OpenAI's
    formats: tuple[ResponseFormat, ...] = FORMATS  # type: ignore[assignment]  # FORMATS is the Literal's args
    sample_rate: int = Field(PCM_SAMPLE_RATE, ge=PCM_RATES[0], le=PCM_RATES[1])  # of its pcm (16-bit LE mono)
    stream: bool = False  # the server answers `stream_format: "sse"`: the benchmark asks for it (TTFA)
    # Protocol checks the server is known to fail, each with why: reported (xfail), not failed.
    deviations: Mapping[str, str] = Field(default_factory=dict)
    _model_streams: Mapping[str, bool] = PrivateAttr(default_factory=dict)  # models saying their own `stream`

    @model_validator(mode="wrap")
    @classmethod
    def _model_tables(cls, data: Any, handler: ModelWrapValidatorHandler[SpeechDeclaration]) -> SpeechDeclaration:
        """`models` may hold tables: their names are the declaration's models, their own facts kept apart. A
        bad table is one line naming its place (`models.1.speed: unknown key`)."""
        entries = data.get("models") if isinstance(data, Mapping) else None
        tables: dict[str, DeclaredModel] = {}
        if isinstance(entries, list | tuple):
            names = []
            for index, entry in enumerate(entries):
                if not isinstance(entry, Mapping):
                    names.append(entry)
                    continue
                try:
                    model = DeclaredModel.model_validate(entry)
                except ValidationError as error:
                    first = error.errors(include_url=False)[0]
                    why = {"extra_forbidden": "unknown key", "missing": "required key is missing"}.get(
                        first["type"], f"{first['msg']} (got {first.get('input')!r})")
                    raise ValueError(f"{'.'.join(map(str, ('models', index, *first['loc'])))}: {why}") from None
                names.append(model.name)
                tables[model.name] = model
            data = {**data, "models": names}
        declaration = handler(data)
        declaration._model_streams = {name: m.stream for name, m in tables.items() if m.stream is not None}
        return declaration

    def streams(self, model: str) -> bool:
        """Whether the benchmark asks this model for `stream_format: "sse"`."""
        return self._model_streams.get(model, self.stream)

    @property
    def any_streams(self) -> bool:
        return any(self.streams(model) for model in self.models)

    @field_validator("deviations")
    @classmethod
    def _known_checks(cls, deviations: Mapping[str, str]) -> Mapping[str, str]:
        unknown = sorted(set(deviations) - set(CHECKS))
        if unknown:
            raise ValueError(f"{', '.join(unknown)}: not a protocol check (one of {', '.join(CHECKS)})")
        return dict(deviations)

    @model_validator(mode="after")
    def _key_unless_keyless(self) -> SpeechDeclaration:
        if (self.auth == "none") == bool(self.key_env):
            raise ValueError('key_env: required unless auth = "none", which sends no key and takes none')
        if self.sample_rate != PCM_SAMPLE_RATE and "pcm" not in self.formats:
            raise ValueError("sample_rate: the rate of pcm answers, and pcm is not among the formats")
        return self

    @property
    def default_format(self) -> str:
        """The format the benchmark asks for when it wants WAV and WAV is not served: lossless first."""
        for preferred in ("wav", "flac", "mp3", "opus", "aac", "pcm"):
            if preferred in self.formats:
                return preferred
        return self.formats[0]


def request_model(declaration: SpeechDeclaration, source: str = "") -> type[SpeechRequest]:
    """The request model narrowed to what the declaration serves: its voices, input length and formats.

    A voice the declaration does not list is refused before sending (a saved call); the model stays open,
    since a server's answer to an unknown model (404) is part of what the contract checks look at. The
    input limit is the declaration's, so its words cite where it is declared (`source`: "file: key").
    """
    voices = Literal[declaration.voices]  # type: ignore[name-defined]
    formats = Literal[declaration.formats]  # type: ignore[name-defined]
    where = source or f"providers.{declaration.name}.max_input_chars"
    words = f"The text to generate audio for: at most {declaration.max_input_chars} characters ({where})."
    return create_model(
        f"SpeechRequest_{declaration.name.replace('-', '_')}",
        __base__=SpeechRequest,
        voice=(voices, ...),
        input=(str, Field(min_length=1, max_length=declaration.max_input_chars, description=words)),
        response_format=(formats, declaration.default_format),
    )


def declared_voices(model: type[BaseModel]) -> tuple[str, ...]:
    """The voices a request model built by `request_model` accepts (() when any is accepted)."""
    return tuple(str(voice) for voice in get_args(model.model_fields["voice"].annotation))


def _build(declaration: SpeechDeclaration, model: str, given: SynthesisInput) -> dict[str, Any]:
    wanted = given.audio_format if given.audio_format in declaration.formats else declaration.default_format
    body: dict[str, Any] = {"model": model, "input": given.text, "voice": declaration.voices[0],
                            "response_format": wanted}
    if declaration.streams(model):
        body["stream_format"] = "sse"
    return body


def _errors() -> tuple[Response, ...]:
    described = {400: "bad parameter, unknown voice, input too long", 401: "missing or invalid key",
                 404: "unknown model", 429: "rate limit or quota", 500: "server error", 503: "overloaded"}
    return tuple(Response(status, (JsonBody(ErrorBody),), text) for status, text in described.items())


def speech_endpoint(declaration: SpeechDeclaration, source: str = "") -> Endpoint:
    audio_types = tuple(dict.fromkeys(t for fmt in declaration.formats for t in CONTENT_TYPES[fmt]))
    audio = AudioBody(audio_types, pcm_rate=declaration.sample_rate if "pcm" in declaration.formats else None)
    streamed = EventStreamBody(SpeechEvent, last=EventMark(values={"/type": DONE_EVENT}))  # the guide's last event
    bodies = (audio, streamed) if declaration.any_streams else (audio,)
    return Endpoint(
        key=ENDPOINT_KEY,
        method="POST",
        path=PATH,
        summary="OpenAI speech: {model, input, voice, response_format, speed} -> audio bytes"
                + (" or SSE audio deltas" if declaration.any_streams else ""),
        host=HOST,
        role=Role.STREAM if declaration.any_streams else Role.AUDIO,
        request=request_model(declaration, source),
        body_kind=BodyKind.JSON,
        auth_required=declaration.auth != "none",
        responses=(Response(200, bodies, "The audio (or its SSE events)"), *_errors()),
        price=declaration.price_function("input", "model"),
        example={"model": declaration.models[0], "input": "Hello from a declared provider.",
                 "voice": declaration.voices[0], "response_format": declaration.default_format},
        doc=REFERENCE,
    )


def build_provider(declaration: SpeechDeclaration, source: str = "") -> Provider:
    """The `Provider` a declaration describes: one speech endpoint, one offering per declared model.

    `source` is the providers file (`/path/pyproject.toml [tool.tts-harness]` for a table in it): the limits
    the declaration sets cite it and their key (`/path/tts-harness.toml: providers.mybox.max_input_chars`),
    as a built-in provider's limits cite its documents."""
    key = f"providers.{declaration.name}.max_input_chars"
    endpoint = speech_endpoint(declaration, f"{source}: {key}" if source else key)
    offerings = tuple(
        Offering(model, endpoint.key, partial(_build, declaration, model), max_chars=declaration.max_input_chars,
                 description=f"{model} over the OpenAI speech protocol (voice {declaration.voices[0]})",
                 streams=declaration.streams(model))
        for model in declaration.models
    )
    return Provider(
        name=declaration.name,
        title=declaration.describe("OpenAI speech protocol", source),
        hosts={HOST: declaration.url},
        auth=Auth("Authorization", "Bearer"),
        key_env=declaration.key_env,
        endpoints=(endpoint,),
        error_model=ErrorBody,
        docs=(REFERENCE,),
        offerings=offerings,
        protocol=PROTOCOL,  # the sandbox imitates it with the emulation registered under this name
        known_deviations={check: f"{why} ({source or 'providers file'}: providers.{declaration.name}.deviations)"
                          for check, why in declaration.deviations.items()},
    )
