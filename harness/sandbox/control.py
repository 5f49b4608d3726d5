"""The control API under `/_sandbox`: what only a sandbox can tell, and the knobs tests turn.

    GET  /_sandbox                       profile, seed, clock, and each provider's base URLs and test keys
    GET  /_sandbox/jobs                  every stored job's true record (see Job.truth)
    GET  /_sandbox/jobs/{id}?wait=S      one job's true record; waits up to S s for its audio to be produced
    GET  /_sandbox/webhooks?job_id=ID    the webhook delivery log
    GET  /_sandbox/clock                 the clock reading and wall time
    POST /_sandbox/clock/advance         {"seconds": S}: move a manual clock forward (409 on a real clock)
    GET  /_sandbox/counters              requests, statuses, faults, jobs, renders, cache
    GET  /_sandbox/findings              request fields the documents do not list that were accepted (where
                                         the documents do not say the provider refuses them), and unrecognised
                                         models spoken as the default (where they say it falls back), per endpoint
    GET|POST /_sandbox/drift             the provider changing under a history: {"added_latency_s", "pitch_shift",
                                         "misread": ["year-digit-by-digit", "street-as-saint"], "billing": {"provider":
                                         factor}, "language_fallback": {"provider": "en"}} (ProviderDrift; a billing
                                         factor: answers saying they billed `factor` times what the documents bill;
                                         a language fallback: the provider answers in that language, whatever
                                         language a request asks for; "markup": {"provider": "speak" |
                                         "ignore_break"}: its markup's tags read aloud, or its pauses dropped
                                         (harness.sandbox.markup); "" or {} as asked again)
    GET  /_sandbox/catalogue             the team's own catalogue per provider (voices, models, ids marked missing)
    POST /_sandbox/catalogue             {"provider"?, "voices"?, "models"?, "missing"?}: add to it (no provider:
                                         every provider); a voice or model marked missing gets the provider's
                                         not-found refusal, whatever lists it (an open catalogue's negative check)
    POST /_sandbox/hangs/release         end every hang in progress
    POST /_sandbox/keys                  {"provider", "key", "tier"?, "balance"?}: add a key
    GET  /_sandbox/voices[/{file}]       the reference clips (loopback reference URLs for cloning)
    POST /_sandbox/sink/{name}?fail=N    a webhook receiver (its first N posts answered 500); GET lists what it received

Every POST body is read as `control_bodies` declares it: at most 64 KiB (a webhook's 1 MiB) and 8 deep (32), refused
unread past that (413) or unparsed (400), and each key of its documented type and range only (a bool is no number),
refused with one line naming the key and what it takes; nothing changes on a refusal.

A sandbox bound beyond loopback answers whoever reaches it, and this API adds keys and balances, moves
the clock and shows every job: there it needs the control token (`ControlGuard`), generated when the
sandbox starts, printed once, sent as `X-Sandbox-Token`. Two parts stay open, being what providers and
the sandbox itself call: the reference clips (GET .../voices) and the webhook receivers (POST .../sink).
On loopback no token is asked for, so tests and the benchmark's own sandbox work as before.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import math
import secrets
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from harness.core.protocols.catalogues import NO_ACCOUNT, AccountCatalogue
from harness.core.timestamps import format_iso
from harness.sandbox.accounts import default_key, empty_key, tier_key
from harness.sandbox.clock import ManualClock
from harness.sandbox.control_bodies import (
    ADVANCE,
    CATALOGUE,
    DRIFT,
    KEYS,
    SINK_BODY_BYTES,
    SINK_DEPTH,
    Body,
    BodyRefused,
    Field,
    PerProvider,
    bounded_body,
    json_body,
)
from harness.sandbox.state import SandboxState
from harness.sandbox.urls import CONTROL_PREFIX, mount_path

CONTROL_TOKEN_HEADER = "X-Sandbox-Token"
_OPEN = (("GET", "/voices"), ("HEAD", "/voices"), ("POST", "/sink/"))  # (method, path under the prefix)


def needs_control_token(bound_host: str) -> bool:
    """Whether a sandbox listening on this address guards its control API (anything but loopback)."""
    return not ipaddress.ip_address(bound_host.strip("[]")).is_loopback


def new_control_token() -> str:
    return secrets.token_urlsafe(24)


class ControlGuard:
    """ASGI middleware: a control request without the token is refused (403) when a token is set."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    def _guarded(self, method: str, path: str) -> bool:
        if path != CONTROL_PREFIX and not path.startswith(CONTROL_PREFIX + "/"):
            return False
        below = path[len(CONTROL_PREFIX) :]
        return not any(method == open_method and below.startswith(start) for open_method, start in _OPEN)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.token is not None and scope["type"] == "http" and self._guarded(scope["method"], scope["path"]):
            presented = Headers(scope=scope).get(CONTROL_TOKEN_HEADER, "")
            if not hmac.compare_digest(presented.encode(), self.token.encode()):
                refusal = _problem(
                    403,
                    f"the control API of a sandbox bound beyond loopback needs its control "
                    f"token in the {CONTROL_TOKEN_HEADER} header (printed when it started)",
                )
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _problem(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def describe(state: SandboxState, origin: str) -> dict[str, Any]:
    parts = urlsplit(origin)
    providers = {}
    for name, served in state.served.items():
        providers[name] = {
            "title": served.provider.title,
            "base_urls": {host: origin + mount_path(name, host) for host in served.provider.hosts},
            "keys": {
                "default": default_key(name),
                "empty": empty_key(name),
                **{f"tier:{t.name}": tier_key(name, t.name) for t in served.emulation.tiers},
            },
        }
        if state.origins is not None:  # each host at an origin of its own (a port per host)
            owns = ((host, state.origins.of(name, host)) for host in served.provider.hosts)
            providers[name]["origins"] = {
                host: own.base(parts.scheme, parts.hostname or "127.0.0.1") for host, own in owns if own is not None
            }
    clock = state.clock
    return {
        "profile": state.settings.profile.value,
        "seed": state.config.seed,
        "clock": {"now": clock.now(), "wall": format_iso(clock.wall()), "manual": isinstance(clock, ManualClock)},
        "providers": providers,
    }


def control_routes(state: SandboxState) -> list[BaseRoute]:
    return _Control(state).routes()


class _Control:
    """The handlers of the control API, over one sandbox's state."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    @staticmethod
    def origin(request: Request) -> str:
        return f"{request.url.scheme}://{request.url.netloc}"

    async def overview(self, request: Request) -> Response:
        return JSONResponse(describe(self.state, self.origin(request)))

    async def jobs(self, request: Request) -> Response:
        return JSONResponse([job.truth(self.state.clock) for job in self.state.jobs])

    async def job(self, request: Request) -> Response:
        found = self.state.jobs.get(request.path_params["job_id"])
        if found is None:
            return _problem(404, f"no job {request.path_params['job_id']!r} in the store")
        try:
            wait = _finite(request.query_params.get("wait") or "0", "wait", 0.0, 60.0)
        except ValueError as error:
            return _problem(400, str(error))
        if wait > 0:
            await asyncio.to_thread(found.ready.wait, min(wait, 60.0))
        return JSONResponse(found.truth(self.state.clock))

    async def streams(self, request: Request) -> Response:
        # Each stream's true chunk timeline and when speech is first heard (harness.sandbox.streams).
        return JSONResponse([truth.to_json() for truth in list(self.state.streams.streams.values())])

    async def webhooks(self, request: Request) -> Response:
        entries = self.state.deliveries.entries(request.query_params.get("job_id"))
        return JSONResponse([d.as_dict() for d in entries])

    async def clock(self, request: Request) -> Response:
        return JSONResponse(describe(self.state, self.origin(request))["clock"])

    async def _given(self, request: Request, body: Body) -> dict[str, Any] | Response:
        """The body's values as `body` declares them, or the refusal to answer (413 too large, 400 otherwise): one
        line, nothing changed."""
        try:
            return body.read(await json_body(request), self.state)
        except BodyRefused as refused:
            return _problem(refused.status, f"expected {body.words}: {refused}")
        except ValueError as error:
            return _problem(400, f"expected {body.words}: {error}")

    async def advance(self, request: Request) -> Response:
        if not isinstance(self.state.clock, ManualClock):
            return _problem(409, "the sandbox runs on the real clock; start it with a manual clock to advance it")
        given = await self._given(request, ADVANCE)
        if isinstance(given, Response):
            return given
        self.state.clock.advance(given["seconds"])
        return JSONResponse(describe(self.state, self.origin(request))["clock"])

    async def counters(self, request: Request) -> Response:
        return JSONResponse(snapshot_counters(self.state))

    async def findings(self, request: Request) -> Response:
        return JSONResponse(self.state.findings.snapshot())

    async def catalogue(self, request: Request) -> Response:
        if request.method == "POST":
            given = await self._given(request, CATALOGUE)
            if isinstance(given, Response):
                return given
            provider = given.get("provider")
            added = AccountCatalogue(*(given.get(name, frozenset()) for name in ("voices", "models", "missing")))
            for name in [provider] if provider is not None else list(self.state.served):
                self.state.catalogues[name] = self.state.catalogues.get(name, NO_ACCOUNT).merged(added)
        return JSONResponse(
            {
                name: {"voices": sorted(c.voices), "models": sorted(c.models), "missing": sorted(c.missing)}
                for name, c in sorted(self.state.catalogues.items())
            }
        )

    async def release(self, request: Request) -> Response:
        self.state.release_hangs()
        return JSONResponse({"released": True})

    async def keys(self, request: Request) -> Response:
        given = await self._given(request, KEYS)
        if isinstance(given, Response):
            return given
        provider, key = given["provider"], given["key"]
        served = self.state.served[provider]
        try:
            tier = served.emulation.tier(given.get("tier") or served.emulation.default_tier)
        except (KeyError, ValueError) as error:
            return _problem(400, f"expected {KEYS.words}: {error}")
        balance = given.get("balance")
        self.state.accounts.add(provider, key, tier=tier.name, balance=balance)
        return JSONResponse({"provider": provider, "tier": tier.name}, status_code=201)

    async def drift(self, request: Request) -> Response:
        """The provider changing under a history (`ProviderDrift`): GET reads it, POST sets what it names (`DRIFT`
        declares each key). A per-provider key (`billing`: {"provider": factor}, 1 as documented; {} every provider
        as documented) is merged into what was set before, and appears once a provider's is set."""
        drift = self.state.drift
        if request.method == "POST":
            given = await self._given(request, DRIFT)
            if isinstance(given, Response):
                return given
            for name, value in given.items():
                setattr(
                    drift,
                    name,
                    _merged(getattr(drift, name), value, DRIFT.fields[name]) if isinstance(value, dict) else value,
                )
        shown: dict[str, Any] = {}
        for name in DRIFT.fields:
            value = getattr(drift, name)
            if isinstance(value, dict) and not value:
                continue  # a per-provider drift shown once one is set
            shown[name] = list(value) if isinstance(value, tuple) else dict(value) if isinstance(value, dict) else value
        return JSONResponse(shown)

    async def voices(self, request: Request) -> Response:
        base = self.origin(request) + CONTROL_PREFIX + "/voices/"
        return JSONResponse({name: base + name for name in self.state.voices.names()})

    async def voice(self, request: Request) -> Response:
        path = self.state.voices.path(request.path_params["name"])
        if path is None:
            return _problem(404, f"no reference clip {request.path_params['name']!r}")
        return FileResponse(path)

    async def sink(self, request: Request) -> Response:
        name = request.path_params["name"]
        if request.method == "GET":
            return JSONResponse(self.state.sink.received(name))
        fail = request.query_params.get("fail")
        if fail is not None and not (fail.isdigit() and int(fail) <= 1000):
            return _problem(400, f"fail must be how many posts to answer 500 (0-1000), got {fail!r}")
        try:  # a webhook's body, bounded: the receiver keeps what it is sent
            raw = await bounded_body(request, SINK_BODY_BYTES, SINK_DEPTH)
        except BodyRefused as refused:
            return _problem(refused.status, str(refused))
        status = self.state.sink.receive(name, raw, int(fail) if fail else None)
        return JSONResponse({"received": status == 200}, status_code=status)

    def routes(self) -> list[BaseRoute]:
        p = CONTROL_PREFIX
        return [
            Route(p, self.overview),
            Route(p + "/jobs", self.jobs),
            Route(p + "/jobs/{job_id}", self.job),
            Route(p + "/webhooks", self.webhooks),
            Route(p + "/streams", self.streams),
            Route(p + "/clock", self.clock),
            Route(p + "/clock/advance", self.advance, methods=["POST"]),
            Route(p + "/counters", self.counters),
            Route(p + "/findings", self.findings),
            Route(p + "/catalogue", self.catalogue, methods=["GET", "POST"]),
            Route(p + "/hangs/release", self.release, methods=["POST"]),
            Route(p + "/keys", self.keys, methods=["POST"]),
            Route(p + "/drift", self.drift, methods=["GET", "POST"]),
            Route(p + "/voices", self.voices),
            Route(p + "/voices/{name}", self.voice),
            Route(p + "/sink/{name}", self.sink, methods=["GET", "POST"]),
        ]


def _merged(before: dict[str, Any], given: dict[str, Any], field: Field) -> dict[str, Any]:
    """A per-provider drift asked for over the one set before ({} clears it); a provider given the field's neutral
    value (a billing factor of 1, a language fallback of "") answers as documented again, and is dropped."""
    neutral = field.neutral if isinstance(field, PerProvider) else None
    changed = {**before, **given} if given else {}
    return {provider: value for provider, value in changed.items() if value != neutral}


def snapshot_counters(state: SandboxState) -> dict[str, Any]:
    counts: dict[str, Any] = dict(state.counters.snapshot())
    counts["jobs.stored"] = len(state.jobs)
    counts["jobs.evicted"] = state.jobs.evicted
    counts["synthesis.renders"] = state.producer.renders
    counts["webhooks.attempts"] = len(state.deliveries.entries())
    counts["webhooks.delivered"] = sum(1 for d in state.deliveries.entries() if d.ok)
    return counts


def _finite(value: object, name: str, low: float, high: float) -> float:
    """A number within [low, high] from a query or body value, or ValueError saying what was wrong."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"{name} must be a finite number from {low:g} to {high:g}, got {value!r}")
    return number
