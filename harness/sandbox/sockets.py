"""WebSocket endpoints on the sandbox: each provider's documented channels, handed to its emulation.

The engine does what every channel needs and names no protocol: it mounts `channel.path` beneath the
host's mount, reads the fault header of the handshake, finds the key in the provider's auth header,
and offers the emulation a `SocketCall` — the socket, the key checks, the rate limiter, the synthesis
services and the stream faults (`stall-stream`: hold until released; `drop-socket`: cut the TCP
connection without a close frame). The emulation (`emulation.sockets[channel.key]`) speaks the protocol:
when to accept, what to send, which close code to use. A handler that raises is logged and the socket
closed with 1011, as a server error would.

An upgrade to a path no declared socket serves is answered as the provider answers an unknown HTTP path (its 404 in
its error shape: `Emulation.not_found`), never refused as a bad key would be (a bare 403, the ASGI server's answer to a
socket route that does not exist), and recorded as a finding (`GET /_sandbox/findings`, the log): a client asking for a
socket the declaration lacks is evidence the declaration may be missing one.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from harness.core.protocols.realtime_grammar import Channel
from harness.core.spec import Provider
from harness.core.target import TAG_HEADER
from harness.sandbox.emulation import Emulation, SocketCall, SocketHandler
from harness.sandbox.faults import FAULT_HEADER, UnknownFault, parse_faults, stall_count, status_faults
from harness.sandbox.http_bodies import ConnectionFinder
from harness.sandbox.services import EngineServices
from harness.sandbox.state import SandboxState
from harness.sandbox.urls import Urls, mount_path, sent_path

log = logging.getLogger("harness.sandbox")


@dataclass(frozen=True, slots=True, kw_only=True)
class Mount:
    """What the socket routes of one provider need from its face (pipeline.ProviderFace)."""

    state: SandboxState
    provider: Provider
    emulation: Emulation
    urls: Callable[[str], Urls]  # origin -> the provider's absolute URLs
    find_connection: ConnectionFinder | None
    hang: Callable[[], Awaitable[None]]


def socket_routes(face: Mount) -> list[BaseRoute]:
    """A route per channel whose emulation serves it."""
    routes: list[BaseRoute] = []
    for channel in face.provider.channels:
        handler = face.emulation.sockets.get(channel.key)
        if handler is not None:
            path = mount_path(face.provider.name, channel.host) + channel.path
            routes.append(WebSocketRoute(path, partial(_serve, face, channel, handler)))
    name = face.provider.name
    for host in face.provider.hosts:  # after the declared ones: any other socket path beneath the provider's hosts
        routes.append(
            WebSocketRoute(mount_path(name, host) + "/{rest:path}", partial(unknown_socket, face.state, face.emulation))
        )
    return routes


UNKNOWN_SOCKET = "an upgrade to a path no declared socket serves: answered 404, as an unknown HTTP path is"


async def unknown_socket(state: SandboxState, emulation: Emulation | None, websocket: WebSocket) -> None:
    """A socket path nothing serves: the provider's 404 (a plain one beneath no provider), and a finding naming it."""
    path = sent_path(websocket.scope)
    provider = emulation.provider.name if emulation is not None else "(none)"
    if state.findings.record(provider, f"WS {path}", ("path",), UNKNOWN_SOCKET):
        log.info("sandbox: WS %s: no declared socket serves this path (404)", path)
    if emulation is None:
        await websocket.send_denial_response(JSONResponse({"error": f"No such endpoint: {path}"}, status_code=404))
        return
    reject = emulation.not_found(path)
    body = emulation.error_body(reject)
    headers = {**emulation.error_headers(reject), **reject.headers}
    answer = (
        Response(b"", status_code=404, headers=headers)
        if body is None
        else JSONResponse(dict(body), status_code=404, headers=headers)
    )
    await websocket.send_denial_response(answer)


def _header_key(face: Mount, websocket: WebSocket) -> str | None:
    auth = face.provider.auth
    raw = (websocket.headers.get(auth.header) or "").strip()
    if not raw:
        return None
    if not auth.scheme:
        return raw
    scheme, _, rest = raw.partition(" ")
    return rest.strip() if scheme.lower() == auth.scheme.lower() else ""


async def _serve(face: Mount, channel: Channel, handler: SocketHandler, websocket: WebSocket) -> None:
    state, name = face.state, face.provider.name
    state.counters.add(f"requests.{name}")
    state.counters.add(f"sockets.{name}")
    try:
        faults = parse_faults(websocket.headers.get(FAULT_HEADER))
    except UnknownFault as error:
        await websocket.send_denial_response(JSONResponse({"error": str(error)}, status_code=400))
        return
    for fault in faults:
        state.counters.add(f"faults.{fault.value}")
    client = websocket.client.host if websocket.client else ""
    urls = face.urls(f"{'https' if websocket.url.scheme == 'wss' else 'http'}://{websocket.url.netloc}")

    def admit(key: str) -> int | None:
        emulation = face.emulation
        tier = state.accounts.tier(name, key) or emulation.default_tier
        decision = state.limiter.check(name, key, emulation.tier(tier).limit, state.clock.now())
        return None if decision.allowed else decision.retry_after

    def drop() -> None:
        transport = face.find_connection(websocket.scope) if face.find_connection else None
        if transport is not None:
            transport.abort()

    call = SocketCall(
        websocket=websocket,
        channel=channel,
        provider=name,
        faults=faults,
        statuses=status_faults(websocket.headers.get(FAULT_HEADER)),
        header_key=_header_key(face, websocket),
        services=EngineServices(
            state,
            name,
            urls,
            client,
            stall_count(websocket.headers.get(FAULT_HEADER)),
            websocket.headers.get(TAG_HEADER, ""),
        ),
        known=partial(state.accounts.known, name),
        admit=admit,
        stall=face.hang,
        drop=drop,
    )
    try:
        await handler(call)
    except WebSocketDisconnect:
        pass
    except Exception:
        log.exception("sandbox: WS %s failed", websocket.url.path)
        if websocket.application_state is WebSocketState.CONNECTED:
            await websocket.close(1011, "Internal Server Error")
