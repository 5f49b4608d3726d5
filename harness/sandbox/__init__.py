"""The sandbox: one local HTTP server that behaves like every provider and speaks real speech.

With no keys, everything the harness does — contracts over real HTTP, benchmarks, scoring, reports —
runs against it, and because it knows the true timing of every job it is also how the harness checks its
own measurements. It is built from the provider specs (`harness.core.spec`): routing, auth, request
validation (`check_request`), prices, lifecycles and job bindings are read from them, never restated.

Layout (one job per module)
    clock        real and manual clocks; job states are computed from time, never slept through
    profiles     fast / realistic / chaos: durations and fault rates; `Timing` of a model
    timeline     a job's drawn life and its state at any clock reading
    faults       faults by name (`X-Sandbox-Fault` header) and chaos draws
    stream_faults   a provider's streams broken on demand (the drift's `streams`: clicks or gaps at seams, a
                 header mid-stream, samples at another rate than labelled, speech sent on after a cancel; its
                 `marks`: timing marks shifted, scaled, repeated, restarting, merged or not sent)
    markup       a request's markup honoured as its documents show it (words spoken, pauses as silence, tags
                 never spoken), or broken on demand (the drift's `markup`: tags read aloud, pauses dropped)
    emulation    the protocol a provider implements (below)
    emulations   the wire families' imitations (`http_speech`, `jobs`), each serving any provider of its family
                 from the declaration alone; a provider with an emulation of its own keeps it in its package
                 (`harness.providers.<name>.emulation`), so the sandbox names no provider
    loading      registered providers, each with the emulation registered under its name, else its protocol's
    accounts     test keys, tiers, wallets (402), refunds of uncharged states
    ratelimit    sliding-window limits and concurrency on the sandbox clock (429 + Retry-After)
    netguard     the sandbox contacts only loopback or allow-listed hosts, checked before connecting
    voices       reference recordings -> the voice a cloning model speaks with; served test clips
    production   references -> recipe -> synthesis in a thread pool -> encoded audio (cached)
    webhooks     terminal / sync delivery with retries, duplicate fault, delivery log
    jobs         jobs and the bounded store; each job's true record
    job_service  submit / status / media for any provider
    pipeline     a provider's routes and the path of every request (faults, auth, limits, validation)
    services     what emulation handlers may ask of the engine (synthesis, ASR, wallets, publishing)
    published    audio made outside any job, served beneath the media host
    wire         parsing bodies; JSON, SSE and deliberately broken answers
    control      the `/_sandbox` control API;  sink: a built-in webhook receiver
    snapshot     a state file that outlives the process: jobs journalled before their submit is answered
    app, server  the ASGI app; uvicorn in the foreground or a background thread (`running`)
    grpc_server  the gRPC methods' grpc.aio server on the same loop, its own port (`Sandbox.grpc_target`)
    handle       `SandboxHandle`: what a process that started a sandbox (a benchmark run) may ask of it

This module's `__all__` is the sandbox's public surface: other packages of the harness import from
`harness.sandbox` only (tests/core/test_layers.py), the faces (CLI, pytest plugin) excepted.

Using it
    tts-harness serve --profile fast --port 8765          # prints each provider host's base URL and own origin

    from harness.sandbox import running
    with running(profile="fast", seed=0, clock="manual") as sb:
        base = sb.base_url("pixazo", "gateway")          # http://127.0.0.1:PORT/pixazo/gateway
        own = sb.origin("pixazo", "gateway")             # http://127.0.0.1:PORT2: the host at its own origin
        headers = {"Ocp-Apim-Subscription-Key": sb.default_key("pixazo")}
        ...                                               # POST base + documented path, poll, download
        sb.wait_produced(request_id); sb.advance(1.0)     # manual clock: walk the job to COMPLETED
        sb.job(request_id)["transitions"]                 # true state-change times

Each provider host is mounted at `/{provider}/{host}` (e.g. /pixazo/gateway, /pixelapi/api,
/ttsai/api, /ttsai/web); generated media is served at `/{provider}/cdn/...`. Every host is also served
at an origin of its own, a port whose root stands for the live base URL (`Sandbox.origin`; `urls.Origins`),
for clients that take only a host or join absolute paths onto their base URL: the same routes and pipeline.
Every absolute URL in an answer points back at the sandbox (at the own origins for a client that came by one).
Test keys are `sandbox-{provider}-key` (large balance),
`sandbox-{provider}-{tier}` per documented tier, and `sandbox-{provider}-empty` (zero balance). These
address and key rules belong to `harness.core.target`, so the runner and the contract suite build the
same URLs and keys as the sandbox serves.

The emulation protocol
    An emulation is registered in the `tts_harness.emulations` entry-point group under the name of the
    protocol a family speaks (`jobs = "harness.sandbox.emulations.jobs:EMULATION"`) or of the one provider it
    imitates (`X = "harness.providers.X.emulation:EMULATION"`: a provider's own emulation, in its package but
    never imported by its declaration; sandbox code by the layers). The provider never names it (see `loading`).
    EMULATION is an instance of an `Emulation` subclass (or the subclass itself, taking the provider).
    The engine serves every endpoint of the spec beneath its host's mount and does all generic work; the
    subclass declares:

    class XEmulation(Emulation):
        states = StateNames(queued="queued", processing="processing", completed="completed",
                            failed="failed", error="failed")     # the lifecycle's words, checked at load
        tiers = (Tier("free", RateLimit(60), balance=Decimal("0.5")),
                 Tier("paid", RateLimit(600)))                   # from the spec's documented limits
        default_tier = "paid"
        media_path = "/outputs/{job_id}.{ext}"                   # beneath /{provider}/cdn
        webhook_https_only = True

        def plan(self, call: Call) -> JobPlan:                   # SUBMIT: validated params -> plan
            params = call.params                                 # the spec's request model, validated
            voice = Voice(Rendition(Engine.PIPER, 1.1, 24000),
                          Reference("voice_ref", upload=params.voice_ref) if params.voice_ref else None)
            return JobPlan(call.endpoint.model_id or "tts", Speech.single(params.text, voice),
                           Timing(1.0, 3.0, 0.02))
        def accepted(self, job: JobView, call: Call) -> Reply:   # the submit answer
            return Reply({"id": job.id, "status": job.state}, status=200)
        def status(self, job: JobView, *, callback: bool = False) -> Mapping[str, Any]:
            return {"id": job.id, "status": job.state, "output_url": job.media_url, ...}
        def error_body(self, reject: Reject) -> Mapping[str, Any]:   # any refusal, in the provider's shape
            return {"detail": reject.message, **reject.extra}        # extra: the refusal's data fields

    Optional hooks (defaults in `Emulation`): `job_id`, `webhook` (the callback a submit asks for),
    `price` (default: the endpoint's documented price), the refusals in the provider's words
    (`invalid`, `unauthorized`, `insufficient_balance`, `rate_limited`, `busy`, `unknown_job`,
    `model_disabled`, `not_found`; each returns a `Reject`), and `rate_headers` (default: the spec's
    `rate_limit_headers` filled by suffix -Limit/-Remaining/-Reset on every keyed answer).
    `plan` may raise `Reject` for checks the request model cannot express (upload duration, ...).

    Non-job endpoints (AUDIO, STREAM, OTHER roles) are served by handlers the subclass registers in
    `__init__`: `self.handlers[endpoint_key] = async def (call: Call) -> starlette Response`. Handlers get
    `call.services`: `synthesize(speech) -> bytes`, `transcribe(audio) -> str` (the ASR hook,
    `SandboxConfig.transcriber`; 501 when none), `fetch_reference(url, field) -> bytes` (guarded),
    `balance(key)` / `charge(key, cost)` (the wallets; the engine itself charges only job submits, with
    `price`), `now()` (the sandbox clock's wall time), `publish(audio, media_type, name) -> url` (serve
    audio made outside a job, beneath the media host) and `active_jobs(key)`; they build answers with
    `http_bodies.json_reply`, `http_bodies.sse_reply` (Server-Sent Events) or a starlette `Response`.
    SUBMIT endpoints with a `JobBinding` and their STATUS endpoint need no handler.

    WebSocket channels (`Provider.channels`, the realtime protocols) are served by handlers registered
    in `self.sockets[channel_key] = async def (call: SocketCall) -> None`: the call carries the socket
    (not yet accepted), the key found in the auth header, `known`/`admit` (key check, rate limit),
    `deny` (refuse the upgrade with an HTTP answer), the services, and the stream faults; `socket_writer` and
    `utterances` do the shared work of speaking paced audio (see `sockets`).

    gRPC streaming methods (`Provider.rpcs`, the gRPC streaming speech family) are served by handlers registered in
    `self.rpcs[rpc_key] = def (call: RpcCall) -> AsyncIterator[bytes]`: the call carries the request stream as data,
    the key from the method's metadata entry, `known`/`admit` and the services; the handler yields each response's
    audio or raises `RpcRefused(code, details)` (see `grpc_server`, which runs them on a port of its own).

    Key-less calls: where an endpoint has `auth_required=False`, a call without a key gets `call.key`
    None and `call.tier` = the emulation's `anonymous_tier` (limits per client address, and a wallet
    per address opened with that tier's balance); a wrong key is still 401. Where the status endpoint
    needs no auth, a job is found by its id alone.

Faults (`X-Sandbox-Fault: name[, name...]`, or drawn by the chaos profile; see `faults`):
    http-<4xx|5xx> (the provider's error body for that status; 429/503 with Retry-After), malformed-json,
    html-error, connection-reset, hang (released by `release_hangs`, the clock, or a real-time bound),
    truncated-audio, status-backwards, never-finish, job-failed, job-error, duplicate-webhook,
    model-disabled; on a WebSocket handshake: stall-stream, drop-socket (after the first audio), stall-<N>
    (each of the next N chunks held until a listener has run dry: `StreamTruth.stalls`, `underruns`).
A request's `X-Sandbox-Tag: any words` is kept on every stream it makes (`/_sandbox/streams`: `tag`), so a client
compares its own figures with the truth of the very stream it caused (benchmarks/perf/realtime_accuracy.py).
"""

from harness.sandbox.accounts import default_key, empty_key, tier_key
from harness.sandbox.clock import Clock, ManualClock, RealClock
from harness.sandbox.config import KeySpec, SandboxConfig, Transcriber
from harness.sandbox.emulation import (
    Call,
    Emulation,
    Handler,
    JobPlan,
    JobView,
    RateLimit,
    RateState,
    Reference,
    Reject,
    Reply,
    Services,
    SpeakerVoice,
    Speech,
    StateNames,
    Tier,
    WebhookMode,
    WebhookTarget,
)
from harness.sandbox.faults import FAULT_HEADER, Fault
from harness.sandbox.handle import SandboxHandle, SandboxHealth
from harness.sandbox.profiles import Profile, Timing
from harness.sandbox.server import Sandbox, running
from harness.sandbox.timeline import Phase
from harness.sandbox.tls import LocalCA, local_ca
from harness.sandbox.urls import CONTROL_PREFIX, MEDIA_HOST, mount_path

__all__ = [
    "CONTROL_PREFIX",
    "FAULT_HEADER",
    "MEDIA_HOST",
    "Call",
    "Clock",
    "Emulation",
    "Fault",
    "Handler",
    "JobPlan",
    "JobView",
    "KeySpec",
    "LocalCA",
    "ManualClock",
    "Phase",
    "Profile",
    "RateLimit",
    "RateState",
    "RealClock",
    "Reference",
    "Reject",
    "Reply",
    "Sandbox",
    "SandboxConfig",
    "SandboxHandle",
    "SandboxHealth",
    "Services",
    "SpeakerVoice",
    "Speech",
    "StateNames",
    "Tier",
    "Timing",
    "Transcriber",
    "WebhookMode",
    "WebhookTarget",
    "default_key",
    "empty_key",
    "local_ca",
    "mount_path",
    "running",
    "tier_key",
]
