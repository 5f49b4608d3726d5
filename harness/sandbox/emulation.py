"""The emulation protocol: what a provider module tells the sandbox engine, and what it gets back.

The engine does everything generic from the provider's spec (routing, auth, validation through
`check_request`, balances, rate limits, job timelines, synthesis, media, webhooks, faults). A provider's
`Emulation` subclass says only what the spec cannot: how a validated request becomes a `JobPlan` (which
model, what to say in which voice, how long it takes), how a job looks in the provider's status and
submit bodies, and the provider's words for its errors. See the package docstring for a worked example.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from http import HTTPStatus
from typing import Any, ClassVar, Protocol

from pydantic import BaseModel
from starlette.datastructures import Headers, QueryParams
from starlette.responses import JSONResponse, Response
from starlette.websockets import WebSocket

from harness.core.lifecycle import Lifecycle
from harness.core.protocols.catalogues import AccountCatalogue, KnownModel
from harness.core.protocols.realtime_grammar import Channel
from harness.core.spec import Cost, Endpoint, Provider, Upload
from harness.sandbox.faults import Fault
from harness.sandbox.profiles import Timing
from harness.sandbox.stamps import SandboxStamps
from harness.sandbox.streams import StreamPacer
from harness.sandbox.timeline import Phase
from harness.sandbox.urls import MEDIA_HOST, Urls
from harness.speech import MEDIA_TYPES, AudioFormat, Rendition, WordTime

__all__ = [
    "Call",
    "Emulation",
    "Handler",
    "JobPlan",
    "JobView",
    "RateLimit",
    "RateState",
    "Reference",
    "Reject",
    "Reply",
    "Services",
    "SpeakerVoice",
    "Speech",
    "StateNames",
    "Tier",
    "Timing",
    "WebhookMode",
    "WebhookTarget",
]


@dataclass(frozen=True, slots=True)
class StateNames:
    """The provider's word for each generic phase; checked against the spec's lifecycle at load."""

    queued: str
    processing: str
    completed: str
    failed: str
    error: str  # a system error; the same word as `failed` where the provider has only one

    def word(self, phase: Phase) -> str:
        return str(getattr(self, phase.value))

    def check(self, lifecycle: Lifecycle) -> None:
        for phase in Phase:
            if self.word(phase) not in lifecycle.states:
                raise ValueError(f"state {self.word(phase)!r} ({phase}) is not in the lifecycle {lifecycle.states}")
        if self.completed not in lifecycle.success:
            raise ValueError(f"{self.completed!r} is not a success state of the lifecycle")


@dataclass(frozen=True, slots=True)
class RateLimit:
    """A documented limit: `requests` per `window_s` per key, and at most `concurrency` unfinished jobs."""

    requests: int | None = None
    window_s: float = 60.0
    concurrency: int | None = None


@dataclass(frozen=True, slots=True)
class Tier:
    """A plan a key can be on: its rate limit and the balance a new key of this tier starts with (USD)."""

    name: str
    limit: RateLimit = RateLimit()
    balance: Decimal | None = None  # None: the engine's default balance


@dataclass(frozen=True, slots=True)
class RateState:
    """Where a key stands against its limit, for `X-RateLimit-*`-style headers."""

    limit: int
    remaining: int
    reset_s: float  # seconds until the window frees a request


@dataclass(frozen=True, slots=True)
class Reference:
    """A voice to clone: a URL the sandbox fetches (loopback or allow-list only) or uploaded bytes."""

    field: str  # the request field it came from, named in error messages
    url: str | None = None
    upload: Upload | None = None


@dataclass(frozen=True, slots=True)
class SpeakerVoice:
    """How one speaker sounds: a rendition, optionally replaced by the voice of a reference recording, speaking a
    language ("" or English: the rendition as it is; another: espeak-ng's voice of it, `harness.sandbox.languages`)."""

    rendition: Rendition
    reference: Reference | None = None
    language: str = ""


@dataclass(frozen=True, slots=True)
class Speech:
    """What to say and how: lines of (speaker index, text), one voice per speaker, one output format."""

    lines: tuple[tuple[int, str], ...]
    voices: tuple[SpeakerVoice, ...]
    audio_format: AudioFormat = AudioFormat.WAV

    @classmethod
    def single(cls, text: str, voice: SpeakerVoice, audio_format: AudioFormat = AudioFormat.WAV) -> Speech:
        return cls(((0, text),), (voice,), audio_format)

    @property
    def characters(self) -> int:
        return sum(len(text) for _, text in self.lines)

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.audio_format]


class WebhookMode(StrEnum):
    TERMINAL = "terminal"  # exactly one POST at the terminal status
    SYNC = "sync"  # a POST every queue poll cycle, plus the terminal one


@dataclass(frozen=True, slots=True)
class WebhookTarget:
    url: str
    mode: WebhookMode = WebhookMode.TERMINAL
    field: str = "X-Webhook-URL"  # where the URL came from, for error messages


@dataclass(frozen=True, slots=True)
class JobPlan:
    """What a valid submit asks the sandbox to do."""

    model_id: str
    speech: Speech
    timing: Timing
    webhook: WebhookTarget | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)  # anything the status body needs later


@dataclass(frozen=True, slots=True, kw_only=True)
class JobView:
    """A job as of one clock reading: what submit and status bodies are rendered from."""

    id: str
    model_id: str
    phase: Phase
    state: str  # the provider's word for `phase`
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    completed_at: datetime | None  # set once terminal
    error: str | None
    media_url: str | None  # set once COMPLETED
    media_type: str
    cost: Cost | None
    params: BaseModel | None
    extra: Mapping[str, Any]
    urls: Urls
    stamps: SandboxStamps = field(default_factory=SandboxStamps)  # how the server prints the times above (skewed,
    # whole seconds)


class Reject(Exception):
    """Refuse a request: the engine answers `status` with the provider's error body for this rejection.

    `extra` holds the fields a provider's error body carries beyond its title and message (a
    402 that names the characters required and available), as data the emulation's `error_body` reads.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        self.status = status
        self.title = title or HTTPStatus(status).phrase
        self.message = message
        self.headers = dict(headers or {})
        self.extra: Mapping[str, Any] = dict(extra or {})
        super().__init__(f"{status} {self.title}: {message}")


@dataclass(frozen=True, slots=True)
class Reply:
    """A JSON answer."""

    body: Any
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


class Services(Protocol):
    """What the engine offers handlers of non-job endpoints (streaming, direct audio, speech to text)."""

    async def synthesize(self, speech: Speech) -> bytes:
        """The encoded audio of `speech` (references fetched and checked, renders cached)."""
        ...

    async def synthesize_timed(self, speech: Speech) -> tuple[bytes, tuple[WordTime, ...]]:
        """`synthesize`, with where the voice said each written word of its one line (() where it does not tell):
        the truth the sandbox's timing marks are made from."""
        ...

    async def transcribe(self, audio: bytes) -> str:
        """The transcript of an audio file (the configured ASR; `Reject(501)` when none is)."""
        ...

    async def take_time(self, timing: Timing, characters: int) -> float:
        """Hold a synchronous answer for as long as the profile says the work takes; returns the seconds."""
        ...

    async def fetch_reference(self, url: str, field: str) -> bytes:
        """Bytes at a loopback or allow-listed URL; anything else is refused before any connection."""
        ...

    def accepted_unknown(self, where: str, fields: tuple[str, ...]) -> None:
        """Record that `where` (an endpoint's or a socket message's name) accepted `fields` its declaration does
        not list, its documents not saying the provider refuses them: a finding (`GET /_sandbox/findings`)."""
        ...

    def spoke_as_default(self, where: str, field: str, value: str, model: str) -> None:
        """Record that `where` spoke a `value` at `field` no declared model answers to as the default `model`, its
        documents saying the provider falls back: a finding naming the value (`GET /_sandbox/findings`)."""
        ...

    def stream_fault(self) -> str:
        """How this provider's streams break, on demand (`harness.sandbox.stream_faults`; "": they do not)."""
        ...

    def markup_fault(self) -> str:
        """How this provider's markup breaks, on demand (`harness.sandbox.markup`; "": it does not)."""
        ...

    def marks_fault(self) -> str:
        """How this provider's timing marks break, on demand (`harness.sandbox.stream_faults.broken_marks`; "": they
        do not)."""
        ...

    def billed_factor(self) -> float:
        """How many times what the documents say this provider bills its answers say it billed (1: as documented;
        another only where a test changed it, `ProviderDrift.billing`)."""
        ...

    def account_catalogue(self) -> AccountCatalogue:
        """The team's own catalogue for this provider (`tts-harness serve --catalogue FILE`, `POST
        /_sandbox/catalogue`): its voices and models, and the ids it marked missing."""
        ...

    def spoke_known(self, where: str, field: str, known: KnownModel) -> None:
        """Record that `where` spoke a known model name (`SpeechService.known_models`) that no document lists, only
        clients or the official client send: a finding naming them (`catalogues.known_finding`; none for a listed
        one)."""
        ...

    def accepted_variant(self, where: str, field: str, finding: str) -> None:
        """Record that `where` took a value at `field` outside its listed set as the listed value it stands for, the
        evidence silent on what the provider does with it: a finding (`GET /_sandbox/findings`)."""
        ...

    def spoke_unlisted(self, where: str, field: str, kind: str, value: str) -> None:
        """Record that `where` spoke a `value` at `field` that an open catalogue does not list but whose form it
        documents: a finding naming the value (`GET /_sandbox/findings`)."""
        ...

    def balance(self, key: str | None) -> Decimal | None:
        """What is left in a key's wallet (key None: the caller's anonymous wallet); None: unlimited."""
        ...

    def charge(self, key: str | None, cost: Cost | None) -> bool:
        """Take `cost` from a key's (or the anonymous caller's) wallet; False, nothing taken, if it cannot."""
        ...

    def now(self) -> datetime:
        """The sandbox clock's wall time (what server timestamps must say)."""
        ...

    def publish(self, audio: bytes, media_type: str, name: str) -> str:
        """Serve audio made outside any job; its absolute URL on the provider's media host."""
        ...

    def stream(self, text: str) -> StreamPacer:
        """A stream's pacer: holds each chunk until its moment on the sandbox's timeline, keeps the truth."""
        ...

    def active_jobs(self, key: str | None = None) -> int:
        """Unfinished jobs of this provider (of one key when given)."""
        ...

    async def job_audio(self, job_id: str) -> tuple[bytes, str] | None:
        """A completed job's audio and media type (None: no such job, or not completed), for a second
        download path a provider's client uses beside the documented media URL."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Call:
    """One request as an emulation sees it."""

    endpoint: Endpoint
    params: BaseModel | None  # the validated request model
    payload: Mapping[str, Any]  # the wire parameters (uploads as `Upload`)
    headers: Headers
    query: QueryParams
    path_params: Mapping[str, str]
    key: str | None  # None: a key-less call to an endpoint the documents allow without auth
    tier: str | None  # the key's tier; for key-less calls the emulation's `anonymous_tier`
    urls: Urls
    services: Services
    client: str = ""  # the caller's address; key-less calls are limited per address


Handler = Callable[[Call], Awaitable[Response]]


@dataclass(frozen=True, slots=True, kw_only=True)
class SocketCall:
    """One WebSocket connection as an emulation sees it (not yet accepted)."""

    websocket: WebSocket
    channel: Channel
    provider: str
    faults: frozenset[Fault]
    statuses: tuple[int, ...]  # `http-<status>` faults of the handshake, in the order given
    header_key: str | None  # the key in the provider's auth header (scheme stripped); "" when malformed
    services: Services
    known: Callable[[str], bool]  # is this a key of the provider?
    admit: Callable[[str], int | None]  # count an opening against the key's limit: None, or seconds to wait
    stall: Callable[[], Awaitable[None]]  # hold until hangs are released (or the hang bounds pass)
    drop: Callable[[], None]  # cut the connection without a close frame

    @property
    def path_params(self) -> Mapping[str, str]:
        return {k: str(v) for k, v in self.websocket.path_params.items()}

    @property
    def query(self) -> Mapping[str, str]:
        return dict(self.websocket.query_params)

    async def deny(self, status: int, body: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> None:
        """Refuse the upgrade with an HTTP answer (the documents' handshake errors)."""
        await self.websocket.send_denial_response(
            JSONResponse(dict(body), status_code=status, headers=dict(headers or {}))
        )


SocketHandler = Callable[[SocketCall], Awaitable[None]]


class RpcRefused(Exception):
    """End a gRPC call with a status that is not OK: its name (`INVALID_ARGUMENT`) and its details."""

    def __init__(self, code: str, details: str) -> None:
        super().__init__(f"{code}: {details}")
        self.code = code
        self.details = details


@dataclass(frozen=True, slots=True, kw_only=True)
class RpcCall:
    """One gRPC streaming call as an emulation sees it (`harness.sandbox.grpc_server`): the request stream (each
    message as data, with its oneof member set: `(member, fields)`), the key in the method's metadata entry, and what
    the engine offers every call (the synthesis services, the key checks, the rate limiter)."""

    rpc: Any  # harness.core.protocols.grpc_speech.Rpc
    provider: str
    requests: AsyncIterator[tuple[str | None, dict[str, Any]]]
    key: str | None
    services: Services
    known: Callable[[str], bool]
    admit: Callable[[str], int | None]


RpcHandler = Callable[[RpcCall], AsyncIterator[bytes]]  # the audio of each response message, in order; raises
# `RpcRefused` to end the call with that status


class Emulation:
    """Base class of a provider's emulation. Subclasses set the class attributes and override the hooks."""

    states: ClassVar[StateNames]
    tiers: ClassVar[tuple[Tier, ...]] = (Tier("default"),)
    default_tier: ClassVar[str] = "default"
    default_balance: ClassVar[Decimal] = Decimal(1000)  # USD on the default key, enough for any benchmark
    media_path: ClassVar[str] = "/{job_id}/output.{ext}"  # beneath the mount of `media_host`
    media_host: ClassVar[str] = MEDIA_HOST  # the host key results are served from (the documents' example host)
    webhook_https_only: ClassVar[bool] = True  # the documents reject http:// webhook URLs
    anonymous_tier: ClassVar[str | None] = None  # the tier (limits) of key-less calls where auth is optional

    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        self.handlers: dict[str, Handler] = {}
        self.sockets: dict[str, SocketHandler] = {}  # channel key -> handler (harness.sandbox.sockets)
        self.rpcs: dict[str, RpcHandler] = {}  # gRPC method key -> handler (harness.sandbox.grpc_server)
        for endpoint in provider.endpoints:
            if endpoint.lifecycle is not None:
                self.states.check(endpoint.lifecycle)

    # --- jobs ---------------------------------------------------------------------------------------

    def plan(self, call: Call) -> JobPlan:
        """A validated submit as a job plan; raise `Reject` for what the documents refuse beyond ranges."""
        raise Reject(501, f"the sandbox does not emulate {call.endpoint.signature}")

    def job_id(self, plan: JobPlan, token: str) -> str:
        """The provider's id for a new job, from a fresh UUIDv7 `token`."""
        return token

    def webhook(self, call: Call) -> WebhookTarget | None:
        """The callback a submit asks for, if any."""
        return None

    def accepted(self, job: JobView, call: Call) -> Reply:
        """The submit answer."""
        raise NotImplementedError

    def status(self, job: JobView, *, callback: bool = False) -> Mapping[str, Any]:
        """The status body (`callback=True`: the webhook payload)."""
        raise NotImplementedError

    def price(self, call: Call) -> Cost | None:
        """What the submit costs; by default the endpoint's documented price function."""
        return call.endpoint.price(call.payload) if call.endpoint.price else None

    # --- errors, in the provider's words -----------------------------------------------------------

    def error_body(self, reject: Reject) -> Mapping[str, Any] | None:
        """The provider's error body for a rejection (its status, title, message and `extra` fields);
        None where the provider answers with an empty body."""
        raise NotImplementedError

    def error_headers(self, reject: Reject) -> Mapping[str, str]:
        """Headers the provider sends with every error (AWS's `x-amzn-ErrorType`); none by default."""
        return {}

    def key_of(self, credential: str, now: datetime) -> str:
        """The key a credential stands for: itself, or the key a token the provider issued was made from."""
        return credential

    def bad_signature(self, why: str) -> Reject:
        """A signed request whose signature is not the one its key makes."""
        return Reject(403, why)

    def invalid(self, call: Call | None, problems: list[str]) -> Reject:
        return Reject(400, "; ".join(problems))

    def admitted(self, call: Call) -> Call:
        """The call with each value outside a listed set that the evidence says the provider takes replaced by the
        listed value it stands for (`harness.core.protocols.value_variants`), before the request is validated; a
        `Reject` where the evidence shows the provider refusing it. Most emulations take the call as it is."""
        return call

    def request_endpoint(self, call: Call) -> Endpoint:
        """The endpoint whose request model validates `call`: its own, unless the emulation widens a field for what
        the team's catalogue names (a model newer than the declaration)."""
        return call.endpoint

    def too_large(self, endpoint: Endpoint, message: str) -> Reject:
        """A body past the endpoint's limit (refused before or while it arrives): the documents' 400."""
        return Reject(400, message)

    def unauthorized(self, missing: bool) -> Reject:
        header = self.provider.auth.header
        what = "missing" if missing else "invalid"
        return Reject(401, f"Access denied due to {what} credentials in the {header} header.")

    def insufficient_balance(self, call: Call, required: Cost) -> Reject:
        return Reject(402, f"Insufficient balance. Required: ${required.amount}")

    def rate_limited(self, retry_after: int) -> Reject:
        return Reject(
            429, f"Rate limit exceeded; retry after {retry_after} s.", headers={"Retry-After": str(retry_after)}
        )

    def busy(self, retry_after: int) -> Reject:
        return Reject(
            503, "Server busy: the request queue is temporarily full.", headers={"Retry-After": str(retry_after)}
        )

    def unknown_job(self, job_id: str) -> Reject:
        return Reject(404, f"Request {job_id!r} not found")

    def model_disabled(self, model_id: str) -> Reject:
        return Reject(400, f"Model {model_id!r} not found or is disabled")

    def not_found(self, path: str) -> Reject:
        return Reject(404, f"No such endpoint: {path}")

    def rate_headers(self, state: RateState) -> dict[str, str]:
        """The provider's rate-limit headers, matched by name suffix to the spec's `rate_limit_headers`."""
        values = {"limit": str(state.limit), "remaining": str(state.remaining), "reset": str(round(state.reset_s))}
        headers = {}
        for name in self.provider.rate_limit_headers:
            suffix = name.lower().rsplit("-", 1)[-1]
            if suffix in values:
                headers[name] = values[suffix]
        return headers

    def tier(self, name: str) -> Tier:
        for tier in self.tiers:
            if tier.name == name:
                return tier
        raise KeyError(f"{self.provider.name} has no tier {name!r}; it has: {', '.join(t.name for t in self.tiers)}")
