"""`tts-harness serve`: run the sandbox in the foreground and say where each provider lives."""

from __future__ import annotations

import errno
import logging
import socket
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Annotated, NoReturn
from urllib.parse import urlsplit

import typer

from harness.cli import usage
from harness.core.errors import UsageError
from harness.core.protocols.catalogues import AccountCatalogue
from harness.core.protocols.realtime_grammar import websocket_url
from harness.core.target import grpc_port_after
from harness.sandbox.accounts import default_key
from harness.sandbox.config import SandboxConfig
from harness.sandbox.control import CONTROL_TOKEN_HEADER, needs_control_token, new_control_token
from harness.sandbox.profiles import Profile
from harness.sandbox.server import PortTaken, bind, bind_origins, make_server
from harness.sandbox.state import SandboxState
from harness.sandbox.tls import local_ca
from harness.sandbox.urls import CONTROL_PREFIX, mount_path, own_hosts

MAX_PORT = 65_535


def base_url_lines(state: SandboxState, origin: str) -> list[str]:
    """One line per provider host (provider, host key, base URL, the host at its own origin when the sandbox
    serves one, default test key), and one per WebSocket channel (its ws:// or wss:// URLs)."""
    parts = urlsplit(origin)
    origins = state.origins

    def own(name: str, host: str) -> str:
        at = origins.of(name, host) if origins is not None else None
        return at.base(parts.scheme, parts.hostname or "") if at is not None else ""

    rows: list[list[str]] = []
    for name, served in state.served.items():
        for host in served.provider.hosts:
            rows.append([name, host, origin + mount_path(name, host), own(name, host), default_key(name)])
        for channel in served.provider.channels:
            mine = own(name, channel.host)
            rows.append(
                [
                    name,
                    "ws",
                    websocket_url(origin + mount_path(name, channel.host)) + channel.path,
                    websocket_url(mine) + channel.path if mine else "",
                    default_key(name),
                ]
            )
    if origins is None:  # no own origins: no column for them
        rows = [[*row[:3], row[4]] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)] if rows else [0, 0]
    lines = [
        "  " + "  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)) + f"  key: {row[-1]}"
        for row in rows
    ]
    lines.append(f"  {'control':<{widths[0] + widths[1] + 2}}  {origin}{CONTROL_PREFIX}")
    return lines


def grpc_lines(state: SandboxState, host: str, port: int, tls: bool, layout_port: int | None = None) -> list[str]:
    """One line per gRPC method served (provider, its address, the method, default test key); and where the port is not
    the layout's (`layout_port`: the one after the HTTP port, taken by something else), that a URL target will not
    find it."""
    shown = f"[{host}]" if ":" in host else host
    lines = [
        f"  {name}  grpc  {shown}:{port} ({'TLS' if tls else 'plain'})  {rpc.signature}  key: {default_key(name)}"
        for name, served in state.served.items()
        for rpc in served.provider.rpcs
    ]
    if layout_port is not None and port != layout_port and lines:
        lines.append(
            f"warning: the gRPC methods listen on {port}, not {layout_port} (the port after the HTTP one, "
            "taken): a --target URL at this server will not reach them"
        )
    return lines


def exposure_warning(bound_host: str) -> str | None:
    """A warning when the sandbox listens beyond loopback: its test keys are public, so anyone who can reach
    the address can use it (and make it fetch and call back)."""
    if not needs_control_token(bound_host):
        return None
    return (
        f"warning: listening on {bound_host}: the sandbox now answers the network, not only this machine "
        "(its test keys are public; keep the default 127.0.0.1 unless you mean it)"
    )


def control_token_line(token: str) -> str:
    """Said once, at start: the only place the token is shown."""
    return (
        f"control API token (send it as {CONTROL_TOKEN_HEADER}: TOKEN to {CONTROL_PREFIX}/...; "
        f"bound beyond loopback, requests without it are refused): {token}"
    )


def _usage(message: str) -> NoReturn:
    raise usage.refuse(message)


def _account_catalogues(path: Path) -> dict[str, AccountCatalogue]:
    from harness.runner.deliver.catalogue import (
        account_catalogues,  # the runs.db reader: loaded only when a file is given
    )

    try:
        return account_catalogues(path)
    except UsageError as error:
        _usage(str(error))


def _bound(
    state: SandboxState, host: str, port: int, first: int, hosts: int
) -> tuple[socket.socket, list[socket.socket]]:
    """The HTTP port's socket and the provider hosts' own origins' (from `first`), bound; a port taken is one line."""
    try:
        sock = bind(host, port)
    except OSError as error:
        # An address no interface of this machine has is not a port another server holds.
        hint = (
            "no interface of this machine has that address: --host 127.0.0.1, or one of its own"
            if error.errno == errno.EADDRNOTAVAIL
            else "another server there? try --port 0"
        )
        raise usage.fail(
            "error", f"cannot listen on {host}:{port}: {error.strerror} ({hint})", usage.EXIT_USAGE
        ) from None
    try:
        own = bind_origins(state, host, first, sock.getsockname()[1])
    except PortTaken as error:
        sock.close()
        raise usage.fail(
            "error",
            f"{error.strerror} (another server there? try --origin-port 0, or another first "
            f"port for the {hosts} own origins)",
            usage.EXIT_USAGE,
        ) from None
    return sock, own


# The longer options, named here so the command's signature reads as a list (as bench.py's).
_AllowHostOption = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-host",
        help="A non-loopback host the sandbox may fetch references from or call "
        "back (repeatable). Nothing else beyond loopback is ever contacted.",
    ),
]
_ClockSkewOption = Annotated[
    float | None,
    typer.Option(help="The server clock's offset from the true one, seconds (default: the profile's; 0.3 realistic)."),
]
_TlsOption = Annotated[
    bool,
    typer.Option(
        "--tls",
        help="Serve HTTPS and WSS with a certificate from a throwaway local CA (printed: trust it). "
        "Some official clients (some WebSocket helpers) always use wss://.",
    ),
]
_CatalogueOption = Annotated[
    Path | None,
    typer.Option(
        "--catalogue",
        metavar="FILE",
        help="The account's own voices and models per provider (TOML or JSON: "
        "[provider] voices = [...], models = [...], missing = [...]; or a runs.db whose latest live run recorded "
        "the catalogues): spoken as the provider speaks them, where the documents list only a sample.",
    ),
]
_OriginPortOption = Annotated[
    int | None,
    typer.Option(
        help="The first of the ports that serve each provider host at an origin of its own (its live base URL's "
        "path at the root: for clients that take only a host), the next hosts on the ports after it, in the order "
        "printed (default: two after --port, the port after it being the gRPC methods'; 0: any free ports)."
    ),
]


def serve_command(
    host: Annotated[str, typer.Option(help="Interface to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 8765,
    profile: Annotated[
        Profile, typer.Option(help="fast: milliseconds; realistic: seconds; chaos: plus faults.")
    ] = Profile.FAST,
    seed: Annotated[int, typer.Option(help="Seed of every random draw (timings, ids, chaos faults).")] = 0,
    allow_host: _AllowHostOption = None,
    allow_http_webhooks: Annotated[
        bool, typer.Option(help="Accept http:// webhook URLs (the documents require https).")
    ] = False,
    max_jobs: Annotated[int, typer.Option(help="Bound of the job store (oldest finished jobs are evicted).")] = 10_000,
    balance: Annotated[
        float | None, typer.Option(help="USD balance of every default test key (default: the emulation's).")
    ] = None,
    log_requests: Annotated[bool, typer.Option(help="Log every request (uvicorn access log).")] = False,
    clock_skew: _ClockSkewOption = None,
    precise_stamps: Annotated[
        bool, typer.Option("--precise-stamps", help="Millisecond stamps where the documents print whole seconds.")
    ] = False,
    tls: _TlsOption = False,
    catalogue: _CatalogueOption = None,
    origin_port: _OriginPortOption = None,
) -> None:
    """Start the sandbox: one local server that behaves like every provider and speaks real speech."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if not 0 <= port <= MAX_PORT:
        _usage(f"--port must be 0 (any free port) to {MAX_PORT}, got {port}")
    # the port after --port is the gRPC methods' (a URL target finds them there: `harness.core.target.grpc_address`)
    first = (grpc_port_after(port) + 1 if port else 0) if origin_port is None else origin_port
    accounts = {} if catalogue is None else _account_catalogues(catalogue)
    try:
        config = SandboxConfig(
            profile=profile,
            seed=seed,
            allow_hosts=tuple(allow_host or ()),
            allow_http_webhooks=allow_http_webhooks,
            max_jobs=max_jobs,
            log_requests=log_requests,
            clock_skew_s=clock_skew,
            precise_stamps=precise_stamps,
            catalogues=accounts,
        )
        state = SandboxState(config)
        if balance is not None:
            for name in state.served:
                state.accounts.set_balance(name, default_key(name), Decimal(str(balance)))
    except ValueError as error:  # a setting the sandbox refuses (max_jobs, clock skew, balance)
        _usage(str(error))
    hosts = len(own_hosts(served.provider for served in state.served.values()))
    if first and not 0 < first <= MAX_PORT - hosts + 1:
        _usage(
            f"--origin-port must be 0 (any free ports) or leave room for {hosts} ports up to {MAX_PORT}, got {first}"
        )
    sock, own = _bound(state, host, port, first, hosts)
    if (warning := exposure_warning(sock.getsockname()[0])) is not None:
        typer.echo(warning, err=True)
    bound_host, bound_port = sock.getsockname()[:2]
    token = new_control_token() if needs_control_token(bound_host) else None
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    origin = f"{'https' if tls else 'http'}://{shown}:{bound_port}"
    typer.echo(f"tts-harness sandbox (profile {profile.value}, seed {seed}) on {origin}")
    for line in base_url_lines(state, origin):
        typer.echo(line)
    if token is not None:
        typer.echo(control_token_line(token))
    _serve_forever(state, [sock, *own], token, tls, "info" if log_requests else "warning")


def _serve_forever(
    state: SandboxState, sockets: list[socket.socket], token: str | None, tls: bool, log_level: str
) -> None:
    """Run until interrupted; with `tls`, under a throwaway CA whose file is printed (it lasts as long)."""
    with tempfile.TemporaryDirectory(prefix="tts-harness-ca-") as folder:
        authority = local_ca(Path(folder)) if tls else None
        if authority is not None:
            typer.echo(
                f"  TLS: trust the CA {authority.ca_pem} (e.g. SSL_CERT_FILE={authority.ca_pem}); "
                "it lasts as long as this server"
            )
        typer.echo("Press Ctrl+C to stop.")
        host, main = str(sockets[0].getsockname()[0]), int(sockets[0].getsockname()[1])  # gRPC listens beside it
        layout = grpc_port_after(main)
        server = make_server(
            state,
            log_level=log_level,
            control_token=token,
            tls=authority,
            grpc_host=host,
            announce=lambda port: typer.echo("\n".join(grpc_lines(state, host, port, tls, layout))),
        )
        try:
            server.run(sockets=sockets)
        finally:
            for sock in sockets:
                sock.close()
            state.producer.close()
