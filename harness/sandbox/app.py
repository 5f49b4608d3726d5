"""The ASGI application: the control API plus every served provider's face, and their shared lifespan.

At start-up the lifespan binds the shared state to the server's event loop and opens the one outbound
HTTP client (reference fetches and webhooks, both behind the network guard; `trust_env=False` so a proxy
setting can never route loopback traffic elsewhere). At shutdown it stops every background task.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from functools import partial

import httpx
from starlette.applications import Starlette
from starlette.routing import BaseRoute, WebSocketRoute

from harness.core.tls import shared_tls_context
from harness.sandbox.control import control_routes
from harness.sandbox.http_bodies import ConnectionFinder
from harness.sandbox.pipeline import ProviderFace
from harness.sandbox.sockets import unknown_socket
from harness.sandbox.state import SandboxState


def build_app(state: SandboxState, find_connection: ConnectionFinder | None = None) -> Starlette:
    routes: list[BaseRoute] = list(control_routes(state))
    for served in state.served.values():
        routes.extend(ProviderFace(state, served, find_connection).routes())
    # An upgrade beneath no provider: a 404 and a finding, never the ASGI server's bare 403 (a missing route is no
    # bad key).
    routes.append(WebSocketRoute("/{rest:path}", partial(unknown_socket, state, None)))

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        state.attach(asyncio.get_running_loop())
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
        async with httpx.AsyncClient(
            trust_env=False, limits=limits, verify=shared_tls_context(trust_env=False)
        ) as client:
            state.producer.client = client
            state.dispatcher.client = client
            try:
                yield
            finally:
                state.release_hangs()
                tasks = list(state.tasks)
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                state.producer.client = None
                state.dispatcher.client = None

    return Starlette(routes=routes, lifespan=lifespan)
