"""One provider's face on the sandbox: its routes, and the path every request takes through them.

    faults (header or chaos) -> auth -> rate limit -> parse + `check_wire_request` -> by role:
    SUBMIT -> JobService.submit | STATUS -> JobService.status | else the emulation's handler

A `Reject` anywhere becomes the provider's error body; an unexpected exception becomes its 500.
Routes are the spec's documented paths beneath each host's mount, literal paths before templated ones;
anything else under a mount answers the provider's 404.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from functools import partial
from http import HTTPStatus

from pydantic import BaseModel
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from harness.core.errors import RequestValidationError
from harness.core.spec import BodyKind, Endpoint, Role, UnknownInput
from harness.core.target import TAG_HEADER
from harness.core.validate import check_wire_request
from harness.sandbox.emulation import Call, RateState, Reject, Reply
from harness.sandbox.faults import (
    FAULT_HEADER,
    REQUEST_FAULTS,
    Fault,
    UnknownFault,
    draw_faults,
    parse_faults,
    status_faults,
)
from harness.sandbox.http_bodies import (
    BodyTooLarge,
    ConnectionFinder,
    ResetResponse,
    TruncatedResponse,
    html_error,
    json_reply,
    malformed,
    raw_body,
    read_payload,
)
from harness.sandbox.job_service import JobService
from harness.sandbox.loading import Served
from harness.sandbox.published_media import PUBLISHED_PATH
from harness.sandbox.services import EngineServices
from harness.sandbox.sockets import Mount, socket_routes
from harness.sandbox.state import SandboxState
from harness.sandbox.urls import MEDIA_HOST, client_url, mount_path, sent_path
from harness.speech import EngineUnavailableError

log = logging.getLogger("harness.sandbox")

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
CHAOS_REQUEST_FAULTS = REQUEST_FAULTS - {Fault.MODEL_DISABLED}
_STATUS_OF = {Fault.HTTP_500: 500, Fault.HTTP_503: 503, Fault.HTTP_429: 429}

Serve = Callable[[Request, frozenset[Fault]], Awaitable[Response]]


class ProviderFace:
    def __init__(self, state: SandboxState, served: Served, find: ConnectionFinder | None = None) -> None:
        self.state = state
        self.provider = served.provider
        self.emulation = served.emulation
        self.jobs = JobService(state, served)
        self.find_connection = find

    # --- routes -------------------------------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        sockets = Mount(
            state=self.state,
            provider=self.provider,
            emulation=self.emulation,
            urls=self.jobs.urls,
            find_connection=self.find_connection,
            hang=self.hang,
        )
        routes: list[BaseRoute] = socket_routes(sockets)  # the documented WebSocket channels
        for host in self.provider.hosts:
            by_path: dict[str, dict[str, Endpoint]] = defaultdict(dict)
            for endpoint in self.provider.endpoints:
                if endpoint.host == host and endpoint.path.startswith("/"):
                    by_path[endpoint.path][endpoint.method.upper()] = endpoint
            mount = mount_path(self.provider.name, host)
            # Literal paths first, so "/v1/voices/saved" is not taken for "/v1/voices/{id}".
            for path in sorted(by_path, key=lambda p: (p.count("{"), p)):
                handler = partial(self._endpoint_request, by_path[path])
                routes.append(Route(mount + path, handler, methods=METHODS))
        media_mount = mount_path(self.provider.name, MEDIA_HOST)
        routes.append(Route(media_mount + PUBLISHED_PATH, self._published_request, methods=["GET", "HEAD"]))
        results_mount = mount_path(self.provider.name, self.emulation.media_host)
        routes.append(Route(results_mount + self.emulation.media_path, self._media_request, methods=["GET", "HEAD"]))
        for host in (*self.provider.hosts, MEDIA_HOST):
            routes.append(Route(mount_path(self.provider.name, host) + "/{rest:path}", self._unknown, methods=METHODS))
        return routes

    async def _endpoint_request(self, by_method: Mapping[str, Endpoint], request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        endpoint = by_method.get(method)
        if endpoint is None:
            allowed = ", ".join(sorted(by_method))
            return await self._guarded(
                request,
                None,
                self._refuse(Reject(405, f"Method not allowed; use {allowed}", headers={"Allow": allowed})),
            )
        return await self._guarded(request, endpoint, partial(self._serve, endpoint))

    async def _media_request(self, request: Request) -> Response:
        async def serve(req: Request, faults: frozenset[Fault]) -> Response:
            return await self.jobs.media(req.path_params.get("job_id", ""), faults, self.find_connection)

        return await self._guarded(request, None, serve)

    async def _published_request(self, request: Request) -> Response:
        async def serve(req: Request, faults: frozenset[Fault]) -> Response:
            item = self.state.published.get(self.provider.name, req.path_params.get("token", ""))
            if item is None:
                raise Reject(404, "No such media")
            if Fault.TRUNCATED_AUDIO in faults:
                return TruncatedResponse(item.audio, item.media_type, self.find_connection)
            return Response(item.audio, media_type=item.media_type)

        return await self._guarded(request, None, serve)

    async def _unknown(self, request: Request) -> Response:
        return await self._guarded(request, None, self._refuse(self.emulation.not_found(sent_path(request.scope))))

    @staticmethod
    def _refuse(reject: Reject) -> Serve:
        async def serve(_: Request, __: frozenset[Fault]) -> Response:
            raise reject

        return serve

    # --- the path of every request ------------------------------------------------------------------

    async def _guarded(self, request: Request, endpoint: Endpoint | None, serve: Serve) -> Response:
        counters = self.state.counters
        counters.add(f"requests.{self.provider.name}")
        try:
            faults = parse_faults(request.headers.get(FAULT_HEADER))
        except UnknownFault as error:
            return self._error(Reject(400, str(error)))
        rates = self.state.settings.fault_rates
        if rates:
            with self.state.chaos_lock:
                drawn = draw_faults(rates, self.state.chaos_rng(), CHAOS_REQUEST_FAULTS)
            faults |= drawn
        for fault in (faults & REQUEST_FAULTS) - _STATUS_OF.keys():  # status faults are counted when raised
            counters.add(f"faults.{fault.value}")
        if Fault.HANG in faults:
            await self.hang()
        if Fault.CONNECTION_RESET in faults:
            return ResetResponse(self.find_connection)
        if Fault.HTML_ERROR in faults:
            return html_error()
        statuses = list(status_faults(request.headers.get(FAULT_HEADER)))
        statuses += [status for fault, status in _STATUS_OF.items() if fault in faults]
        try:
            if statuses:
                raise self._status_fault(statuses[0], endpoint)
            response = await serve(request, faults)
        except Reject as reject:
            response = self._error(reject)
        except EngineUnavailableError as missing:  # an optional engine (espeak-ng): one line, no traceback
            log.warning("sandbox: %s %s cannot be answered: %s", request.method, request.url.path, missing)
            response = self._error(Reject(500, f"This voice is unavailable on this server: {missing}"))
        except ClientDisconnect:
            raise  # the client left mid-request (an interrupted run): connections.QuietDisconnects' one debug line
        except Exception as error:  # a cancelled request (a stopping server's) ends with CancelledError: not here
            if self.state.stopping:  # what it needed went with the server (the synthesis pool, the loop): no bug
                log.debug(
                    "sandbox: %s %s dropped: the sandbox is stopping (%s: %s)",
                    request.method,
                    request.url.path,
                    type(error).__name__,
                    error,
                )
                response = self._error(Reject(503, "The server is shutting down"))
            else:
                log.exception("sandbox: %s %s failed", request.method, request.url.path)
                response = self._error(Reject(500, "Internal Server Error"))
        counters.add(f"status.{response.status_code}")
        if Fault.MALFORMED_JSON in faults and response.media_type == "application/json":
            response = malformed(response)
        self._fill_rate_headers(response)
        return response

    def _status_fault(self, status: int, endpoint: Endpoint | None) -> Reject:
        """The provider's answer for an error status, as if it happened (`http-<status>` faults)."""
        retry_after = self.state.settings.retry_after_s
        counters = self.state.counters
        counters.add(f"faults.http-{status}")
        if status == 503:
            return self.emulation.busy(retry_after)
        if status == 429:
            return self.emulation.rate_limited(retry_after)
        reject = Reject(status, f"{HTTPStatus(status).phrase} ({FAULT_HEADER}: http-{status})")
        documented = endpoint.response_for(status) if endpoint is not None else None
        if documented is not None and any(h.lower() == "retry-after" for h in documented.headers):
            reject.headers["Retry-After"] = str(retry_after)
        return reject

    def _fill_rate_headers(self, response: Response) -> None:
        """Headers the documents promise on *every* answer, even one no key was counted for (a 401): those
        of the tier a key-less caller gets, untouched."""
        names = self.provider.rate_limit_headers
        if not names or all(name in response.headers for name in names):
            return
        emulation = self.emulation
        limit = emulation.tier(emulation.anonymous_tier or emulation.default_tier).limit
        requests = limit.requests or 0
        for name, value in emulation.rate_headers(RateState(requests, requests, limit.window_s)).items():
            response.headers.setdefault(name, value)

    async def hang(self) -> None:
        """Wait until released, until the sandbox clock passes the hang, or the real-time bound."""
        clock = self.state.clock
        release = asyncio.ensure_future(self.state.hang_release().wait())
        passes = asyncio.ensure_future(clock.sleep_until(clock.now() + self.state.settings.hang_s))
        self.state.hang_begins()
        try:
            await asyncio.wait(
                {release, passes}, timeout=self.state.config.hang_limit_s, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            self.state.hang_ends()
            release.cancel()
            passes.cancel()

    def _error(self, reject: Reject) -> Response:
        body = self.emulation.error_body(reject)
        headers = {**self.emulation.error_headers(reject), **reject.headers}
        if body is None:  # the provider answers this error with an empty body
            return Response(b"", status_code=reject.status, headers=headers)
        return json_reply(dict(body), reject.status, headers)

    async def _serve(self, endpoint: Endpoint, request: Request, faults: frozenset[Fault]) -> Response:
        state, emulation = self.state, self.emulation
        key = self._key(request, required=endpoint.auth_required)
        client = request.client.host if request.client else ""
        tier = state.accounts.tier(self.provider.name, key) if key else emulation.anonymous_tier
        rate_headers: dict[str, str] = {}
        if tier is not None:
            # Keyed calls are limited per key; key-less ones per client address.
            identity = key if key is not None else f"anonymous:{client}"
            limit = emulation.tier(tier).limit
            now = state.clock.now()
            active = None
            if endpoint.role is Role.SUBMIT and limit.concurrency is not None:
                active = state.jobs.active(self.provider.name, key, now, client=None if key else client)
            decision = state.limiter.check(self.provider.name, identity, limit, now, active_jobs=active)
            if decision.state is not None:
                rate_headers = emulation.rate_headers(decision.state)
            if not decision.allowed:
                reject = emulation.rate_limited(decision.retry_after)
                reject.headers.update(rate_headers)
                raise reject
        try:
            response = await self._answer(endpoint, request, faults, key, tier, client)
        except Reject as reject:
            reject.headers.update({k: v for k, v in rate_headers.items() if k not in reject.headers})
            raise
        response.headers.update(rate_headers)
        return response

    def _key(self, request: Request, *, required: bool) -> str | None:
        """The caller's key; None for a key-less call where auth is optional. A wrong key is always 401.

        The key may travel in any form the provider's `Auth` documents (a header, a query parameter, a
        token the provider issued for it); a signed request names its key's id here and its signature is
        checked once the body is read (`_answer`)."""
        auth = self.provider.auth
        if auth.signer is not None:
            claimed = auth.signer.key_id(request.headers)
            if claimed is None:
                if not required:
                    return None
                raise self.emulation.unauthorized(missing=True)
            if not self.state.accounts.known(self.provider.name, claimed):
                raise self.emulation.unauthorized(missing=False)
            return claimed
        for form in auth.forms:
            raw = request.query_params.get(form.query) if form.query else request.headers.get(form.header)
            if raw is None or not raw.strip():
                continue
            key = raw.strip()
            if form.scheme:
                scheme, _, rest = key.partition(" ")
                if scheme.lower() != form.scheme.lower() or not rest.strip():
                    raise self.emulation.unauthorized(missing=False)
                key = rest.strip()
            key = self.emulation.key_of(key, self.state.clock.wall())
            if not self.state.accounts.known(self.provider.name, key):
                raise self.emulation.unauthorized(missing=False)
            return key
        if not required:
            return None
        raise self.emulation.unauthorized(missing=True)

    async def _answer(
        self,
        endpoint: Endpoint,
        request: Request,
        faults: frozenset[Fault],
        key: str | None,
        tier: str | None,
        client: str,
    ) -> Response:
        try:
            signer = self.provider.auth.signer
            if signer is not None and key is not None:
                raw, request = await raw_body(request, endpoint)
                why = signer.verify(
                    request.method, client_url(str(request.url), request.scope), request.headers, raw, key
                )
                if why is not None:
                    raise self.emulation.bad_signature(why)
            payload = await read_payload(request, endpoint)
        except BodyTooLarge as error:  # refused in the provider's words, as its own size check would
            raise self.emulation.too_large(endpoint, str(error)) from None
        urls = self.jobs.urls(f"{request.url.scheme}://{request.url.netloc}")
        call = Call(
            endpoint=endpoint,
            params=None,
            payload=payload,
            headers=request.headers,
            query=request.query_params,
            path_params={k: str(v) for k, v in request.path_params.items()},
            key=key,
            tier=tier,
            urls=urls,
            services=EngineServices(
                self.state, self.provider.name, urls, client, tag=request.headers.get(TAG_HEADER, "")
            ),
            client=client,
        )
        call = self.emulation.admitted(call)  # values by evidence: a case or unit variant the provider takes
        if endpoint.request is not None and endpoint.body_kind is not BodyKind.NONE:
            call = replace(call, params=self._validate(call))
        if endpoint.role is Role.SUBMIT and endpoint.job is not None:
            return self._reply(await self.jobs.submit(call, faults))
        if endpoint.role is Role.STATUS and endpoint.key in self.jobs.id_params:
            return self._reply(self.jobs.status(call))
        handler = self.emulation.handlers.get(endpoint.key)
        if handler is None:
            raise Reject(501, f"the sandbox does not emulate {endpoint.signature} yet")
        return await handler(call)

    def _validate(self, call: Call) -> BaseModel:
        try:
            params, unknown = check_wire_request(self.emulation.request_endpoint(call), call.payload)
        except RequestValidationError as error:
            raise self.emulation.invalid(call, error.problems) from None
        if call.endpoint.unknown_input is UnknownInput.UNDOCUMENTED:  # `ignored`: documented, no finding
            call.services.accepted_unknown(call.endpoint.signature, unknown)
        return params

    @staticmethod
    def _reply(reply: Reply) -> Response:
        return json_reply(reply.body, reply.status, reply.headers)
