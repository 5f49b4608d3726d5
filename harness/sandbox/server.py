"""Running the sandbox: a real uvicorn server, in the foreground (`tts-harness serve`) or in a thread.

`running(...)` is the in-process entry point: it binds a loopback port (0 = any free one), serves from a
background thread, yields a `Sandbox` handle and stops the server cleanly on exit:

    with running(profile="fast", seed=1, clock="manual") as sb:
        url = sb.base_url("pixazo", "gateway")     # http://127.0.0.1:PORT/pixazo/gateway
        own = sb.origin("pixazo", "gateway")       # http://127.0.0.1:PORT2: the same host at an origin of its own
        key = sb.default_key("pixazo")              # sandbox-pixazo-key
        sb.advance(2.0)                              # a manual clock moves only when told
        sb.job(request_id)                           # the job's true state-change times

The server does not wait on clients for ever (`connections`: idle, slow and half-sent requests time out; a
client that leaves is one debug line), and when it listens beyond loopback its control API asks for the
token generated at start (`control.ControlGuard`; `Sandbox.control_token`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import uvicorn
from starlette.types import Scope

from harness.core.target import grpc_port_after, sandbox_voice_url
from harness.sandbox.accounts import default_key
from harness.sandbox.app import build_app
from harness.sandbox.clock import Clock, ManualClock
from harness.sandbox.config import SandboxConfig
from harness.sandbox.connections import ConnectionTimeouts, QuietDisconnects, uvicorn_settings
from harness.sandbox.control import (
    ControlGuard,
    describe,
    needs_control_token,
    new_control_token,
    snapshot_counters,
)
from harness.sandbox.handle import SandboxHealth
from harness.sandbox.job_service import restarter
from harness.sandbox.profiles import Profile
from harness.sandbox.snapshot import keep
from harness.sandbox.state import SandboxState
from harness.sandbox.tls import LocalCA, issue_no_session_tickets, local_ca
from harness.sandbox.urls import CONTROL_PREFIX, Origins, OwnOrigin, OwnOriginRouter, mount_path, own_hosts
from harness.sandbox.webhook_sink import WebhookSink
from harness.sandbox.webhooks import Delivery

log = logging.getLogger("harness.sandbox")

START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


class ConnectionIndex:
    """Finds the transport of a request's connection among the server's live connections (for resets)."""

    def __init__(self) -> None:
        self.server: uvicorn.Server | None = None

    def find(self, scope: Scope) -> asyncio.Transport | None:
        client = scope.get("client")
        if self.server is None or client is None:
            return None
        for protocol in list(self.server.server_state.connections):
            if getattr(protocol, "client", None) == tuple(client):
                transport: asyncio.Transport | None = getattr(protocol, "transport", None)
                return transport
        return None


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto IPPROTO_TCP (not 0): asyncio sets TCP_NODELAY only on accepted sockets whose proto says TCP.
    # Without it, Nagle's algorithm and delayed ACKs add ~40 ms to every answer sent in two writes.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(4096)
    sock.setblocking(False)
    return sock


class PortTaken(OSError):
    """A port the sandbox was asked to listen on is not free: what to say, in one line."""


def bind_origins(state: SandboxState, host: str, first_port: int, main_port: int) -> list[socket.socket]:
    """Bind a port of its own for every provider host the sandbox serves (`first_port`, the next one, ... in
    `own_hosts` order; 0: any free ports) and set `state.origins`; the sockets, for the server to serve."""
    sockets: list[socket.socket] = []
    own: list[OwnOrigin] = []
    for index, (provider, key, path) in enumerate(own_hosts(s.provider for s in state.served.values())):
        port = first_port + index if first_port else 0
        try:
            sock = bind(host, port)
        except OSError as error:
            for bound in sockets:
                bound.close()
            raise PortTaken(
                error.errno, f"cannot listen on {host}:{port} ({provider} {key}'s own origin): {error.strerror}"
            ) from None
        sockets.append(sock)
        own.append(OwnOrigin(provider, key, path, sock.getsockname()[1]))
    state.origins = Origins(main_port, own)
    return sockets


class _DenialIsNotAnError(logging.Filter):
    """uvicorn logs "ASGI callable returned without completing handshake." after a WebSocket upgrade is
    refused with an HTTP answer (the ASGI denial-response extension) — which is how the sandbox answers
    a realtime protocol's documented handshake errors (401, 429 ...). The refusal is sent; the line is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "without completing handshake" not in record.getMessage()


class SandboxServer(uvicorn.Server):
    """uvicorn, with the gRPC methods' server (`grpc_server`) started on the same event loop before it reports
    started (its port in `grpc_port`, told to `announce`) and stopped as it shuts down."""

    def __init__(
        self,
        config: uvicorn.Config,
        state: SandboxState,
        grpc_host: str,
        tls: LocalCA | None,
        announce: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(config)
        self.state, self.grpc_host, self.tls, self.announce = state, grpc_host, tls, announce
        self.grpc: Any = None
        self.grpc_port: int | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        # grpc and protobuf load when a server starts, not with the sandbox (`tts-harness --help` imports it)
        from harness.sandbox import grpc_server

        if grpc_server.serves_any(self.state):
            bound = sockets[0].getsockname() if sockets else (self.config.host, self.config.port)
            shown = f"[{bound[0]}]" if ":" in str(bound[0]) else str(bound[0])
            origin = f"{'https' if self.tls else 'http'}://{shown}:{bound[1]}"
            # the layout's port (after the HTTP one), where a URL target looks for it; a free one if it is taken
            wanted = grpc_port_after(int(bound[1])) if int(bound[1]) else 0
            self.grpc, self.grpc_port = await grpc_server.start(self.state, self.grpc_host, self.tls, origin, wanted)
            if self.announce is not None:
                self.announce(self.grpc_port)
        await super().startup(sockets)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self.grpc is not None:
            from harness.sandbox import grpc_server  # loaded by `startup` already

            await grpc_server.stop(self.grpc)
        await super().shutdown(sockets)


def make_server(
    state: SandboxState,
    *,
    log_level: str = "warning",
    control_token: str | None = None,
    timeouts: ConnectionTimeouts | None = None,
    tls: LocalCA | None = None,
    grpc_host: str = "127.0.0.1",
    announce: Callable[[int], None] | None = None,
) -> SandboxServer:
    """The uvicorn server of the sandbox; `control_token`: the token its control API asks for (None: none);
    `tls`: serve HTTPS, WSS and gRPC with a certificate from a local CA. Each provider host's own port, if
    `state.origins` names them, is served by the same app (`OwnOriginRouter`); `grpc_host`: where the gRPC methods
    listen (the port after the HTTP one where it is free, else a free one; `announce` is told it)."""
    index = ConnectionIndex()
    app = OwnOriginRouter(QuietDisconnects(ControlGuard(build_app(state, index.find), control_token)), state.origins)
    config = uvicorn.Config(
        app,
        loop="asyncio",
        lifespan="on",
        log_level=log_level,
        access_log=state.config.log_requests,
        timeout_graceful_shutdown=2,
        backlog=4096,
        **uvicorn_settings(timeouts or ConnectionTimeouts()),
        ssl_certfile=str(tls.server_pem) if tls else None,
        ssl_keyfile=str(tls.server_pem) if tls else None,
    )
    if tls is not None:
        config.load()  # builds its SSLContext now (the server would at startup), so it can be set before any client
        assert config.ssl is not None
        issue_no_session_tickets(config.ssl)
    server = SandboxServer(config, state, grpc_host, tls, announce)
    index.server = server
    logging.getLogger("uvicorn.error").addFilter(_DenialIsNotAnError())
    return server


class Sandbox:
    """A running sandbox, seen from the process that started it."""

    def __init__(
        self,
        state: SandboxState,
        host: str,
        port: int,
        control_token: str | None = None,
        tls: LocalCA | None = None,
        grpc_port: int | None = None,
    ) -> None:
        self.state = state
        self.host = host
        self.port = port
        self.tls = tls
        self.grpc_port = grpc_port
        self.control_token = control_token  # what its control API asks for when bound beyond loopback

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    @property
    def grpc_target(self) -> str | None:
        """Where the gRPC methods are served, `127.0.0.1:PORT` (TLS with `ca_file` when the sandbox serves TLS);
        None: no served provider declares one."""
        if self.grpc_port is None:
            return None
        return f"[{self.host}]:{self.grpc_port}" if ":" in self.host else f"{self.host}:{self.grpc_port}"

    @property
    def ca_file(self) -> Path | None:
        """The CA certificate a client must trust when the sandbox serves TLS (`running(tls=True)`)."""
        return self.tls.ca_pem if self.tls else None

    @property
    def providers(self) -> list[str]:
        return list(self.state.served)

    def base_url(self, provider: str, host: str | None = None) -> str:
        """The base URL that stands for `provider`'s `host` (may be omitted when it has one host)."""
        return self.url + mount_path(provider, self._host(provider, host))

    def origin(self, provider: str, host: str | None = None) -> str:
        """`provider`'s `host` at an origin of its own: its live base URL on this sandbox's scheme, address and
        that host's own port (`https://api.inworld.ai` -> `http://127.0.0.1:PORT`, `https://api.openai.com/v1`
        -> `http://127.0.0.1:PORT/v1`), for a client that takes only a host or joins absolute paths onto its
        base URL. The documented paths work beneath it as they do beneath `base_url`."""
        key = self._host(provider, host)
        own = self.state.origins.of(provider, key) if self.state.origins is not None else None
        if own is None:
            raise KeyError("this sandbox serves no origin of a provider's own (started with origin_port=None)")
        return own.base("https" if self.tls else "http", self.host)

    def origins(self) -> dict[str, dict[str, str]]:
        """Every provider host's own origin (`origin`), by provider and host key."""
        return (
            {
                name: {key: self.origin(name, key) for key in served.provider.hosts}
                for name, served in self.state.served.items()
            }
            if self.state.origins is not None
            else {}
        )

    def _host(self, provider: str, host: str | None) -> str:
        served = self.state.served.get(provider)
        if served is None:
            raise KeyError(f"the sandbox serves no provider {provider!r}; it serves: {', '.join(self.providers)}")
        hosts = list(served.provider.hosts)
        if host is None:
            if len(hosts) != 1:
                raise KeyError(f"{provider} has hosts {', '.join(hosts)}: name one")
            host = hosts[0]
        if host not in hosts:
            raise KeyError(f"{provider} has no host {host!r}; it has: {', '.join(hosts)}")
        return host

    def describe(self) -> dict[str, Any]:
        """What `GET /_sandbox` answers: profile, clock, base URLs (and own origins) and test keys per provider."""
        return describe(self.state, self.url)

    def voice_url(self, name: str) -> str:
        """A loopback URL of a reference clip (`reference_voices_dir()`), for cloning requests."""
        return sandbox_voice_url(self.url, name)

    def sink_url(self, name: str) -> str:
        """A loopback webhook receiver (`sb.sink.received(name)` lists what it got)."""
        return f"{self.url}{CONTROL_PREFIX}/sink/{name}"

    def health(self) -> SandboxHealth:
        """Its loop's lag and its render queue since the last call; the first call starts timing the loop."""
        self.state.watch_health()
        return SandboxHealth(self.state.loop_lag.drain(), self.state.producer.queue.reading())

    def renders_waiting(self) -> int:
        """Renders asked for and not done yet (queued or synthesising), now."""
        return self.state.producer.queue.waiting

    def keep_state(self, path: Path) -> int:
        """Continue the jobs and wallets an earlier sandbox left in `path` (if any) and keep this one's there
        from now on (`snapshot`); how many jobs it continues. Call once, before anything is sent to it."""
        return keep(self.state, path, self.url, restarter(self.state))

    # --- clock --------------------------------------------------------------------------------------

    @property
    def clock(self) -> Clock:
        return self.state.clock

    def advance(self, seconds: float) -> float:
        if not isinstance(self.state.clock, ManualClock):
            raise TypeError("this sandbox runs on the real clock; start it with clock='manual' to advance it")
        return self.state.clock.advance(seconds)

    # --- keys ---------------------------------------------------------------------------------------

    def default_key(self, provider: str) -> str:
        return default_key(provider)

    def add_key(
        self,
        provider: str,
        key: str,
        *,
        tier: str | None = None,
        balance: Decimal | float | None = None,
        unlimited: bool = False,
    ) -> None:
        emulation = self.state.served[provider].emulation
        chosen = emulation.tier(tier or emulation.default_tier)
        amount: Decimal | None
        if unlimited:
            amount = None
        elif balance is None:
            amount = chosen.balance if chosen.balance is not None else emulation.default_balance
        else:
            amount = Decimal(str(balance))
        self.state.accounts.add(provider, key, tier=chosen.name, balance=amount)

    def balance(self, provider: str, key: str) -> Decimal | None:
        return self.state.accounts.available(provider, key, self.state.clock.now())

    # --- jobs, webhooks, counters, hangs ------------------------------------------------------------

    def job(self, job_id: str, *, wait: float = 0.0) -> dict[str, Any]:
        """A job's true record (Job.truth); `wait` blocks up to that many seconds for its audio."""
        job = self.state.jobs.get(job_id)
        if job is None:
            raise KeyError(f"no job {job_id!r} in the sandbox's store")
        if wait > 0:
            job.ready.wait(wait)
        return job.truth(self.state.clock)

    def wait_produced(self, job_id: str, timeout: float = 60.0) -> None:
        """Block until the job's audio is produced (or its failure known); TimeoutError otherwise."""
        job = self.state.jobs.get(job_id)
        if job is None:
            raise KeyError(f"no job {job_id!r} in the sandbox's store")
        if not job.ready.wait(timeout):
            raise TimeoutError(f"job {job_id} was not produced within {timeout} s")

    def jobs(self) -> list[dict[str, Any]]:
        return [job.truth(self.state.clock) for job in self.state.jobs]

    def webhooks(self, job_id: str | None = None) -> list[Delivery]:
        return self.state.deliveries.entries(job_id)

    def wait_webhooks(self, count: int, job_id: str | None = None, timeout: float = 10.0) -> list[Delivery]:
        return self.state.deliveries.wait_for(count, job_id, timeout)

    @property
    def sink(self) -> WebhookSink:
        return self.state.sink

    def counters(self) -> dict[str, Any]:
        return snapshot_counters(self.state)

    def wait_webhooks_done(self, job_id: str, timeout: float = 10.0) -> list[Delivery]:
        """Block until a job has no callback left to deliver; its delivery log then."""
        job = self.state.jobs.get(job_id)
        if job is None:
            raise KeyError(f"no job {job_id!r} in the sandbox's store")
        if not job.webhooks_done.wait(timeout):
            raise TimeoutError(f"job {job_id} still has callbacks to deliver after {timeout} s")
        return self.state.deliveries.entries(job_id)

    def wait_hanging(self, count: int = 1, timeout: float = 10.0) -> None:
        """Block until `count` requests are hanging (the hang fault)."""
        self.state.wait_hanging(count, timeout)

    def release_hangs(self) -> None:
        self.state.release_hangs()


def _config(
    profile: Profile | str,
    seed: int,
    clock: Clock | str | None,
    config: SandboxConfig | None,
    overrides: dict[str, Any],
) -> SandboxConfig:
    base = config or SandboxConfig()
    chosen_clock: Clock | None
    if clock == "manual":
        chosen_clock = ManualClock()
    elif clock is None or clock == "real":
        chosen_clock = base.clock
    elif isinstance(clock, str):
        raise ValueError(f"clock must be 'real', 'manual' or a Clock; got {clock!r}")
    else:
        chosen_clock = clock
    return replace(base, profile=Profile.parse(profile), seed=seed, clock=chosen_clock, **overrides)


@contextmanager
def running(
    profile: Profile | str = Profile.FAST,
    seed: int = 0,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    clock: Clock | str | None = None,
    config: SandboxConfig | None = None,
    timeouts: ConnectionTimeouts | None = None,
    tls: bool = False,
    origin_port: int | None = 0,
    **overrides: Any,
) -> Iterator[Sandbox]:
    """Serve the sandbox from a background thread for the duration of the `with` block.

    `clock`: "real" (default), "manual" (a `ManualClock`), or any `Clock`. `timeouts`: how long it waits
    on clients. `tls`: serve HTTPS and WSS with a certificate from a throwaway local CA (`Sandbox.ca_file`
    is the CA to trust). `origin_port`: the first of the ports each provider host is served on as an origin
    of its own (`Sandbox.origin`; 0: any free ports, None: none). `overrides` are `SandboxConfig` fields
    (allow_hosts, allow_http_webhooks, keys, max_jobs, disabled_models, ...). Bound beyond loopback, its control
    API asks for `Sandbox.control_token`.
    """
    with contextlib.ExitStack() as stack:
        authority = (
            local_ca(Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tts-harness-ca-")))) if tls else None
        )
        yield stack.enter_context(
            _serving(
                profile,
                seed,
                host=host,
                port=port,
                clock=clock,
                config=config,
                timeouts=timeouts,
                tls=authority,
                origin_port=origin_port,
                overrides=overrides,
            )
        )


@contextmanager
def _serving(
    profile: Profile | str,
    seed: int,
    *,
    host: str,
    port: int,
    clock: Clock | str | None,
    config: SandboxConfig | None,
    timeouts: ConnectionTimeouts | None,
    tls: LocalCA | None,
    origin_port: int | None,
    overrides: dict[str, Any],
) -> Iterator[Sandbox]:
    state = SandboxState(_config(profile, seed, clock, config, overrides))
    sock = bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    try:
        own = bind_origins(state, host, origin_port, bound_port) if origin_port is not None else []
    except OSError:
        sock.close()
        state.producer.close()
        raise
    token = new_control_token() if needs_control_token(bound_host) else None
    server = make_server(state, control_token=token, timeouts=timeouts, tls=tls, grpc_host=bound_host)
    failure: list[BaseException] = []

    def serve() -> None:
        try:
            server.run(sockets=[sock, *own])
        except BaseException as error:  # surfaced to the starting thread below
            failure.append(error)

    thread = threading.Thread(target=serve, name=f"sandbox-{bound_port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if failure or not thread.is_alive():
            for bound in (sock, *own):
                bound.close()
            raise RuntimeError(f"the sandbox server failed to start: {failure[0] if failure else 'thread ended'}")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the sandbox server did not start within {START_TIMEOUT_S} s")
        time.sleep(0.005)
    try:
        yield Sandbox(state, host, bound_port, token, tls, server.grpc_port)
    finally:
        state.stop()
        server.should_exit = True
        thread.join(STOP_TIMEOUT_S)
        if thread.is_alive():
            server.force_exit = True
            thread.join(STOP_TIMEOUT_S)
        for bound in (sock, *own):
            bound.close()
        state.producer.close()
        if state.journal is not None:
            state.journal.close()
