"""The vocabulary a provider module uses to declare its API: the single source of truth.

A provider module builds one `Provider` out of these frozen value types: its hosts, auth header, every
documented `Endpoint` (request model, responses per status, content types, headers, price), the job
`Lifecycle`, and the contradictions its documents contain (`DocDrift`). The contract suite, the
sandbox, the benchmark runner and the CLI all read these declarations; none of them restates a
provider's rules, and nothing here names a provider.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from pydantic import BaseModel, ConfigDict

from harness.core.answer_errors import STREAM_ERRORS, BodyErrors
from harness.core.evidence import DOCUMENTS, Evidence
from harness.core.evidence import EvidenceSource as EvidenceSource  # the vocabulary says it too (re-exported)
from harness.core.languages import ENGLISH
from harness.core.lifecycle import Lifecycle
from harness.core.prices.signals import BilledSignal
from harness.core.retry import DEFAULT_RETRY, RetryPolicy

if TYPE_CHECKING:  # a WebSocket endpoint's vocabulary lives with the realtime protocols that use it
    import httpx  # a signer's argument only: the HTTP client loads where requests are sent, not with the vocabulary

    from harness.core.protocols.markup import Markup
    from harness.core.protocols.realtime_grammar import Channel


class BodyKind(StrEnum):
    """How a request carries its parameters."""

    JSON = "json"
    MULTIPART = "multipart"
    QUERY = "query"
    TEXT = "text"  # a text document rendered from the fields (SSML): `Endpoint.text_body` says how
    NONE = "none"


class Role(StrEnum):
    """What an endpoint is for, so engines can drive it without knowing the provider."""

    SUBMIT = "submit"  # creates an asynchronous job; the answer carries a job id
    STATUS = "status"  # reports a job's state; polled
    AUDIO = "audio"  # answers with audio bytes directly
    STREAM = "stream"  # answers with a stream of audio events
    CALLBACK = "callback"  # a request the provider sends to the user (webhook)
    OTHER = "other"  # informational or management endpoints


class UnknownInput(StrEnum):
    """What a provider does with a request field its documents do not list, as its documents say (the imitation
    follows it; the harness's own requests never send one: `RequestModel` refuses them before sending)."""

    REFUSED = "refused"  # the documents say such a request is refused: the imitation refuses it in the provider's words
    IGNORED = "ignored"  # the documents say unknown fields are ignored: accepted, the field left out
    # The documents do not say: the imitation accepts it (never stricter than the provider) and records a finding
    # naming the field (`GET /_sandbox/findings`, the sandbox's log), so what real clients send is seen, not refused.
    UNDOCUMENTED = "undocumented"


class CostUnit(StrEnum):
    USD = "USD"
    CHARACTERS = "characters"  # billed against a prepaid allowance of characters


@dataclass(frozen=True, slots=True)
class Cost:
    amount: Decimal
    unit: CostUnit = CostUnit.USD

    def __add__(self, other: Cost) -> Cost:
        if other.unit is not self.unit:
            raise ValueError(f"cannot add {other.unit} to {self.unit}")
        return Cost(self.amount + other.amount, self.unit)


PriceFunction = Callable[[Mapping[str, Any]], Cost | None]
"""The documented price of one request, as a function of its parameters (None: the documents give that
request no price, e.g. a model of the endpoint with none)."""


class RequestSigner(Protocol):
    """A key that never travels: the request is signed with it (AWS Signature V4). The client side signs a
    built request; the sandbox side checks a signature against the secret it knows. `harness.core.signing`
    holds the implementations (botocore's signer, an optional extra)."""

    @property
    def name(self) -> str:
        """How `tts-harness providers` names it: `AWS Signature V4`."""

    def credential_from(self, secret: str, environ: Mapping[str, str]) -> str | None:
        """The one credential string a run carries, from the secret in `key_env` and the variables beside it
        (AWS: the key id, a session token); None when a part it needs is not set."""

    def sign(self, request: httpx.Request, key: str, region: str) -> None:
        """Add the signature headers to `request` (its body and URL final)."""

    def key_id(self, headers: Mapping[str, str]) -> str | None:
        """The key the caller claims (its id, from the Authorization header): None when unsigned."""

    def curl_options(self, region: str, secret_variable: str) -> tuple[str, ...]:
        """curl's own options that sign the same way (a dry run's line runs as printed), with the secret as
        the shell variable `secret_variable`."""

    def verify(self, method: str, url: str, headers: Mapping[str, str], body: bytes, key: str) -> str | None:
        """None when the signature is the one `key` makes; else why not, in one line."""

    def unavailable(self) -> str | None:
        """Why this install cannot sign (the library that signs is an extra not installed), in one line; None
        when it can. A contract plan of such a provider is skipped with this reason, not failed."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Auth:
    """How a key travels: `Ocp-Apim-Subscription-Key: KEY`, `Authorization: Bearer KEY`, a query parameter
    (`?key=KEY`), or a signature made with it (`signer`). `others` are further forms the documents say the
    server takes (`x-goog-api-key`, `?key=`, an OAuth bearer token): the sandbox accepts each, the
    harness sends the first."""

    header: str
    scheme: str = ""
    query: str = ""  # the key travels as this query parameter instead of a header
    others: tuple[Auth, ...] = ()
    signer: RequestSigner | None = None
    # The status a key the server does not know is answered with: 401 almost everywhere; some documents answer an
    # invalid API key 400 INVALID_ARGUMENT and keeps 401 for a missing credential (the contract plans ask so).
    invalid_status: int = 401

    def header_value(self, key: str) -> str:
        return f"{self.scheme} {key}" if self.scheme else key

    @property
    def forms(self) -> tuple[Auth, ...]:
        """Every way the key may travel, the one the harness sends first."""
        return (self, *self.others)

    def describe(self) -> str:
        """How a user reads it in `tts-harness providers`: `x-goog-api-key header`, `?key=`, `AWS SigV4`."""
        if self.signer is not None:
            return self.signer.name
        one = f"?{self.query}=" if self.query else f"{self.header}: {self.scheme + ' ' if self.scheme else ''}KEY"
        return " or ".join([one, *(other.describe() for other in self.others)])


@dataclass(frozen=True, slots=True)
class AudioAt:
    """Where an answer carries its audio as text: a JSON pointer, and how the bytes are written there
    (`base64`, or `hex` as some documents write them). `harness.core.audio_fields` reads it for every engine."""

    pointer: str  # "/audioContent", "/data/audio"
    encoding: str = "base64"  # base64 | hex
    # What the bytes are when they carry no header of their own (`audio/L16;codec=pcm;rate=24000`):
    # headerless samples are read as this; "" for audio that names itself (WAV, MP3, Ogg, FLAC).
    media_type: str = ""


@dataclass(frozen=True, slots=True)
class EventMark:
    """How one kind of stream event is told apart: its SSE `event:` name, its whole `data` text (`[DONE]`), the
    values at JSON pointers it carries (a last event holding `/data/status` 2), or pointers where it holds any
    value at all (`present`: a finish reason set on the chunk that ends the stream, whatever the reason).
    Every part given must hold (`harness.core.stream_events` reads it). A last event a stream may also end without
    (`required` False) says only that no audio may follow it."""

    name: str = ""
    data: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)
    present: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True, slots=True)
class JsonBody:
    """A JSON body validated by a pydantic model; `audio` where the body carries the audio itself."""

    model: type[BaseModel]
    content_types: tuple[str, ...] = ("application/json",)
    audio: AudioAt | None = None
    errors: BodyErrors | None = None  # where a 2xx answer carries an error (None: it never does)


@dataclass(frozen=True, slots=True)
class AudioBody:
    """Raw audio bytes."""

    content_types: tuple[str, ...] = ("audio/mpeg", "audio/wav", "audio/flac", "audio/ogg")
    pcm_rate: int | None = None  # headerless 16-bit little-endian mono pcm may come, at this sample rate


@dataclass(frozen=True, slots=True)
class EventStreamBody:
    """Server-Sent Events; each event's JSON `data` validated by `event_model` when given."""

    event_model: type[BaseModel] | None = None
    content_types: tuple[str, ...] = ("text/event-stream",)
    audio: AudioAt | None = None  # where an event's JSON carries audio (unset: the fields sse.py knows)
    errors: BodyErrors = STREAM_ERRORS  # how an event says the stream failed
    last: EventMark | None = None  # the event the documents end the stream with (None: the end of the body)


@dataclass(frozen=True, slots=True)
class NdjsonBody:
    """Newline-delimited JSON, one object a line (a streamed answer); `audio` where a line carries audio."""

    event_model: type[BaseModel] | None = None
    content_types: tuple[str, ...] = ("application/x-ndjson", "application/jsonl", "application/json")
    audio: AudioAt | None = None
    errors: BodyErrors = STREAM_ERRORS  # how a line says the stream failed
    last: EventMark | None = None  # the line the documents end the stream with (None: the end of the body)


@dataclass(frozen=True, slots=True)
class PlainTextBody:
    """A text answer that is not JSON (a token an `issueToken` endpoint answers): non-empty text is all it promises."""

    content_types: tuple[str, ...] = ("text/plain",)


Body = JsonBody | AudioBody | EventStreamBody | NdjsonBody | PlainTextBody


@dataclass(frozen=True, slots=True)
class TextBody:
    """A request body that is a text document made from the request's fields (an SSML document): `render` makes
    it, `parse` reads one back into the fields (the sandbox's side); a document `parse` cannot read raises
    ValueError with the reason."""

    content_type: str
    render: Callable[[Mapping[str, Any]], str]
    parse: Callable[[str], dict[str, Any]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    """One documented answer of an endpoint: a status and the bodies the documents allow for it (none: the
    documents show an empty body).

    Several `bodies` mean the documents contradict each other (one endpoint described as answering audio
    bytes in one place and a queued job in another): every alternative is accepted, and an answer
    that matches any alternative but the first is reported as drift with `drift_note`.
    """

    status: int
    bodies: tuple[Body, ...]
    description: str = ""
    headers: tuple[str, ...] = ()  # response headers the documents promise for this status
    inferred: bool = False  # the document implies this status rather than listing it
    drift_note: str = ""


@dataclass(frozen=True, slots=True)
class RequestVariant:
    """Another request shape for the same endpoint, shown by other evidence than the documents (a client
    library sends `{model, voice}` where the documents require `user_voice_id`). Both are accepted: a
    request valid only as the variant is sent, and reported as drift with `note`."""

    model: type[BaseModel]
    evidence: Evidence
    note: str
    example: Mapping[str, Any] | None = None  # a request of this shape, as the evidence sends it


@dataclass(frozen=True, slots=True)
class Header:
    """A documented request header beyond auth (e.g. `X-Webhook-URL`)."""

    name: str
    description: str = ""
    choices: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True, slots=True)
class DocDrift:
    """A place where the provider's documents contradict themselves."""

    topic: str
    note: str
    docs: tuple[str, ...] = ()


class RequestModel(BaseModel):
    """Base of every provider request model: a parameter the documents do not list is refused.

    An unknown parameter is almost always a typo, and refusing it before sending saves a paid call.
    """

    # defer_build: a model's validator is built when it first validates, not when its module is imported. Every
    # process that reads the declarations (each CLI command, the sandbox, a child pytest) imported some 360 wire models
    # and built every validator, though a command uses a few.
    model_config = ConfigDict(extra="forbid", defer_build=True)


class ResponseModel(BaseModel):
    """Base of every provider response model: fields the provider adds are kept, reported as drift."""

    model_config = ConfigDict(extra="allow", defer_build=True)  # as RequestModel's


class Upload(BaseModel):
    """A file part of a multipart request (`voice_ref=@sample.wav`)."""

    model_config = ConfigDict(frozen=True, defer_build=True)  # built on first use, as the wire models' (above)
    is_upload: ClassVar[bool] = True

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True, slots=True, kw_only=True)
class JobBinding:
    """Where a generic poller finds a job's pieces in this provider's payloads (JSON pointers).

    With it, the runner and the contract suite drive any asynchronous API without provider code:
    submit, read the id, poll the status endpoint with it, read the media URL when done.
    """

    id_pointer: str  # in the submit answer: "/request_id"
    status_endpoint: str  # key of the STATUS endpoint
    status_param: str  # path or query parameter of the status endpoint that takes the id
    media_pointer: str  # in a success status body: "/output/media_url/0"
    media_type_pointer: str | None = None  # declared media type in the status body
    error_pointer: str | None = None
    polling_url_pointer: str | None = None  # an absolute status URL in the submit answer
    created_pointer: str | None = None  # server timestamps in the status body
    started_pointer: str | None = None
    completed_pointer: str | None = None
    # An endpoint that also serves the finished job's audio by its id (its one path parameter): a client
    # library's fixed URL beside the documented media URL. Checked in every job scenario, not alone.
    media_endpoint: str | None = None
    # How coarse stamps print an instant, when the documents say: "truncate" | "round". Unset, the runner
    # learns it from the run (harness.measurement.server_clock) and its intervals cover both until it knows.
    stamp_convention: str | None = None


@dataclass(frozen=True, slots=True)
class SynthesisInput:
    """What the benchmark asks of every provider, before it becomes a provider's request."""

    text: str
    language: str = ENGLISH
    reference_url: str | None = None  # a reference voice the provider fetches by URL
    reference_audio: Upload | None = None  # a reference voice sent as a multipart upload
    audio_format: str = "wav"


@dataclass(frozen=True, slots=True, kw_only=True)
class Normalisation:
    """A provider's own text-normalisation switch, as its documents name it: the request field (a JSON pointer)
    and the values that turn it off and on ("apply_text_normalization": "off" | "on"). A run may benchmark each
    setting (`bench run --normalisation off,on`); the sandbox reads the text without normalising where it is off."""

    pointer: str
    off: Any
    on: Any
    evidence: str  # the documents' words for the switch
    source: str = "docs"  # docs | sdk | client
    models: tuple[str, ...] = ()  # the models the documents give the switch to (empty: every model of the request)

    SETTINGS: ClassVar[tuple[str, ...]] = ("off", "on")

    def of(self, model: str) -> Normalisation | None:
        """The switch where `model`'s request has it (None where the documents give it to other models only)."""
        return self if not self.models or model in self.models else None

    def value(self, setting: str) -> Any:
        """The request value of a setting ("off" or "on")."""
        return {"off": self.off, "on": self.on}[setting]


NORMALISATION_LABEL = " normalisation="  # between an offering's name and its setting, in a variant's name


def normalisation_variant(model: str, setting: str) -> str:
    """The name a model run with its provider's normalisation set so is stored and shown under."""
    return f"{model}{NORMALISATION_LABEL}{setting}"


def normalisation_setting(model: str) -> tuple[str, str | None]:
    """A stored model name's offering and normalisation setting (None: the run did not vary it)."""
    name, found, setting = model.partition(NORMALISATION_LABEL)
    return (name, setting) if found else (model, None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Offering:
    """One benchmarkable model (or mode) of a provider, and how a text becomes its request."""

    name: str  # the model or mode as users name it
    endpoint: str  # key of the endpoint that serves it
    build: Callable[[SynthesisInput], dict[str, Any]]
    clones: bool = False  # needs a reference voice
    languages: tuple[str, ...] = ("en",)
    max_chars: int | None = None
    multi_speaker: bool = False  # takes "Speaker N:" scripts
    description: str = ""
    # Realtime: the key of the `Provider.channels` entry the text is spoken over (a WebSocket). `endpoint` then
    # names the HTTP endpoint that takes the same text in one request: its request model checks the payload
    # `build` makes and its price prices it (the providers price a socket's characters as the request's).
    channel: str | None = None
    # gRPC: the key of the `Provider.rpcs` method the text is spoken over (`endpoint` as for `channel`).
    rpc: str | None = None
    # None: as its endpoint's role says. False: this model is not streamed by an endpoint that can stream
    # (a `tts-1` on /audio/speech, which streams SSE for other models): its answer is plain audio.
    streams: bool | None = None
    # The provider's own text normalisation, where its request has a documented switch (None: none declared).
    normalisation: Normalisation | None = None
    # The markup its text takes, as its documents show it (`harness.core.protocols.markup`; None: none declared).
    markup: Markup | None = None
    # Benchmarked only where a run names it (`--models`): a route the default run leaves out, as one that measures
    # what another offering of the same model already does, beside one thing of its own (its timing marks).
    named_only: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Endpoint:
    """One documented operation of a provider."""

    key: str  # stable, unique within the provider: "<model>.generate"
    method: str
    path: str  # the document's path template: "/v2/requests/status/{request_id}"
    summary: str
    responses: tuple[Response, ...]
    host: str = "default"  # a key of Provider.hosts
    role: Role = Role.OTHER
    request: type[BaseModel] | None = None
    body_kind: BodyKind = BodyKind.NONE
    auth_required: bool = True
    request_headers: tuple[Header, ...] = ()
    price: PriceFunction | None = None
    model_id: str | None = None  # the provider's model this endpoint runs, when it names one
    lifecycle: Lifecycle | None = None  # for SUBMIT/STATUS endpoints: the job lifecycle
    # The endpoint that reverses this one's change on the server (archive → reactivate): a contract run against a
    # server calls it after this one's 2xx scenario, so the server is left as found (a live account's voice too).
    undone_by: str = ""
    inferred: bool = False  # path inferred from the document's naming; not written in it
    example: Mapping[str, Any] | None = None  # the documents' example request, a valid base to mutate
    doc: str = ""  # the document file this comes from
    timestamp_fields: tuple[str, ...] = ()  # JSON pointers of server timestamps in the answer
    variants: tuple[ValueForms, ...] = ()
    job: JobBinding | None = None  # for SUBMIT endpoints of asynchronous APIs
    max_upload_bytes: int | None = None  # the documented size limit of an uploaded file, where one is written
    # A JSON body may come as MessagePack instead (`Content-Type: application/msgpack`, as an official
    # client may send it): the sandbox reads either; the harness sends JSON.
    accepts_msgpack: bool = False
    evidence: Evidence = DOCUMENTS  # `source: sdk` for an endpoint only a client library shows
    request_variants: tuple[RequestVariant, ...] = ()  # other accepted request shapes (drift when used)
    # Where the request model's fields travel besides the body (botocore's `location`): a field named in
    # the path template fills it; these go in the query string, and these in headers (field -> header).
    query_fields: tuple[str, ...] = ()
    header_fields: Mapping[str, str] = field(default_factory=dict)
    text_body: TextBody | None = None  # BodyKind.TEXT: how the body document is made from the fields
    unknown_input: UnknownInput = UnknownInput.UNDOCUMENTED  # a field the request model does not list, on the wire
    # What its 2xx answer says was billed, where no family declares it (a family's synthesis or socket does:
    # `Synthesis.billing`): a queued job's submit answer, read by the benchmark.
    billing: tuple[BilledSignal, ...] = ()

    @property
    def signature(self) -> str:
        """`METHOD /path/template`, how users and the CLI name an endpoint."""
        return f"{self.method} {self.path}"

    def response_for(self, status: int) -> Response | None:
        return next((r for r in self.responses if r.status == status), None)

    @property
    def statuses(self) -> tuple[int, ...]:
        return tuple(r.status for r in self.responses)

    @property
    def success_status(self) -> int:
        return min(s for s in self.statuses if s < 400)


@dataclass(frozen=True, slots=True)
class ValueForms:
    """A field whose documents give more than one value form: the first is primary, the rest drift.

    Example: a `media_type` that is `audio/wav` in one example and `application/octet-stream` in
    another.
    """

    pointer: str
    primary: tuple[str, ...]
    alternates: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Provider:
    """Everything the harness knows about one provider, from its documents."""

    name: str  # the CLI's PROVIDER argument
    title: str
    hosts: Mapping[str, str]  # host key -> live base URL
    auth: Auth
    key_env: str  # environment variable that holds the live key; "" for a server that takes none (`keyless`)
    endpoints: tuple[Endpoint, ...]
    error_model: type[BaseModel]  # the provider's error body
    docs: tuple[str, ...] = ()
    doc_drift: tuple[DocDrift, ...] = ()
    rate_limit_headers: tuple[str, ...] = ()  # sent on every response, per the documents
    usd_per_unit: Mapping[CostUnit, Decimal] = field(default_factory=dict)
    offerings: tuple[Offering, ...] = ()
    protocol: str | None = None  # a published protocol the provider speaks (e.g. "openai-speech"), if any
    # Protocol checks the provider is known to fail, by name, each with the declaration's words: reported
    # as known deviations (xfail), not failures; one that passes is flagged so the entry can go.
    known_deviations: Mapping[str, str] = field(default_factory=dict)
    retry: RetryPolicy = DEFAULT_RETRY  # the documents' backoff constants where they give some (core/retry.py)
    channels: tuple[Channel, ...] = ()  # documented WebSocket endpoints (harness.core.protocols.realtime_grammar)
    # Documented gRPC streaming synthesis methods (`harness.core.protocols.grpc_speech.Rpc`), by `Rpc.key`.
    rpcs: tuple[Any, ...] = ()
    # A host with `{region}` in it (`https://{region}.tts.speech.microsoft.com`): the region comes from this
    # variable, else `default_region`; without either a live run leaves the provider out and says why.
    region_env: str = ""
    default_region: str = ""
    # The endpoints that list its catalogue (voices, models), by key, asked with every benchmark run so a history
    # sees a voice added or a model removed (`harness.runner.deliver.catalogue`); empty where the documents list none.
    catalogue: tuple[str, ...] = ()
    # The wire-family declaration this provider was built from (`harness.core.protocols.http_speech`), for
    # the family's sandbox imitation and checks; None for a provider written as a package.
    family: Any = None
    # The price sheet (`harness/data/prices/<name>.toml`, harness.core.prices) that prices its offerings: None, its
    # own name's; "" none (a providers file's table on another server, or one naming prices of its own).
    price_sheet: str | None = None

    @property
    def keyless(self) -> bool:
        """A server that takes no key (a providers file's `auth = "none"`): none is required, none is sent."""
        return not self.key_env

    def endpoint(self, signature_or_key: str) -> Endpoint:
        """Find an endpoint by `METHOD /path` or by key; `KeyError` lists what exists."""
        for ep in self.endpoints:
            if signature_or_key in (ep.signature, ep.key):
                return ep
        known = ", ".join(ep.signature for ep in self.endpoints)
        raise KeyError(f"{self.name} has no endpoint {signature_or_key!r}; it has: {known}")

    def channel(self, key: str) -> Channel:
        for channel in self.channels:
            if channel.key == key:
                return channel
        raise KeyError(
            f"{self.name} has no WebSocket endpoint {key!r}; it has: "
            f"{', '.join(c.key for c in self.channels) or 'none'}"
        )

    def offering(self, name: str) -> Offering:
        for offering in self.offerings:
            if offering.name == name:
                return offering
        known = ", ".join(o.name for o in self.offerings)
        raise KeyError(f"{self.name} has no model {name!r}; it has: {known}")

    def by_role(self, role: Role) -> tuple[Endpoint, ...]:
        return tuple(ep for ep in self.endpoints if ep.role is role)
