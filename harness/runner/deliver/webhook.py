"""The local webhook receiver: jobs can be told of completion by callback instead of being polled.

A starlette app served by uvicorn on loopback, over HTTPS with a certificate from a throwaway trustme
CA (providers' documents may require an https callback URL), runs as a task on the runner's own event loop,
so a callback wakes the waiting job without crossing threads. Callbacks may arrive before the submit's
answer has been read (fast jobs) and may be duplicated (the documents say so): the hub buffers the
first and ignores the rest. For live providers the user gives a public URL that forwards here
(`--webhook-url`); the receiver then listens on plain HTTP behind that forwarder.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import tempfile
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.core.drift import resolve
from harness.core.spec import Provider, Role
from harness.runner.record.timing import now


@dataclass(slots=True)
class Callback:
    body: Mapping[str, Any]
    received: float  # monotonic seconds


@dataclass(slots=True, kw_only=True)
class WebhookHub:
    """Matches callbacks to waiting jobs by (provider, job id)."""

    providers: Mapping[str, Provider]
    waiting: dict[tuple[str, str], asyncio.Future[Callback]] = field(default_factory=dict)
    early: dict[tuple[str, str], Callback] = field(default_factory=dict)
    received: int = 0
    duplicates: int = 0
    unmatched: int = 0

    def job_id_of(self, provider: Provider, body: Mapping[str, Any]) -> str | None:
        for endpoint in provider.by_role(Role.SUBMIT):
            if endpoint.job is not None:
                found, value = resolve(body, endpoint.job.id_pointer)
                if found and isinstance(value, str):
                    return value
        return None

    def deliver(self, provider_name: str, body: Mapping[str, Any]) -> bool:
        """A callback arrived; False when it names no job of a known provider."""
        self.received += 1
        at = now()
        provider = self.providers.get(provider_name)
        job_id = self.job_id_of(provider, body) if provider else None
        if job_id is None:
            self.unmatched += 1
            return False
        key = (provider_name, job_id)
        future = self.waiting.get(key)
        callback = Callback(body, at)
        if future is not None and not future.done():
            if _terminal(provider, body):
                future.set_result(callback)
        elif key in self.early or future is not None:
            self.duplicates += 1
        elif _terminal(provider, body):
            self.early[key] = callback
        return True

    def expect(self, provider: str, job_id: str) -> asyncio.Future[Callback]:
        """A future resolved by the job's terminal callback (at once if it came already)."""
        key = (provider, job_id)
        future: asyncio.Future[Callback] = asyncio.get_running_loop().create_future()
        early = self.early.pop(key, None)
        if early is not None:
            future.set_result(early)
        self.waiting[key] = future
        return future

    def forget(self, provider: str, job_id: str) -> None:
        self.waiting.pop((provider, job_id), None)


def _terminal(provider: Provider | None, body: Mapping[str, Any]) -> bool:
    """Only a terminal callback ends a wait (sync-mode progress callbacks do not)."""
    if provider is None:
        return False
    for endpoint in provider.by_role(Role.CALLBACK):
        lifecycle = endpoint.lifecycle
        if lifecycle is not None:
            return body.get(lifecycle.status_field) in lifecycle.terminal
    return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True, slots=True)
class Receiver:
    url: str  # base URL callbacks are POSTed to: <url>/<provider>
    ca_pem: Path | None  # the CA that signed the receiver's certificate (None: plain HTTP)

    def callback_url(self, provider: str) -> str:
        return f"{self.url}/hook/{provider}"


@contextlib.asynccontextmanager
async def serve(hub: WebhookHub, *, tls: bool = True, public_url: str | None = None) -> AsyncIterator[Receiver]:
    """Run the receiver on loopback for the duration of the block."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def hook(request: Request) -> JSONResponse:
        try:
            body = json.loads(await request.body())
        except ValueError:
            return JSONResponse({"error": "expected a JSON body"}, status_code=400)
        if not isinstance(body, dict):
            return JSONResponse({"error": "expected a JSON object"}, status_code=400)
        matched = hub.deliver(request.path_params["provider"], body)
        return JSONResponse({"received": True, "matched": matched})

    app = Starlette(routes=[Route("/hook/{provider}", hook, methods=["POST"])])
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="tts-harness-webhook-") as folder:
        ssl: dict[str, Any] = {}
        ca_pem: Path | None = None
        use_tls = tls and public_url is None
        if use_tls:
            from harness.sandbox import local_ca

            authority = local_ca(Path(folder))
            ca_pem, ssl = authority.ca_pem, dict(authority.uvicorn_options())
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", **ssl)
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve())
        while not server.started:
            if task.done():
                task.result()  # raise what stopped it
            await asyncio.sleep(0.005)
        scheme = "https" if use_tls else "http"
        try:
            yield Receiver(public_url.rstrip("/") if public_url else f"{scheme}://127.0.0.1:{port}", ca_pem)
        finally:
            server.should_exit = True
            await task
