"""gRPC methods on the sandbox: each served provider's documented streaming methods (`Provider.rpcs`, the gRPC
streaming speech family), handed to its emulation, on a port of their own beside the HTTP server.

The engine does what every method needs and names no provider: it builds the method's message classes from its
declaration, reads the key from the declared metadata entry, and offers the emulation an `RpcCall` — the request
stream as data, the key checks, the rate limiter, the synthesis services. The emulation (`emulation.rpcs[key]`)
yields each response's audio, or raises `RpcRefused`, which ends the call with that status. It runs as a grpc.aio
server on the HTTP server's event loop (`start`, called by `server.running`), plain or with the sandbox's TLS
certificate; a handler that fails otherwise ends its call INTERNAL and is logged, as a server error would.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import grpc
from grpc import aio

from harness.core.protocols.grpc_speech import Rpc, as_dict, message_class
from harness.core.target import TAG_HEADER
from harness.sandbox.emulation import Emulation, RpcCall, RpcHandler, RpcRefused
from harness.sandbox.services import EngineServices
from harness.sandbox.state import SandboxState
from harness.sandbox.tls import LocalCA
from harness.sandbox.urls import Urls

log = logging.getLogger("harness.sandbox")
STOP_GRACE_S = 1.0
_PEM = re.compile(rb"-----BEGIN ([A-Z ]+)-----.+?-----END \1-----\s*", re.S)


def _behaviour(state: SandboxState, urls: Urls, emulation: Emulation, rpc: Rpc, handler: RpcHandler) -> Any:
    provider = urls.provider.name
    response_class = message_class(rpc, rpc.response)

    async def behaviour(requests: AsyncIterator[Any], context: aio.ServicerContext) -> AsyncIterator[Any]:
        state.counters.add(f"requests.{provider}")
        state.counters.add(f"rpcs.{provider}")
        metadata = {entry.key.lower(): entry.value for entry in (context.invocation_metadata() or ())}
        key = metadata.get(rpc.key_metadata.lower())

        async def messages() -> AsyncIterator[tuple[str | None, dict[str, Any]]]:
            async for request in requests:
                oneof = request.DESCRIPTOR.oneofs[0].name if request.DESCRIPTOR.oneofs else ""
                yield (request.WhichOneof(oneof) if oneof else None), as_dict(request)

        def admit(checked: str) -> int | None:
            tier = state.accounts.tier(provider, checked) or emulation.default_tier
            decision = state.limiter.check(provider, checked, emulation.tier(tier).limit, state.clock.now())
            return None if decision.allowed else decision.retry_after

        peer = context.peer() or ""
        services = EngineServices(state, provider, urls, peer, tag=str(metadata.get(TAG_HEADER.lower(), "")))
        call = RpcCall(
            rpc=rpc,
            provider=provider,
            requests=messages(),
            key=None if key is None else str(key),
            services=services,
            known=lambda checked: state.accounts.known(provider, checked),
            admit=admit,
        )
        try:
            async for audio in handler(call):
                yield response_class(**{rpc.audio_at: audio})
        except RpcRefused as refused:
            context.set_code(grpc.StatusCode[refused.code])
            context.set_details(refused.details)
        except Exception:
            log.exception("sandbox: gRPC %s failed", rpc.path)
            context.set_code(grpc.StatusCode.INTERNAL)
            context.set_details("Internal error encountered.")

    return behaviour


def handlers(state: SandboxState, origin: str) -> list[grpc.GenericRpcHandler]:
    """A generic handler per service holding a method some emulation serves; `origin`: the HTTP server's, where any
    absolute URL an imitation writes points."""
    by_service: dict[str, dict[str, grpc.RpcMethodHandler]] = {}
    for served in state.served.values():
        for rpc in served.provider.rpcs:
            handler = _rpcs(served.emulation).get(rpc.key) if isinstance(rpc, Rpc) else None
            if handler is None:
                continue
            urls = Urls(origin, served.provider, served.emulation.media_path, served.emulation.media_host)
            methods = by_service.setdefault(f"{rpc.package}.{rpc.service}", {})
            methods[rpc.method] = grpc.stream_stream_rpc_method_handler(
                _behaviour(state, urls, served.emulation, rpc, handler),
                request_deserializer=message_class(rpc, rpc.request).FromString,
                response_serializer=message_class(rpc, rpc.response).SerializeToString,
            )
    return [grpc.method_handlers_generic_handler(service, methods) for service, methods in by_service.items()]


def _rpcs(emulation: Emulation) -> dict[str, RpcHandler]:
    """An emulation's gRPC handlers (one whose class sets its own attributes without the base's has none)."""
    found: dict[str, RpcHandler] = getattr(emulation, "rpcs", {})
    return found


def serves_any(state: SandboxState) -> bool:
    return any(_rpcs(served.emulation) for served in state.served.values())


async def start(
    state: SandboxState, host: str, tls: LocalCA | None, origin: str, port: int = 0
) -> tuple[aio.Server, int]:
    """Start the gRPC server on the running loop, on `port` of `host` (the layout's: the port after the HTTP one,
    `harness.core.target.grpc_port_after`), else — 0, or that port taken — on a free one; the server and its port."""
    for wanted in dict.fromkeys((port, 0)):
        server = aio.server()
        server.add_generic_rpc_handlers(handlers(state, origin))
        bound = _bind(server, f"[{host}]:{wanted}" if ":" in host else f"{host}:{wanted}", tls)
        if bound:
            await server.start()
            return server, bound
    raise OSError(f"cannot listen for gRPC on {host}")


def _bind(server: aio.Server, address: str, tls: LocalCA | None) -> int:
    """The port `server` listens on at `address`, 0 where it cannot (grpc says so by 0, or by raising)."""
    try:
        if tls is None:
            return int(server.add_insecure_port(address))
        blocks = [m.group(0) for m in _PEM.finditer(tls.server_pem.read_bytes())]
        private = b"".join(b for b in blocks if b"PRIVATE KEY" in b.split(b"\n", 1)[0])
        chain = b"".join(b for b in blocks if b"CERTIFICATE" in b.split(b"\n", 1)[0])
        return int(server.add_secure_port(address, grpc.ssl_server_credentials([(private, chain)])))
    except RuntimeError:  # "Failed to bind to address": the port is taken
        return 0


async def stop(server: aio.Server) -> None:
    await server.stop(STOP_GRACE_S)
