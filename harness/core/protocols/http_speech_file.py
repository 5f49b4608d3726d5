"""The HTTP speech family declared in a providers file (`protocol = "http-speech"`): a server of the family
that is not built in — a self-hosted model, a gateway, a provider the harness does not ship — in a few lines:

    [providers.acme]
    protocol = "http-speech"
    base_url = "https://api.acme.example"
    key_env = "ACME_API_KEY"
    auth = "header"                      # bearer (Authorization: Bearer KEY; the default) | header | query | none
    auth_name = "X-Acme-Key"             # the header (auth = "header") or query parameter (auth = "query")
    path = "/v2/speak"                   # POSTed a JSON body
    text = "/text"                       # JSON pointers: where the text goes,
    voice = "/voice"                     #   the voice,
    model = "/model"                     #   the model (optional: a server with one model needs none),
    default_model = "acme-1"             #   optional: the model a request naming none is spoken by,
    unknown_model = "default"            #   optional: refused (the default) | default: a model no declared model
                                         #   answers to is spoken as default_model (the documents' fallback)
    format = "/format"                   #   the format's name (optional)
    formats = { wav = "pcm_s16le/24000/wav", mp3 = "mp3/24000/mp3" }   # name -> codec/rate/container; first: default
    audio = "/audio"                     # optional: the answer is JSON with the audio here (else: the body)
    audio_encoding = "base64"            # or "hex"
    stream = "sse"                       # optional: chunked | sse | ndjson (an event carries audio at `audio`)
    models = ["acme-1"]
    voices = ["ada"]
    price_per_million_chars = 12         # optional
    max_input_chars = 2000               # optional
    error_body = { error = { message = "{message}", code = "{code}" } }   # optional: how it writes errors
    answer_error_code = "/base_resp/status_code"   # optional: a 2xx answer (or event) with another value here
    answer_error_success = [0]                     #   than these is an error (its message at
    answer_error_message = "/base_resp/status_msg" #   answer_error_message)
    last_event = { "/type" = "done" }    # optional (sse, ndjson): the event that ends the stream, by the values it
                                         #   holds at pointers, or its data as it is ("[DONE]")
    billing = [{ unit = "characters", at = "/usage/characters", evidence = "our gateway's reference: ..." }]
                                         # optional: what the answer says was billed (harness.core.protocols.billing):
                                         #   unit, header or at (a JSON pointer; of the event named `event` in a
                                         #   stream), scale, source (docs | sdk | client), evidence
    marks = { text = "/words", start = "/start", end = "/end", unit = "s", evidence = "our gateway's reference" }
                                         # optional: word (or character) times in the JSON answer, or in each event
                                         #   of the stream (harness.core.protocols.marks_file)

It becomes a `SpeechService` like the built-in declarations of the family, so the sandbox imitates
it, the contract plans check it (every declared format included) and the benchmark drives it with no code of
its own. The request is an open JSON object (the server's other parameters travel as given); the text must be
a non-empty string of at most `max_input_chars` and the voice one of `voices`, checked before anything is sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from harness.core.prices.units import Unit
from harness.core.protocols import http_speech as family
from harness.core.protocols.billing import BilledSignal
from harness.core.protocols.declaration import ProtocolDeclaration
from harness.core.protocols.http_speech import (
    ErrorShape,
    Format,
    Model,
    Slots,
    SpeechRefusal,
    SpeechRefusals,
    SpeechService,
    Synthesis,
    UnknownModel,
    Voice,
    read,
)
from harness.core.protocols.marks_file import MarksTable
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.spec import (
    AudioAt,
    AudioBody,
    Auth,
    Body,
    BodyErrors,
    BodyKind,
    Endpoint,
    EventMark,
    EventStreamBody,
    JsonBody,
    NdjsonBody,
    Provider,
    Response,
    Role,
)

PROTOCOL = "http-speech"
HOST = "api"
POINTER = r"^(/[^/]+)+$"
FORMAT_SPEC = re.compile(r"^(?P<codec>[a-z0-9_]+)/(?P<rate>\d{4,6})/(?P<container>[a-z0-9]+)$")
MEDIA_TYPES = {"wav": "audio/wav", "mp3": "audio/mpeg", "ogg": "audio/ogg", "flac": "audio/flac"}
RAW_MEDIA_TYPES = {"pcm_s16le": "audio/pcm", "pcm_mulaw": "audio/basic", "pcm_alaw": "audio/pcma"}
DEFAULT_ERROR_BODY: Mapping[str, Any] = {"error": {"message": "{message}", "code": "{code}"}}


class OpenBody(BaseModel):
    """A declared server's JSON: the fields the declaration names are checked, the others pass as given."""

    model_config = ConfigDict(extra="allow", defer_build=True)  # built on first use, not at import


class BillingTable(BaseModel):
    """One billing signal of a providers-file table (`billing = [{ unit, header | at, event, scale, source,
    evidence }]`), in `BilledSignal`'s terms."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built on first use, not at import

    unit: Unit
    header: str = Field("", pattern=r"^[A-Za-z0-9_-]*$")
    at: str = Field("", pattern=r"^((/[^/]+)+)?$")
    event: str = ""
    scale: Decimal = Decimal(1)
    source: Literal["docs", "sdk", "client"] = "docs"
    evidence: str = Field(min_length=1)

    @model_validator(mode="after")
    def _whole(self) -> BillingTable:
        self.signal()  # its rules (a header or a pointer, exactly one; a positive scale) as one line
        return self

    def signal(self) -> BilledSignal:
        return BilledSignal(
            unit=self.unit,
            header=self.header,
            at=self.at,
            event=self.event,
            scale=self.scale,
            source=self.source,
            evidence=self.evidence,
        )


class HttpSpeechDeclaration(ProtocolDeclaration):
    protocol: Literal["http-speech"]
    auth: Literal["bearer", "header", "query", "none"] = "bearer"
    auth_name: str = Field("", pattern=r"^[A-Za-z0-9_-]*$")
    key_env: str = Field("", pattern=r"^([A-Za-z_][A-Za-z0-9_]*)?$")
    path: str = Field(pattern=r"^/[^\s?#]*$")
    text: str = Field(pattern=POINTER)
    voice: str = Field(pattern=POINTER)
    model: str | None = Field(None, pattern=POINTER)
    default_model: str | None = None  # the model a request that names none is spoken by (one of `models`)
    # A model no declared model answers to: refused (`unknown_model` refusal, 400) or spoken as `default_model`.
    unknown_model: UnknownModel = UnknownModel.REFUSED
    format: str | None = Field(None, pattern=POINTER)
    # The languages every model speaks, as the request names them ("es", "es-ES"), and where the request names one
    # (None: the text decides): `bench run --language` plans the models that speak it.
    languages: list[str] = Field(default_factory=lambda: ["en"], min_length=1)
    language: str | None = Field(None, pattern=POINTER)
    formats: Mapping[str, str] = Field(min_length=1)
    audio: str | None = Field(None, pattern=POINTER)
    audio_encoding: Literal["base64", "hex"] = "base64"
    # The answer is streamed: the audio's bytes as they are made (chunked), or events each carrying a piece of
    # it at `audio` (sse: Server-Sent Events; ndjson: a JSON object a line). The benchmark times first audio.
    stream: Literal["chunked", "sse", "ndjson"] | None = None
    max_input_chars: int | None = Field(None, ge=1)
    error_body: Mapping[str, Any] = Field(default_factory=lambda: dict(DEFAULT_ERROR_BODY))
    answer_error_code: str | None = Field(None, pattern=POINTER)
    answer_error_success: list[Any] = Field(default_factory=list)
    answer_error_message: str | None = Field(None, pattern=POINTER)
    last_event: Mapping[str, Any] | str | None = None
    billing: list[BillingTable] = Field(default_factory=list)  # what the answer says was billed
    marks: MarksTable | None = None  # word (or character) times in the answer, or in each event of its stream

    @field_validator("formats")
    @classmethod
    def _specs(cls, formats: Mapping[str, str]) -> Mapping[str, str]:
        for name, spec in formats.items():
            if not FORMAT_SPEC.match(spec):
                raise ValueError(
                    f"{name} = {spec!r}: write codec/rate/container, e.g. pcm_s16le/24000/wav or "
                    "mp3/24000/mp3 (container raw for headerless samples)"
                )
        return dict(formats)

    @model_validator(mode="after")
    def _auth_named(self) -> HttpSpeechDeclaration:
        if self.auth in ("header", "query") and not self.auth_name:
            raise ValueError(f'auth_name: required with auth = "{self.auth}" (the header or query parameter)')
        if (self.auth == "none") == bool(self.key_env):
            raise ValueError('key_env: required unless auth = "none", which sends no key and takes none')
        if self.stream in ("sse", "ndjson") and self.audio is None:
            raise ValueError(f'audio: required with stream = "{self.stream}" (where an event carries its audio)')
        if len(self.formats) > 1 and self.format is None:
            raise ValueError("format: several formats are declared; say where the request names one")
        if self.last_event is not None and self.stream not in ("sse", "ndjson"):
            raise ValueError('last_event: only with stream = "sse" or "ndjson" (a stream of events)')
        if isinstance(self.last_event, Mapping) and not all(re.match(POINTER, key) for key in self.last_event):
            raise ValueError('last_event: JSON pointers to the values the last event holds, e.g. { "/type" = "done" }')
        if self.default_model is not None and self.default_model not in self.models:
            raise ValueError(
                f"default_model: {self.default_model!r} is not among the models ({', '.join(self.models)})"
            )
        if self.unknown_model is UnknownModel.DEFAULT and (self.model is None or self.default_model is None):
            raise ValueError(
                'unknown_model: "default" speaks an unknown model as default_model: declare model '
                "(where the request names it) and default_model"
            )
        if self.answer_error_code is None and (self.answer_error_success or self.answer_error_message):
            raise ValueError("answer_error_code: required with answer_error_success or answer_error_message")
        return self


def format_of(name: str, spec: str) -> Format:
    """The family's `Format` of a declared `name = "codec/rate/container"`."""
    found = FORMAT_SPEC.match(spec)
    assert found is not None
    codec, rate, container = found["codec"], int(found["rate"]), found["container"]
    media = (
        RAW_MEDIA_TYPES.get(codec, "application/octet-stream")
        if container == "raw"
        else MEDIA_TYPES.get(container, f"audio/{container}")
    )
    return Format(name=name, spec=AudioSpec(codec, rate, container), media_type=media)


def _request_model(declaration: HttpSpeechDeclaration, where: str) -> type[BaseModel]:
    limit = declaration.max_input_chars
    voices = declaration.voices

    class DeclaredRequest(OpenBody):
        @model_validator(mode="after")
        def _declared(self) -> DeclaredRequest:
            data = self.model_dump()
            text = read(data, declaration.text)
            if not isinstance(text, str) or not text:
                raise ValueError(f"{declaration.text}: the text to speak, a non-empty string")
            if limit is not None and len(text) > limit:
                raise ValueError(f"{declaration.text}: at most {limit} characters ({where})")
            if read(data, declaration.voice) not in voices:
                raise ValueError(f"{declaration.voice}: one of the declared voices {', '.join(voices)}")
            return self

    name = f"HttpSpeechRequest_{declaration.name.replace('-', '_')}"
    DeclaredRequest.__name__ = DeclaredRequest.__qualname__ = name
    field = declaration.text[1:]
    if "/" in field:  # a nested text: checked by the validator above alone
        return DeclaredRequest
    # A top-level text is a declared parameter too, so the contract plans know its range (an empty text is refused).
    words = f"The text to speak{f': at most {limit} characters' if limit else ''} ({where})."
    model: type[BaseModel] = create_model(
        name, __base__=DeclaredRequest, **{field: (str, Field(min_length=1, max_length=limit, description=words))}
    )  # type: ignore[call-overload]
    return model


def _auth(declaration: HttpSpeechDeclaration) -> Auth:
    if declaration.auth == "header":
        return Auth(header=declaration.auth_name)
    if declaration.auth == "query":
        return Auth(header="", query=declaration.auth_name)
    return Auth(header="Authorization", scheme="Bearer")


def _speech_endpoint(declaration: HttpSpeechDeclaration, where: str, success: Body) -> Endpoint:
    """The one speech endpoint: its path, its request model, audio (or a stream) on success, an open JSON error."""
    return Endpoint(
        key="speech",
        method="POST",
        path=declaration.path,
        summary=f"speech, as {where} declares it",
        host=HOST,
        role=Role.STREAM if declaration.stream else Role.AUDIO,
        request=_request_model(declaration, where),
        body_kind=BodyKind.JSON,
        auth_required=declaration.auth != "none",
        doc=where,
        responses=(
            Response(status=200, bodies=(success,), description="The audio"),
            *(
                Response(status=status, bodies=(JsonBody(OpenBody),), description=why)
                for status, why in (
                    (400, "a bad parameter"),
                    (401, "a missing or wrong key"),
                    (429, "a rate limit"),
                    (500, "an error"),
                )
            ),
        ),
    )


def service_of(declaration: HttpSpeechDeclaration, source: str = "") -> SpeechService:
    """The family's declaration of a providers-file table."""
    where = f"{source}: providers.{declaration.name}" if source else f"providers.{declaration.name}"
    formats = tuple(format_of(name, spec) for name, spec in declaration.formats.items())
    carried = AudioAt(declaration.audio, declaration.audio_encoding) if declaration.audio else None
    success: Body = AudioBody(tuple(dict.fromkeys(f.media_type for f in formats)))
    last, last_template = _last_event(declaration.last_event)
    if declaration.stream == "sse":
        success = EventStreamBody(audio=carried, last=last)
    elif declaration.stream == "ndjson":
        success = NdjsonBody(audio=carried, last=last)
    elif carried is not None and declaration.stream is None:
        success = JsonBody(OpenBody, audio=carried)
    endpoint = _speech_endpoint(declaration, where, success)
    price = declaration.price_per_million_chars
    models = tuple(
        Model(
            name=name,
            synthesis=endpoint.key,
            voice=declaration.voices[0],
            usd_per_million_chars=price,
            price_note=f"{price} USD per 1M characters ({where})" if price is not None else "",
            max_chars=declaration.max_input_chars,
            streams=declaration.stream is not None,
            languages=tuple(declaration.languages),
            languages_source=where,
            description=f"{name} over the HTTP speech family (voice {declaration.voices[0]})",
        )
        for name in declaration.models
    )
    refusals = SpeechRefusals(
        invalid=SpeechRefusal(400, "invalid_request", "{detail}"),
        missing_key=SpeechRefusal(401, "unauthorized", "No key was given."),
        bad_key=SpeechRefusal(401, "unauthorized", "The key is not valid."),
        unknown_voice=SpeechRefusal(400, "unknown_voice", "Unknown voice: {detail}"),
        rate_limited=SpeechRefusal(429, "rate_limited", "Too many requests."),
        quota=SpeechRefusal(429, "quota_exceeded", "The account's quota is spent."),
        unknown_model=SpeechRefusal(400, "unknown_model", "Unknown model: {detail}") if declaration.model else None,
    )
    return SpeechService(
        name=declaration.name,
        title=declaration.describe("HTTP speech family", source),
        hosts={HOST: declaration.url},
        auth=_auth(declaration),
        key_env=declaration.key_env,
        docs=(where,),
        error_model=OpenBody,
        errors=ErrorShape(declaration.error_body),
        refusals=refusals,
        syntheses=(
            Synthesis(
                endpoint=endpoint,
                slots=Slots(
                    text=declaration.text,
                    voice=declaration.voice,
                    model=declaration.model,
                    format=declaration.format,
                    language=declaration.language,
                ),
                formats=formats,
                default_format=formats[0].name,
                last_event=last_template,
                default_model=declaration.default_model or "",
                unknown_model=declaration.unknown_model,
                billing=tuple(table.signal() for table in declaration.billing),
                marks=declaration.marks.marks() if declaration.marks is not None else None,
            ),
        ),
        answer_errors=BodyErrors(
            declaration.answer_error_code,
            tuple(declaration.answer_error_success),
            declaration.answer_error_message or "",
        )
        if declaration.answer_error_code
        else None,
        models=models,
        voices=tuple(Voice(name) for name in declaration.voices),
    )


def _last_event(declared: Mapping[str, Any] | str | None) -> tuple[EventMark | None, dict[str, Any] | str]:
    """How the declared last event is told apart, and the template the sandbox writes it from."""
    if declared is None:
        return None, {}
    if isinstance(declared, str):
        return EventMark(data=declared), declared
    template: dict[str, Any] = {}
    for where, value in declared.items():
        family.put(template, where, value)
    return EventMark(values=dict(declared)), template


def build_provider(declaration: HttpSpeechDeclaration, source: str = "") -> Provider:
    """The `Provider` a providers-file table describes (the family builds it from `service_of`)."""
    return family.build_provider(service_of(declaration, source))
