"""The HTTP speech family: one request in, the speech out. It names no provider.

Most hosted text-to-speech APIs answer one HTTP request with the speech, in one of three wire forms:

    the body's bytes         an SSML endpoint, a SynthesizeSpeech action, most REST speech endpoints
    base64/hex at a pointer  a `text:synthesize` (`/audioContent`), a `with-timestamps` endpoint
    a stream of events       chunked bytes, Server-Sent Events or NDJSON lines with audio at a pointer

The family owns, once, what those forms share: building the request from a text, a voice, a model and a
format (`Synthesis.slots`: JSON pointers over the request's fields, path, query and header fields
included, botocore's `location`), reading the audio back (`harness.core.audio_fields`), the provider's
error shape (`ErrorShape`), its refusals in its own words (`SpeechRefusals`), the voices it lists (`Listing`),
a token exchange where its documents have one (`TokenExchange`), a path that answers in two forms by a request
field's value (`Synthesis.chosen_by`, `answer_forms`: a `stream` flag), and what a model name no declared model
answers to does (`Synthesis.unknown_model`: refused, or spoken as the default model where the documents say
so). A provider of the family is a `SpeechService` — a declaration of what its documents say — and
`build_provider` makes the `Provider` the contract plans, the benchmark and the report read; the sandbox's
`http-speech` emulation imitates any `SpeechService` from the declaration alone (`Provider.family`).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from functools import partial
from typing import Any, get_args

from pydantic import BaseModel, Field, create_model

from harness.core.audio_fields import carrier
from harness.core.drift import resolve
from harness.core.json_pointer import drop, put
from harness.core.languages import primary, tag_for
from harness.core.prices import builtin_sheets, planned
from harness.core.protocols.answer_forms import Selector, check_forms
from harness.core.protocols.billing import BilledSignal
from harness.core.protocols.catalogues import CLOSED, Catalogue, KnownModel
from harness.core.protocols.conformance import ConformClauses
from harness.core.protocols.marks import Marks
from harness.core.protocols.markup import Markup
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.protocols.value_variants import FieldSpelling, Resolved, ValueVariant, case_variant, declared_variant
from harness.core.spec import (
    Auth,
    BodyErrors,
    Cost,
    CostUnit,
    DocDrift,
    Endpoint,
    EventMark,
    EventStreamBody,
    JsonBody,
    NdjsonBody,
    Normalisation,
    Offering,
    Provider,
    SynthesisInput,
)

PROTOCOL = "http-speech"

#: The containers the benchmark prefers when it asks for audio it will score: lossless first.
PREFERRED_CONTAINERS = ("wav", "flac", "raw", "mp3", "ogg", "webm")
#: Media ranges that name no one format (RFC 9110 §12.5.1): a format slot holding one asks for the default.
MEDIA_RANGES = frozenset({"*/*", "audio/*"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Format:
    """One output format as the provider names it (`LINEAR16`, `riff-24khz-16bit-mono-pcm`, `pcm`), the
    bytes it stands for, and the Content-Type it is answered with."""

    name: str
    spec: AudioSpec  # codec, rate, container; the rate is the default where a rate slot may change it
    media_type: str
    rates: tuple[int, ...] = ()  # the rates a rate slot may ask for in this format (empty: only spec's)
    # The request values (JSON pointer -> value) that ask for this format where one name at one slot does not
    # (an `output_format` object: `{"container": "wav", "encoding": "pcm_s16le"}`); `in_format` puts them and
    # `Synthesis.format_of` picks the format whose values a request holds.
    # A value None: the format has no such field (an `encoding` an MP3 format does not carry): absent from a request
    # asking for it (`in_format` drops it), and not compared when a request is matched to its format.
    sets: Mapping[str, Any] = field(default_factory=dict)
    # Request values (JSON pointer -> value) a request for this format must carry but that do not tell it apart (a
    # bit rate "Required for mp3 containers", any of its documented values taking the format): `in_format` puts them,
    # `Synthesis.format_of` does not compare them.
    fills: Mapping[str, Any] = field(default_factory=dict)
    # The provider documents `media_type` as the exact Content-Type of the answer: another name of the same bytes is
    # then a violation, not a finding (the family checks; by default the bytes decide).
    media_type_documented: bool = False
    # What the sandbox assumed where the documents name this format but not its bytes (a header, a rate, a codec, how
    # a file arrives in pieces), said as "the documents do not say ...; the sandbox answers ...": never stricter than
    # the documents, a request for it is answered in the format's `spec` and recorded as a finding each time
    # (`GET /_sandbox/findings`). "": the documents describe the bytes.
    assumed: str = ""


#: The assumption for a G.711 format whose documents name it but say neither its header nor its rate: the most common
#: form, headerless samples at G.711's own 8000 Hz (the asked rate where a rate slot asks for another).
HEADERLESS_G711 = (
    "the documents do not say its header or rate; the sandbox answers headerless G.711 samples at "
    "8000 Hz, or at the rate asked"
)


#: The assumption for an Ogg format whose documents do not name its codec: Opus, the codec most Ogg speech carries
#: (`ogg_opus`).
OGG_OPUS_UNSAID = (
    "the documents do not say its codec; the sandbox answers Ogg Opus ({rate} Hz), the codec most Ogg speech carries"
)


def ogg_opus(name: str, rate: int = 48000) -> Format:
    """A documented Ogg format whose codec the documents leave unsaid, answered as Ogg Opus (`OGG_OPUS_UNSAID`, a
    finding each time): one whole file, streamed whole where the route streams."""
    return Format(
        name=name,
        spec=AudioSpec("opus", rate, "ogg"),
        media_type="audio/ogg",
        assumed=OGG_OPUS_UNSAID.format(rate=rate),
    )


#: The assumption for a file format whose documents do not say how it arrives in pieces on a socket: each audio
#: message a whole file of its own (its own header), as a socket's pieces are written (`file_pieces`).
FILE_PIECES = (
    "the documents do not say how the file arrives in pieces; the sandbox answers each audio message as a "
    "whole {name} file, its own header first"
)


def file_pieces(fmt: Format) -> Format:
    """A documented file format on a socket whose pieces the documents leave unsaid, answered as whole files, one an
    audio message (`FILE_PIECES`, a finding each time)."""
    return replace(fmt, assumed=FILE_PIECES.format(name=fmt.spec.container.upper()))


#: The media type that says headerless samples of each codec (their rate as a parameter): what `asked_media_type`
#: names and `g711` labels.
HEADERLESS = {"pcm_s16le": "audio/pcm", "pcm_mulaw": "audio/basic", "pcm_alaw": "audio/pcma"}


def g711(name: str, codec: str, rates: tuple[int, ...] = ()) -> Format:
    """A documented μ-law (`pcm_mulaw`) or A-law (`pcm_alaw`) format whose bytes the documents leave unsaid, answered
    as assumed (`HEADERLESS_G711`, a finding each time)."""
    return Format(
        name=name,
        spec=AudioSpec(codec, 8000, "raw"),
        media_type=HEADERLESS[codec],
        rates=rates,
        assumed=HEADERLESS_G711,
    )


def assumed_finding(fmt: Format) -> str:
    """The finding a request for a format the sandbox answers by assumption leaves: the name and what was assumed."""
    return f"{fmt.name!r}: {fmt.assumed}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Slots:
    """Where a synthesis' inputs go in the request: JSON pointers over the request model's fields."""

    text: str
    voice: str | None = None
    model: str | None = None
    format: str | None = None
    rate: str | None = None
    language: str | None = None
    text_type: tuple[str, str] | None = None  # (pointer, the value meaning SSML): a TextType
    ssml: str | None = None  # where an SSML document goes in place of the text (an `input.ssml` beside `input.text`)
    speed: str | None = None  # a speaking-rate multiplier (1.0 the documents' normal pace: a `speed` field)


class UnknownModel(StrEnum):
    """What a synthesis does with a model name at its model slot that no declared model answers to, as its documents
    say (every engine follows it: the sandbox's imitation, the harness's check before sending, the family checks)."""

    # Refused: the `unknown_model` refusal where one is declared, else the request model's own validation.
    REFUSED = "refused"
    # Spoken as `Synthesis.default_model`, as a request that names none ("If omitted or set to an unrecognized value,
    # the request falls back to ..."); the sandbox records a finding naming the value.
    DEFAULT = "default"


@dataclass(frozen=True, slots=True)
class FormatWords:
    """Where a JSON answer (or each of its events) names its own audio beside it: JSON pointers to a media type
    (`inlineData.mimeType`), to one of the synthesis' format names (`audio_format`), to a
    sample rate in Hz (`extra_info.audio_sample_rate`); "" where it says nothing of the kind. The
    benchmark holds them against what was asked and what the bytes are (`harness.core.audio.read_as_claimed`)."""

    media_type: str = ""
    format: str = ""
    rate: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Synthesis:
    """One endpoint that speaks: its `Endpoint` (request model with the documented ranges, responses),
    where the inputs go, the formats it answers in, and the request the benchmark starts from. Two syntheses may
    share a method and path where the documents give that path two answer forms; each then names the request
    field value that picks it (`chosen_by`), and each is its own endpoint key to the plans, fixtures and
    benchmark."""

    endpoint: Endpoint
    slots: Slots
    formats: tuple[Format, ...]
    default_format: str  # the format answered when the request names none
    template: Mapping[str, Any] = field(default_factory=dict)
    rate_as_text: bool = False  # the rate slot takes a string ("16000", a SampleRate)
    # What a JSON answer (or each event) carries beside the audio, as a template (`fill`): `{format}`,
    # `{media_type}`, `{rate}`, `{billed_characters}`, `{text}` (what was spoken), `{duration_ms}` and
    # `{duration_s}` are filled in (inlineData.mimeType, audio_format, billable_characters_count
    # and speech_marks); the audio goes at its pointer.
    answer: Mapping[str, Any] = field(default_factory=dict)
    # A stream of events: where each event names itself (written as its SSE `event:` line, a
    # `speech.audio.delta`), and the event that ends the stream (its `speech.audio.done` with usage), filled as
    # `answer` is.
    event_at: str = ""
    last_event: Mapping[str, Any] | str = field(default_factory=dict)  # a string: its data as it is (`[DONE]`)
    # The request field value that picks this answer form among the syntheses sharing its method and path; the
    # benchmark's request carries the first value. None: the path has one answer form.
    chosen_by: Selector | None = None
    # A stream whose last event carries the whole audio again beside `last_event` (an aggregated audio)
    # unless the request's flag at this pointer is true: the events before it hold the pieces.
    whole_audio_last_unless: str = ""
    # Where the answer's JSON (each event's, in a stream) says what its audio is; None: it says nothing.
    format_words: FormatWords | None = None
    # Timing marks in a stream of events: the marks' event (`Marks.answer`'s template, the lists at the marks'
    # pointers) after the audio event whose speech ends them, where the request asks (`asked_by`). None: no marks.
    marks: Marks | None = None
    # The model a request that names none is answered by, where the documents give one ("the default voice
    # model aura-asteria-en will be used"); "": a request without its model slot names no declared model.
    default_model: str = ""
    # A model name no declared model answers to: refused, or spoken as `default_model` where the documents say the
    # request falls back to it (the request model then takes any name at the model slot: `build_provider`).
    unknown_model: UnknownModel = UnknownModel.REFUSED
    # What the answer says was billed (a header, a field of the answer or of an event), as its documents say:
    # sent by the sandbox, read by the benchmark beside the planned price (`harness.core.protocols.billing`).
    billing: tuple[BilledSignal, ...] = ()
    # The provider's own text-normalisation switch on this request, where documented: a run may benchmark it off
    # and on (`bench run --normalisation off,on`); the imitation reads digits as written where it is off.
    normalisation: Normalisation | None = None
    # The markup its text takes (SSML, or tags of the provider's own), as its documents show it: the sandbox honours
    # it and `bench run --corpus markup` judges it (docs/markup.md). None: none documented.
    markup: Markup | None = None

    def __post_init__(self) -> None:
        if self.unknown_model is UnknownModel.DEFAULT and (self.slots.model is None or not self.default_model):
            raise ValueError(
                f"synthesis {self.endpoint.key}: an unknown model spoken as the default needs a model "
                "slot and a default_model"
            )

    def format(self, name: str | None) -> Format:
        """The format a request names, the default where it names none: no value, or a media range (`*/*`,
        `audio/*`: what an HTTP client sends as its `Accept` when it asks for nothing in particular) that no declared
        format is called."""
        names = {fmt.name for fmt in self.formats}
        wanted = self.default_format if not name or (name in MEDIA_RANGES and name not in names) else name
        for fmt in self.formats:
            if fmt.name == wanted:
                return fmt
        raise KeyError(wanted)

    def format_of(self, payload: Any) -> Format:
        """The format a request asks for: the one whose `sets` it holds all of, else the one named at the format
        slot (the default where it names none). KeyError when it asks for none of them."""
        keyed = [fmt for fmt in self.formats if fmt.sets]
        # A None in `sets` is a field the format does not carry: not compared (what a request sends there is a field
        # the format does not list, set aside by the request's check).
        found = next(
            (
                fmt
                for fmt in keyed
                if all(read(payload, at) == value for at, value in fmt.sets.items() if value is not None)
            ),
            None,
        )
        if found is not None:
            return found
        asked = {at: read(payload, at) for fmt in keyed for at in fmt.sets}
        if keyed and self.slots.format is None and any(value is not None for value in asked.values()):
            raise KeyError(", ".join(f"{at.lstrip('/')}={value!r}" for at, value in asked.items() if value is not None))
        name = read(payload, self.slots.format)
        return self.format(None if name is None else str(name))


@dataclass(frozen=True, slots=True)
class Voice:
    """A voice the documents show: its name, language, gender, the models that speak it (empty: all)."""

    name: str
    language: str = "en-US"
    gender: str = ""
    models: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """One benchmarkable model (a model, a voice type or an engine): what the request sets for it, the voice
    the benchmark speaks with, and its documented price per million characters."""

    name: str
    synthesis: str  # the key of the synthesis endpoint that serves it
    voice: str
    sets: Mapping[str, Any] = field(default_factory=dict)  # pointer -> value the request carries for it
    usd_per_million_chars: Decimal | None = None
    price_note: str = ""  # the documents' words for the price, and the date they were read
    streams: bool | None = None  # None: as its synthesis endpoint's role says (a STREAM role is timed as one)
    # The languages it speaks, as the request names them ("es", "es-ES", "hi-IN"): the plan runs a corpus on the
    # models that speak its language (`harness.core.languages`); where a voice speaks one language (a locale's voice),
    # a language is spoken by a declared voice of it that the model speaks (`voice_for`).
    languages: tuple[str, ...] = ("en",)
    languages_source: str = ""  # the documents' words for its languages, their URL and the date read
    max_chars: int | None = None
    description: str = ""
    named_only: bool = False  # benchmarked where a run names it (`--models`), not in the default selection


@dataclass(frozen=True, slots=True)
class SpeechRefusal:
    """One documented refusal: its status, the provider's code for it, and its message (`{detail}` is
    filled with the particulars: the voice asked for, the validation's problems)."""

    status: int
    code: str
    message: str

    def says(self, detail: str = "") -> str:
        return self.message.replace("{detail}", detail)


@dataclass(frozen=True, slots=True, kw_only=True)
class SpeechRefusals:
    """The provider's words for each refusal the family's imitation makes."""

    invalid: SpeechRefusal  # a request the documents forbid
    missing_key: SpeechRefusal
    bad_key: SpeechRefusal
    unknown_voice: SpeechRefusal
    rate_limited: SpeechRefusal
    quota: SpeechRefusal
    unknown_model: SpeechRefusal | None = None
    not_found: SpeechRefusal = SpeechRefusal(404, "NotFound", "Not found: {detail}")
    busy: SpeechRefusal = SpeechRefusal(503, "ServiceUnavailable", "The service is temporarily unavailable.")
    server_error: SpeechRefusal = SpeechRefusal(500, "InternalError", "Internal server error.")
    bad_signature: SpeechRefusal | None = None  # a signed request whose signature does not match (SigV4)
    too_long: SpeechRefusal | None = None  # a text over the documented limit, where its code is its own (else
    # `invalid`)


@dataclass(frozen=True, slots=True)
class ErrorShape:
    """How the provider writes an error. `body` is a template: a string that is exactly `{status}` becomes
    the status as a number; `{status}`, `{code}`, `{message}` and `{id}` (a fresh UUID: the request's id, a
    `request_id`) inside other strings are filled in; `{param}` is the request field the refusal is about
    (a `param`: `voice`, `model`, `input`), null where none is. None:
    the documents show an empty body. `headers` are templates the same way (`x-amzn-ErrorType: {code}`).
    `by_status`: a status whose body has a shape of its own (a validation error's `{"detail": [...]}`)."""

    body: Mapping[str, Any] | None
    headers: Mapping[str, str] = field(default_factory=dict)
    by_status: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)

    def render(self, status: int, code: str, message: str, param: str | None = None) -> tuple[Any, dict[str, str]]:
        values = {"status": status, "code": code, "message": message, "param": param, "id": str(uuid.uuid4())}
        template = self.by_status.get(status, self.body)
        body = None if template is None else fill(template, values)
        return body, {name: _header_safe(str(fill(value, values))) for name, value in self.headers.items()}


def _header_safe(value: str) -> str:
    """A header value an HTTP answer can carry: one line of ISO-8859-1 (a message's quotes and dashes as `?`)."""
    return " ".join(value.split()).encode("latin-1", "replace").decode("latin-1")


@dataclass(frozen=True, slots=True)
class Listing:
    """An endpoint that lists the voices: the sandbox answers it from the service's voices, in the
    documented body `render` makes (a small function of the declaration: the documents' field names)."""

    endpoint: Endpoint
    render: Callable[[Sequence[Voice]], Any]
    language_param: str = ""  # a query parameter that filters by language, where documented


@dataclass(frozen=True, slots=True)
class TokenExchange:
    """A documented endpoint that trades the key for a short-lived token the other endpoints take as
    `Authorization: Bearer TOKEN` (an `issueToken` endpoint): answered as plain text."""

    endpoint: Endpoint
    lifetime_s: float
    scheme: str = "Bearer"


@dataclass(frozen=True, slots=True, kw_only=True)
class SpeechService:
    """A provider of the family, as its documents describe it: every field quotes them (see a built-in
    provider's `declaration.py`); `build_provider` makes its `Provider`."""

    name: str
    title: str
    hosts: Mapping[str, str]
    auth: Auth
    key_env: str
    docs: tuple[str, ...]
    error_model: type[BaseModel]
    errors: ErrorShape
    refusals: SpeechRefusals
    syntheses: tuple[Synthesis, ...]
    models: tuple[Model, ...]
    voices: tuple[Voice, ...]
    listings: tuple[Listing, ...] = ()
    token: TokenExchange | None = None
    other_endpoints: tuple[Endpoint, ...] = ()
    doc_drift: tuple[DocDrift, ...] = ()
    region_env: str = ""
    default_region: str = ""
    rate_limit_headers: tuple[str, ...] = ()
    # An answer header naming each request for the provider's logs and support (AWS's `x-amzn-RequestId`, which
    # botocore reads as ResponseMetadata.RequestId): sent with a fresh UUID on every answer, errors included.
    request_id_header: str = ""
    # The API reads JSON as proto3 does: each field by its lowerCamelCase name or by its proto (snake_case) name
    # (a generateContent; its official client 3.6 sends speech_config's inner fields snake_case).
    proto3_json: bool = False
    # Where the documents put an error inside a 2xx answer and in each streamed event (a `base_resp`-style status); its
    # codes mean the statuses of `refusals` unless `statuses` says otherwise. None: a 2xx answer never carries
    # one (a stream's error events are still read in the form nearly every stream writes them).
    answer_errors: BodyErrors | None = None
    # The `protocol =` names a providers file may use to mean `like = "<this provider>"` (harness.core.declared).
    file_protocols: tuple[str, ...] = ()
    # The price sheet its offerings are priced by (`Provider.price_sheet`): None, its own name's; "" none.
    prices_from: str | None = None
    # Whether `voices` is the whole set the reference offers (closed, the default: an id it does not list is the
    # `unknown_voice` refusal) or a sample of a larger one (open: a voice library, the account's own voices; any id of
    # the documented form is spoken with a finding). Read by every imitation of the family: HTTP, socket, gRPC.
    voice_catalogue: Catalogue = CLOSED
    # Values clients send outside a listed set (another case, another unit), each decided from evidence: taken as the
    # listed value with a finding, or refused as the reference shows (`harness.core.protocols.value_variants`).
    value_variants: tuple[ValueVariant, ...] = ()
    # Model names the provider takes beyond `models` (newer models, snapshots, aliases, clients' defaults), each with
    # its evidence: spoken like a declared model of the same synthesis, no offering of the market
    # (`harness.core.protocols.catalogues.KnownModel`).
    known_models: tuple[KnownModel, ...] = ()
    # Fields clients send under another spelling (`voice_id` for `voiceId`), decided as the values are.
    field_spellings: tuple[FieldSpelling, ...] = ()
    # What a compatible server of this API must do, clause by clause in the documents' words (`tts-harness conform`);
    # None: no clauses declared.
    conformance: ConformClauses | None = None

    def __post_init__(self) -> None:
        sent = self.sent_models()
        for known in self.known_models:
            if known.like not in sent and not known.socket:  # a socket's own names are checked with it (`with_sockets`)
                raise ValueError(
                    f"{self.name}: known model {known.name} is spoken like {known.like!r}, which no "
                    "declared model sends"
                )
            if known.name in sent:
                raise ValueError(f"{self.name}: known model {known.name} is a declared model already")

    def sent_models(self) -> set[str]:
        """The model names the declared models send (their own, or another at the model slot: `Model.sets`)."""
        return {
            m.sets.get(s.slots.model or "", m.name)
            for s in self.syntheses
            for m in self.models
            if m.synthesis == s.endpoint.key
        } | {m.name for m in self.models}

    def synthesis(self, key: str) -> Synthesis:
        for synthesis in self.syntheses:
            if synthesis.endpoint.key == key:
                return synthesis
        raise KeyError(f"{self.name} has no synthesis endpoint {key!r}")

    def model(self, name: str) -> Model:
        for model in self.models:
            if model.name == name:
                return model
        raise KeyError(name)

    def voice(self, name: str) -> Voice | None:
        return next((voice for voice in self.voices if voice.name == name), None)

    def speaks(self, voice: Voice, model: str) -> bool:
        """Whether `voice` speaks the model named `model`: a voice tied to no model speaks all; a known model speaks
        the voices of the model it is spoken like besides its own (the references tie none to it otherwise)."""
        like = next((known.like for known in self.known_models if known.name == model), None)
        return not voice.models or model in voice.models or like in voice.models


# --- building requests --------------------------------------------------------------------------------


def fill(template: Any, values: Mapping[str, Any]) -> Any:
    """A template with its `{name}`s filled: a string that is exactly `{name}` becomes the value itself (a
    number stays a number); inside other strings each is replaced by the value's text."""
    if isinstance(template, str):
        if template.startswith("{") and template.endswith("}") and template[1:-1] in values:
            return values[template[1:-1]]
        for name, value in values.items():
            template = template.replace("{" + name + "}", str(value))
        return template
    if isinstance(template, Mapping):
        return {key: fill(item, values) for key, item in template.items()}
    if isinstance(template, list):
        return [fill(item, values) for item in template]
    return template


def read(data: Any, where: str | None) -> Any:
    """The value at `where` in `data`, or None when absent (or no pointer)."""
    if where is None:
        return None
    present, value = resolve(data, where)
    return value if present else None


def wanted_format(synthesis: Synthesis, audio_format: str) -> Format:
    """The declared format that serves a wish for `audio_format` ("wav"): one in that container, else the
    lossless one first (`PREFERRED_CONTAINERS`), else the default. A format answered by assumption (`assumed`: the
    documents leave its bytes unsaid) is never picked for a wish: the benchmark asks for what the documents describe."""
    described = [fmt for fmt in synthesis.formats if not fmt.assumed] or list(synthesis.formats)
    by_container = {fmt.spec.container: fmt for fmt in reversed(described)}
    if audio_format in by_container:
        return by_container[audio_format]
    for container in PREFERRED_CONTAINERS:
        if container in by_container:
            return by_container[container]
    return synthesis.format(None)


def model_normalisation(service: SpeechService, model: Model) -> Normalisation | None:
    """The text-normalisation switch `model`'s request has, where its synthesis declares one for it."""
    switch = service.synthesis(model.synthesis).normalisation
    return None if switch is None else switch.of(model.name)


def voice_for(service: SpeechService, model: Model, language: str) -> tuple[str, str | None]:
    """The voice `model` speaks `language` with and the language its request names (None: its voice's own). English
    is the model's own voice, as ever; another language its own voice where that voice is of it or of no one
    language (a multilingual voice), else the first declared voice of that language the model speaks (a locale's
    voice), the language named as the model's declaration writes it."""
    own = service.voice(model.voice)
    if primary(language) == "en" or (own is not None and primary(own.language) == primary(language)):
        return model.voice, None
    tag = tag_for(model.languages, language) or language
    slot = service.synthesis(model.synthesis).slots.model
    sent = model.sets.get(slot, model.name) if slot else model.name
    local = [
        voice
        for voice in service.voices
        if primary(voice.language) == primary(language) and voice.models and service.speaks(voice, sent)
    ]
    if local:
        chosen = tag_for([voice.language for voice in local], tag)
        best = next(voice for voice in local if voice.language == chosen)
        return best.name, best.language
    return model.voice, tag


def request_for(service: SpeechService, model: Model, given: SynthesisInput) -> dict[str, Any]:
    """The request the benchmark sends for `given` to `model`: the synthesis' template with each slot set, in the
    language `given` asks for (`voice_for`)."""
    synthesis = service.synthesis(model.synthesis)
    slots = synthesis.slots
    body: dict[str, Any] = copy.deepcopy(dict(synthesis.template))
    if synthesis.chosen_by is not None:
        put(body, synthesis.chosen_by.pointer, synthesis.chosen_by.values[0])
    put(body, slots.text, given.text)
    name, language = voice_for(service, model, given.language)
    if slots.voice is not None:
        put(body, slots.voice, name)
    voice = service.voice(name)
    if slots.language is not None and (language is not None or voice is not None):
        put(body, slots.language, language if language is not None else voice.language)  # type: ignore[union-attr]
    if slots.model is not None:
        put(body, slots.model, model.name)
    for where, value in model.sets.items():
        put(body, where, value)
    return in_format(synthesis, body, wanted_format(synthesis, given.audio_format))


def in_format(synthesis: Synthesis, body: dict[str, Any], fmt: Format) -> dict[str, Any]:
    """`body` asking for `fmt`: its format slot, and its rate slot where the format's rate is a choice."""
    if synthesis.slots.format is not None:
        put(body, synthesis.slots.format, fmt.name)
    for where, value in fmt.sets.items():
        if value is None:
            drop(body, where)  # a field this format does not carry
        else:
            put(body, where, value)
    for where, value in fmt.fills.items():
        put(body, where, value)
    if synthesis.slots.rate is not None:
        if fmt.rates:
            rate = fmt.spec.sample_rate
            put(body, synthesis.slots.rate, str(rate) if synthesis.rate_as_text else rate)
        else:  # the format has one rate: a rate asked for another format must not travel with it
            drop(body, synthesis.slots.rate)
    return body


def respelled(spellings: Sequence[FieldSpelling], synthesis: Synthesis, payload: dict[str, Any]) -> list[FieldSpelling]:
    """The fields of `payload` sent under a declared other spelling, moved (in place) to the reference's spelling;
    a field the request also names as the reference spells it keeps that value, the other spelling dropped."""
    moved = []
    for spelling in spellings:
        if not spelling.applies(synthesis.endpoint.key):
            continue
        present, value = resolve(payload, spelling.sent)
        if not present:
            continue
        drop(payload, spelling.sent)
        if not resolve(payload, spelling.means)[0]:
            put(payload, spelling.means, value)
            moved.append(spelling)
    return moved


def resolve_values(
    variants: Sequence[ValueVariant], synthesis: Synthesis, payload: Mapping[str, Any]
) -> list[Resolved]:
    """The values of a request outside their listed sets that the evidence decides (`value_variants`): each declared
    variant at its pointer, and at the format slot a declared format's name in another case (the family's rule)."""
    key = synthesis.endpoint.key
    pointers = [variant.at for variant in variants if variant.applies(key)]
    if synthesis.slots.format is not None:
        pointers.append(synthesis.slots.format)
    found = []
    for at in dict.fromkeys(pointers):
        value = read(payload, at)
        if value is None:
            continue
        variant = declared_variant(variants, key, at, value)
        if variant is not None:
            found.append(Resolved(at, value, variant.means, variant.words, variant.evidence))
        elif at == synthesis.slots.format and (name := case_variant(value, [f.name for f in synthesis.formats])):
            found.append(Resolved(at, value, name, "the reference lists the name in another case"))
    return found


def price(model: Model, synthesis: Synthesis, payload: Mapping[str, Any]) -> Cost:
    """The documented price of a request: its text's characters at the model's price per million."""
    text = read(payload, synthesis.slots.text)
    per_million = model.usd_per_million_chars or Decimal(0)
    return Cost(Decimal(len(str(text or ""))) * per_million / Decimal(1_000_000), CostUnit.USD)


def model_of(service: SpeechService, synthesis: Synthesis, payload: Mapping[str, Any]) -> Model | None:
    """Which declared model a request asks for: by its model slot, else by what a model sets, else by its
    voice (a voice type is the model: Standard, WaveNet, Neural2 voices). A synthesis no model is offered on
    speaks the models of the syntheses that name theirs at the same slot (a `/stream` and
    `/with-timestamps` take the `model_id`s of Create speech)."""
    candidates = served_models(service, synthesis)
    if synthesis.slots.model is not None:
        named = read(payload, synthesis.slots.model)
        if named is None and synthesis.default_model:
            named = synthesis.default_model
        found = _named(candidates, synthesis.slots.model, named)
        if found is None:
            found = known_model(service, candidates, synthesis.slots.model, named)
        if found is None and synthesis.unknown_model is UnknownModel.DEFAULT:  # the documents' fallback
            found = _named(candidates, synthesis.slots.model, synthesis.default_model)
        return found
    matching = [m for m in candidates if m.sets and all(read(payload, k) == v for k, v in m.sets.items())]
    if matching:
        return matching[0]
    voice = service.voice(str(read(payload, synthesis.slots.voice)))
    if voice is not None and voice.models:
        return next((m for m in candidates if m.name in voice.models), None)
    return candidates[0] if len(candidates) == 1 else None


def served_models(service: SpeechService, synthesis: Synthesis) -> list[Model]:
    """The declared models a synthesis speaks: its own, else those of the syntheses naming theirs at the same slot."""
    return [m for m in service.models if m.synthesis == synthesis.endpoint.key] or [
        m
        for m in service.models
        if synthesis.slots.model is not None and service.synthesis(m.synthesis).slots.model == synthesis.slots.model
    ]


def known_model(service: SpeechService, candidates: Sequence[Model], slot: str, named: Any) -> Model | None:
    """The declared model a known model name (`SpeechService.known_models`) is spoken as, under that name; None where
    the name is no known model, is a socket's own (`KnownModel.socket`), or the model it is spoken like is not among
    `candidates`."""
    known = next((k for k in service.known_models if k.name == named and not k.socket), None)
    base = None if known is None else _named(candidates, slot, known.like)
    return None if known is None or base is None else spoken_like(known, base, slot)


def spoken_like(known: KnownModel, base: Model, slot: str | None) -> Model:
    """`base` answering to a known model's name: an alias keeps the model's own name (its price) and sends the alias
    at the model slot; another model is a model of its own name, unpriced (no offering, no price of its own)."""
    others = {at: value for at, value in base.sets.items() if at != slot}
    if known.alias:
        return replace(base, sets={**others, slot: known.name}) if slot else base
    return replace(
        base,
        name=known.name,
        sets=others,
        usd_per_million_chars=None,
        price_note="",
        description=f"{known.name}, spoken like {base.name}",
    )


def _named(candidates: Sequence[Model], slot: str, named: Any) -> Model | None:
    # a model may send another name than it is offered under (`sets` at the model slot: the same model on a second
    # endpoint, simba-english over /v1/audio/stream)
    return next((m for m in candidates if m.sets.get(slot, m.name) == named), None)


def unrecognised_model(service: SpeechService, synthesis: Synthesis, payload: Mapping[str, Any]) -> str | None:
    """The model name a request names that no declared model answers to, where the synthesis speaks such a request
    as its default model (`UnknownModel.DEFAULT`); None where it names a declared one, names none, or is refused."""
    slot = synthesis.slots.model
    if slot is None or synthesis.unknown_model is not UnknownModel.DEFAULT:
        return None
    named = read(payload, slot)
    if named is None:
        return None
    plain = replace(synthesis, unknown_model=UnknownModel.REFUSED)
    return None if model_of(service, plain, payload) is not None else str(named)


def asked_media_type(provider: Provider, endpoint: Endpoint, payload: Mapping[str, Any]) -> str | None:
    """What a request of the family asked for, as a media type that says it whole, where the answer's own
    Content-Type cannot: headerless 16-bit PCM or G.711 with its rate (`audio/pcm;rate=16000`, a `pcm` format;
    `audio/basic;rate=8000`, a μ-law one). None for anything else (a container names its own rate) and for providers
    of other families."""
    service = provider.family
    if not isinstance(service, SpeechService):
        return None
    try:
        synthesis = service.synthesis(endpoint.key)
        fmt = synthesis.format_of(payload)
    except KeyError:
        return None
    named = HEADERLESS.get(fmt.spec.codec)
    if fmt.spec.container != "raw" or named is None:
        return None
    rate = read(payload, synthesis.slots.rate)
    return f"{named};rate={int(rate) if str(rate or '').isdigit() else fmt.spec.sample_rate}"


def label_documented(provider: Provider, endpoint: Endpoint, payload: Mapping[str, Any]) -> bool:
    """Whether the provider documents the exact Content-Type of the format a request of the family asked for
    (`Format.media_type_documented`): then another name of the same bytes is a violation, not a finding
    (`core.audio.judge_label`, asked by the family checks and by `core.validate.check_response` alike)."""
    service = provider.family
    if not isinstance(service, SpeechService):
        return False
    try:
        return service.synthesis(endpoint.key).format_of(payload).media_type_documented
    except KeyError:
        return False


def _request_price(service: SpeechService, synthesis: Synthesis, payload: Mapping[str, Any]) -> Cost | None:
    """A request's price in USD: the model's own declared price (a providers file's), else its provider's published
    price sheet (harness.core.prices), where that prices it before sending."""
    model = model_of(service, synthesis, payload)
    if model is None:
        return None
    if model.usd_per_million_chars is not None:
        return price(model, synthesis, payload)
    sheet_name = service.prices_from if service.prices_from is not None else service.name
    sheet = builtin_sheets().sheet(sheet_name) if sheet_name else None
    found = None if sheet is None else planned(sheet, model.name, str(read(payload, synthesis.slots.text) or ""))
    return None if found is None or found.usd is None else Cost(found.usd, CostUnit.USD)


# --- the provider -----------------------------------------------------------------------------------


def _any_model(synthesis: Synthesis) -> Endpoint:
    """The synthesis' endpoint whose request model takes any name at the model slot where an unknown model is spoken
    as the default (`UnknownModel.DEFAULT`): the provider does not refuse one, so neither the harness's check before
    sending nor the sandbox may. The field keeps its default and its words; every other field is the declaration's."""
    if synthesis.unknown_model is not UnknownModel.DEFAULT:
        return synthesis.endpoint
    return open_model_slot(synthesis, f"an unrecognised name is spoken as {synthesis.default_model}")


def open_model_slot(synthesis: Synthesis, why: str) -> Endpoint:
    """The synthesis' endpoint with a request model that takes any name at a top-level model slot (the field keeps its
    default and words, `why` added; every other field is the declaration's): where the documents say an unknown model
    falls back, and where a team's own catalogue names a model newer than the declaration (the sandbox's)."""
    endpoint, slot = synthesis.endpoint, synthesis.slots.model
    request = endpoint.request
    if slot is None or request is None:
        return endpoint
    wire = slot.lstrip("/").split("/")[0]
    name = next((n for n, info in request.model_fields.items() if (info.alias or n) == wire), None)
    if name is None:  # not a declared field: an open body takes it as given
        return endpoint
    if "/" in slot.lstrip("/"):
        raise ValueError(
            f"synthesis {endpoint.key}: an unknown model spoken as the default needs a top-level model slot, not {slot}"
        )
    info = request.model_fields[name]
    if info.annotation is str or set(get_args(info.annotation)) == {str, type(None)}:
        return endpoint  # any name already, its own constraints kept
    words = f"{info.description or 'The model'} ({why})"
    kept = (
        Field(alias=info.alias, description=words)
        if info.is_required()
        else Field(info.default, alias=info.alias, description=words)
    )
    widened: type[BaseModel] = create_model(
        request.__name__,
        __base__=request,
        __module__=request.__module__,
        **{name: (str if info.is_required() else str | None, kept)},
    )  # type: ignore[call-overload]
    return replace(endpoint, request=widened)


def _completed(service: SpeechService, synthesis: Synthesis) -> Endpoint:
    """The synthesis' endpoint with its answer's error rule and last event as every engine reads them (from the
    declaration's `answer_errors` and `refusals`, and its `last_event` against `answer`), its request model taking
    any model name where an unknown one is spoken as the default (`_any_model`)."""
    endpoint = _any_model(synthesis)
    success = endpoint.response_for(endpoint.success_status)
    body = carrier(success)
    if success is None or body is None:
        return endpoint
    rules = _answer_errors(service)
    if isinstance(body, JsonBody):
        completed: JsonBody | EventStreamBody | NdjsonBody = replace(body, errors=rules)
    else:
        completed = replace(body, errors=rules or body.errors, last=body.last or last_event_mark(synthesis))
    bodies = tuple(completed if one is body else one for one in success.bodies)
    responses = tuple(replace(success, bodies=bodies) if one is success else one for one in endpoint.responses)
    return replace(endpoint, responses=responses)


def _answer_errors(service: SpeechService) -> BodyErrors | None:
    rules = service.answer_errors
    if rules is None:
        return None
    refusals = service.refusals
    named = (
        refusals.invalid,
        refusals.missing_key,
        refusals.bad_key,
        refusals.unknown_voice,
        refusals.rate_limited,
        refusals.quota,
        refusals.unknown_model,
        refusals.not_found,
        refusals.busy,
        refusals.server_error,
    )
    statuses = {refusal.code: refusal.status for refusal in named if refusal is not None}
    return replace(rules, statuses={**statuses, **rules.statuses})


def last_event_mark(synthesis: Synthesis) -> EventMark | None:
    """How the declared last event is told from the others: its data (`[DONE]`), else the values it holds where
    the other events hold other ones (a `/status` complete, a `/data/status` 2, a
    `/type`); None where none is declared."""
    last = synthesis.last_event
    if isinstance(last, str):
        return EventMark(data=last) if last else None
    if not last:
        return None
    ours = dict(_leaves(last))
    theirs = dict(_leaves(synthesis.answer))
    values = {where: value for where, value in ours.items() if where in theirs and theirs[where] != value}
    if synthesis.event_at and synthesis.event_at in ours:
        values[synthesis.event_at] = ours[synthesis.event_at]
    return EventMark(values=values) if values else None


def _leaves(document: Any, at: str = "") -> list[tuple[str, Any]]:
    """The constant leaves of a template (strings with a `{name}` are filled per answer: not constant)."""
    if isinstance(document, Mapping):
        return [leaf for key, value in document.items() for leaf in _leaves(value, f"{at}/{key}")]
    if isinstance(document, str) and "{" in document:
        return []
    if isinstance(document, list):
        return []
    return [(at, document)]


def build_provider(service: SpeechService) -> Provider:
    """The `Provider` a `SpeechService` describes: its endpoints priced by model, one offering per model."""
    check_forms(service.name, service.syntheses)
    endpoints = []
    for synthesis in service.syntheses:
        endpoint = replace(_completed(service, synthesis), price=partial(_request_price, service, synthesis))
        endpoints.append(endpoint)
    endpoints += [listing.endpoint for listing in service.listings]
    if service.token is not None:
        endpoints.append(service.token.endpoint)
    endpoints += list(service.other_endpoints)
    offerings = tuple(
        Offering(
            name=model.name,
            endpoint=model.synthesis,
            build=partial(request_for, service, model),
            languages=model.languages,
            max_chars=model.max_chars,
            streams=model.streams,
            description=model.description or f"{model.name} (voice {model.voice})",
            normalisation=model_normalisation(service, model),
            markup=service.synthesis(model.synthesis).markup,
            named_only=model.named_only,
        )
        for model in service.models
    )
    return Provider(
        name=service.name,
        title=service.title,
        hosts=dict(service.hosts),
        auth=service.auth,
        key_env=service.key_env,
        endpoints=tuple(endpoints),
        error_model=service.error_model,
        docs=service.docs,
        doc_drift=service.doc_drift,
        rate_limit_headers=service.rate_limit_headers,
        offerings=offerings,
        protocol=PROTOCOL,
        region_env=service.region_env,
        default_region=service.default_region,
        family=service,
        catalogue=tuple(listing.endpoint.key for listing in service.listings),
        price_sheet=service.prices_from,
    )


def service_of(provider: Provider) -> SpeechService:
    """The declaration a provider of this family was built from."""
    if not isinstance(provider.family, SpeechService):
        raise TypeError(f"{provider.name} was not built from a SpeechService")
    return provider.family
