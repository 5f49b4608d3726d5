"""Credentials never leave their origin, and a key is checked before it travels at all.

A key is configured for a provider's hosts. httpx, following a redirect to another origin, drops only the
`Authorization` header; a key in any other header (an API gateway's subscription-key header) would be sent to
whatever host the 3xx names. `CredentialGuard` is a request event hook: httpx runs it before every hop,
redirects included, and it removes every credential header from a request whose origin is not one the
keys were configured for.

Why strip rather than refuse: a provider may legitimately redirect a media download to a storage host
(signed URLs); refusing would lose a result already paid for, while following *without* the key loses
nothing — a host that needed the key answers 401, which is classified as an auth error like any other.

`usable_key` is the one check of a key's characters, made where a key is read from the environment and
before anything is sent or charged: a key with a trailing space or newline (copied with the line it came
on) would make every request fail locally — each one counted as an outcome unknown, possibly charged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from harness.core.errors import UsageError
from harness.core.redact import SENSITIVE_HEADERS, Secret
from harness.core.spec import Provider

if TYPE_CHECKING:
    import httpx

Origin = tuple[str, str, int]
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: httpx.URL | str) -> Origin:
    import httpx  # on first use: the plan's targets import this module, and `bench run --help` needs no HTTP client

    url = httpx.URL(url)
    return url.scheme, url.host.lower(), url.port or _DEFAULT_PORTS.get(url.scheme, 0)


def origin_text(url: httpx.URL | str) -> str:
    """`scheme://host:port` of a URL: where a request goes, printable (no userinfo, no path)."""
    scheme, host, port = origin_of(url)
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}" + ("" if _DEFAULT_PORTS.get(scheme) == port else f":{port}")


def usable_key(variable: str, value: str) -> Secret:
    """A key as it will travel in a header, or a one-line `UsageError` naming the variable (never the value):
    no whitespace at either end or inside, no control or non-ASCII character."""
    if value != value.strip():
        raise UsageError(
            f"{variable} starts or ends with whitespace (a space or newline copied with the key?): remove it"
        )
    if any(c.isspace() for c in value):
        raise UsageError(f"{variable} holds whitespace inside the key: check the key was copied whole, and alone")
    if not (value.isascii() and value.isprintable()):
        raise UsageError(
            f"{variable} holds characters an HTTP header cannot carry (non-ASCII or control "
            "characters): check the key was copied whole"
        )
    return Secret(value)


def credential_headers(providers: Iterable[Provider]) -> frozenset[str]:
    """The header names that carry a key: every provider's documented auth header, and the usual ones."""
    return frozenset({p.auth.header.lower() for p in providers} | SENSITIVE_HEADERS)


@dataclass
class CredentialGuard:
    """Removes credential headers from any request to an origin outside `origins` (counted in `stripped`)."""

    origins: frozenset[Origin]
    headers: frozenset[str] = SENSITIVE_HEADERS
    stripped: list[str] = field(default_factory=list)  # "METHOD origin" of each request that lost its key

    @classmethod
    def for_urls(cls, urls: Iterable[str], headers: Iterable[str] = SENSITIVE_HEADERS) -> CredentialGuard:
        return cls(frozenset(origin_of(u) for u in urls), frozenset(h.lower() for h in headers))

    def check(self, request: httpx.Request) -> None:
        if origin_of(request.url) in self.origins:
            return
        present = [name for name in request.headers if name.lower() in self.headers]
        for name in present:
            del request.headers[name]
        if present:
            scheme, host, port = origin_of(request.url)
            self.stripped.append(f"{request.method} {scheme}://{host}:{port}")

    async def async_hook(self, request: httpx.Request) -> None:
        self.check(request)

    def event_hooks(self) -> dict[str, list[Callable[..., Any]]]:
        """For an `httpx.AsyncClient(event_hooks=...)`."""
        return {"request": [self.async_hook]}

    def sync_event_hooks(self) -> dict[str, list[Callable[..., Any]]]:
        """For an `httpx.Client(event_hooks=...)`."""
        return {"request": [self.check]}
