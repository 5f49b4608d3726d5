"""Where each provider host lives on the sandbox, and the absolute URLs the sandbox hands out.

One server serves every provider: host `gateway` of provider `pixazo` is mounted at `/pixazo/gateway`,
and beneath a mount the documented paths work unchanged (the rule itself, shared with the clients, is
`harness.core.target`). Every absolute URL in an answer (polling URL, media URL, webhook payload) is
built from the origin the client used plus the mount, so it points back at the sandbox however the
client reached it.

Each provider host is also served at an origin of its own (`Origins`: a port per host, its root standing for
the host's live base URL), the same app behind `OwnOriginRouter`; a client that came by one is handed URLs at
the own origins too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from harness.core.spec import Provider
from harness.core.target import CONTROL_PREFIX, MEDIA_HOST, mount_path

__all__ = [
    "CONTROL_PREFIX",
    "MEDIA_HOST",
    "Origins",
    "OwnOrigin",
    "OwnOriginRouter",
    "Urls",
    "client_url",
    "fill",
    "mount_path",
    "own_hosts",
    "sent_path",
]

_PARAM = re.compile(r"{([^}:]+)(?::[^}]+)?}")


def fill(template: str, params: Mapping[str, object]) -> tuple[str, dict[str, str]]:
    """A path template with its `{name}` parameters filled; the parameters it does not use are returned."""
    left = {k: str(v) for k, v in params.items()}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in left:
            raise KeyError(f"path {template!r} needs parameter {name!r}; given: {', '.join(params) or 'none'}")
        return quote(left.pop(name), safe="")

    return _PARAM.sub(replace, template), left


@dataclass(frozen=True, slots=True)
class Urls:
    """Absolute sandbox URLs for one provider, as seen by one client (its origin)."""

    origin: str  # "http://127.0.0.1:8765"
    provider: Provider
    media_path: str  # the emulation's media path template beneath the media host
    media_host: str = MEDIA_HOST  # the host key whose mount serves results
    origins: Origins | None = None  # the sandbox's own origins, when it serves them

    def base(self, host: str) -> str:
        if self.origins is not None:
            return self.origins.base(self.origin, self.provider.name, host)
        return self.origin + mount_path(self.provider.name, host)

    def endpoint(self, key: str, **params: object) -> str:
        """The URL of a documented endpoint; parameters not in its path go to the query string."""
        endpoint = self.provider.endpoint(key)
        path, rest = fill(endpoint.path, params)
        query = f"?{urlencode(rest)}" if rest else ""
        return self.base(endpoint.host) + path + query

    def media(self, **params: object) -> str:
        path, _ = fill(self.media_path, params)
        return self.base(self.media_host) + path


# --- origins of their own ----------------------------------------------------------------------------
#
# Beside the prefixed form, every provider host has an origin of its own: a port of the same server whose
# root stands for the host's live base URL (`https://api.inworld.ai` -> `http://127.0.0.1:PORT`;
# `https://api.openai.com/v1` -> `http://127.0.0.1:PORT/v1`), for a client that takes only a host or joins
# absolute paths onto its base URL. A port per host works with every client, where `*.localhost` names do not
# resolve to loopback with every resolver. A request arriving on such a port has its path put beneath the
# host's mount (`OwnOriginRouter`), so it takes the same route, pipeline and emulation as a prefixed one.

CLIENT_PATH = "tts_harness.client_path"  # the scope key of the path a client sent to an own origin


@dataclass(frozen=True, slots=True)
class OwnOrigin:
    """One provider host's own origin: the port it is served on and the live base URL's path kept there."""

    provider: str
    host: str
    path: str  # the live base URL's path: "/v1" for https://api.openai.com/v1, "" for a bare host
    port: int

    @property
    def mount(self) -> str:
        return mount_path(self.provider, self.host)

    def base(self, scheme: str, hostname: str) -> str:
        """Its base URL, on the sandbox named `hostname` (`http://127.0.0.1:PORT/v1`)."""
        return f"{scheme}://{_bracketed(hostname)}:{self.port}{self.path}"

    def beneath_mount(self, path: str) -> str:
        """A path sent to this origin, as the path of the prefixed form (`/v1/audio/speech` ->
        `/openai/v1/audio/speech`); one outside the base path lands beneath the mount (the provider's 404)."""
        if self.path and (path == self.path or path.startswith(self.path + "/")):
            path = path[len(self.path) :]
        return self.mount + path

    def raw_beneath_mount(self, raw: bytes) -> bytes:
        """`beneath_mount` for the path as sent, still percent-encoded (ASGI's `raw_path`)."""
        base = self.path.encode()
        if base and (raw == base or raw.startswith(base + b"/")):
            raw = raw[len(base) :]
        return self.mount.encode() + raw


def own_hosts(providers: Iterable[Provider]) -> list[tuple[str, str, str]]:
    """Every (provider, host key, base path) given an origin of its own, in the order ports are given out."""
    return [(p.name, host, urlsplit(live).path.rstrip("/")) for p in providers for host, live in p.hosts.items()]


class Origins:
    """The sandbox's ports: the main one (control API, prefixed form) and each provider host's own."""

    def __init__(self, main_port: int, own: Iterable[OwnOrigin]) -> None:
        self.main_port = main_port
        self.own = tuple(own)
        self._by_port = {origin.port: origin for origin in self.own}
        self._by_key = {(origin.provider, origin.host): origin for origin in self.own}

    def at(self, port: int | None) -> OwnOrigin | None:
        """The own origin served on `port`, if it is one."""
        return self._by_port.get(port) if port is not None else None

    def of(self, provider: str, host: str) -> OwnOrigin | None:
        return self._by_key.get((provider, host))

    def roots(self, origin: str) -> list[str]:
        """The own origins of a sandbox whose main origin is `origin` (`http://127.0.0.1:PORT`), without paths."""
        parts = urlsplit(origin)
        return [f"{parts.scheme}://{_bracketed(parts.hostname or '')}:{own.port}" for own in self.own]

    def base(self, origin: str, provider: str, host: str) -> str:
        """The base URL of `provider`'s `host` for a client that reached the sandbox at `origin`: at the host's
        own origin when the client came by one (a host without one, the media host: the prefixed form on the
        main port), else the prefixed form on the origin it used."""
        parts = urlsplit(origin)
        if self.at(parts.port) is None or parts.hostname is None:
            return origin + mount_path(provider, host)
        own = self.of(provider, host)
        if own is None:
            return f"{parts.scheme}://{_bracketed(parts.hostname)}:{self.main_port}{mount_path(provider, host)}"
        return own.base(parts.scheme, parts.hostname)


def _bracketed(hostname: str) -> str:
    return f"[{hostname}]" if ":" in hostname else hostname


def sent_path(scope: Mapping[str, object]) -> str:
    """The path a client sent: at an own origin, not the mounted one the routes see."""
    sent = scope.get(CLIENT_PATH, scope.get("path"))
    return sent if isinstance(sent, str) else ""


def client_url(url: str, scope: Mapping[str, object]) -> str:
    """The URL a client sent a request to: at an own origin, the path it sent rather than the mounted one
    (what a signature covers)."""
    sent = scope.get(CLIENT_PATH)
    if not isinstance(sent, str):
        return url
    parts = urlsplit(url)
    escaped = sent.replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")  # as Starlette writes a URL's path
    return urlunsplit((parts.scheme, parts.netloc, escaped, parts.query, ""))


class OwnOriginRouter:
    """The ASGI layer that serves every own origin with the one app: a request arriving on a provider host's own
    port (`scope["server"]`) goes on with its path beneath that host's mount and the path it sent kept
    (`CLIENT_PATH`); every other request goes on untouched."""

    def __init__(self, app: ASGIApp, origins: Origins | None) -> None:
        self.app = app
        self.origins = origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        server = scope.get("server")
        own = (
            self.origins.at(server[1]) if self.origins is not None and server and scope["type"] != "lifespan" else None
        )
        if own is not None:
            path: str = scope["path"]
            raw: bytes = scope.get("raw_path") or path.encode()
            scope = {
                **scope,
                "path": own.beneath_mount(path),
                "raw_path": own.raw_beneath_mount(raw),
                CLIENT_PATH: path,
            }
        await self.app(scope, receive, send)
