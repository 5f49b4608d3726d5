"""The sandbox never becomes an open proxy: it contacts only loopback and hosts the operator allows.

Requests carry URLs the sandbox must fetch (a reference voice: XTTS `speaker`, Chatterbox and VibeVoice
`audio_url`) or call (webhooks). A URL is checked *before* anything touches the network: its host must
be a loopback IP literal, `localhost`, or on the operator's allow-list. Nothing else is resolved or
connected to. Redirects are not followed (a redirect could lead off loopback), and bodies are bounded.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

import httpx

MAX_FETCH_BYTES = 20 * 1024 * 1024
FETCH_TIMEOUT_S = 10.0


class UrlRefused(Exception):
    """A URL the sandbox will not contact; the message says why and what is allowed."""


class FetchFailed(Exception):
    """An allowed URL that could not be fetched (connection refused, non-2xx, too large)."""

    def __init__(self, purpose: str, url: str, reason: str) -> None:
        self.purpose, self.url, self.reason = purpose, url, reason
        super().__init__(f"{purpose}: cannot fetch {url}: {reason}")

    def for_purpose(self, purpose: str) -> FetchFailed:
        """The same failure, worded for another field that asked for the same URL."""
        return FetchFailed(purpose, self.url, self.reason)


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


@dataclass(frozen=True, slots=True)
class NetPolicy:
    """Which hosts the sandbox may contact besides loopback (`host` or `host:port`, case-insensitive)."""

    allow_hosts: frozenset[str] = frozenset()
    allow_http_webhooks: bool = False  # accept http:// webhook URLs on loopback/allowed hosts (tests)

    @classmethod
    def of(cls, allow_hosts: Iterable[str] = (), allow_http_webhooks: bool = False) -> NetPolicy:
        return cls(frozenset(h.strip().lower() for h in allow_hosts if h.strip()), allow_http_webhooks)

    def check(self, url: str, purpose: str) -> httpx.URL:
        """The parsed URL if the sandbox may contact it; `UrlRefused` otherwise. Touches no network."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError) as error:
            raise UrlRefused(f"{purpose}: {url!r} is not a valid URL ({error})") from None
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise UrlRefused(f"{purpose}: only http(s) URLs with a host are accepted; got {url!r}")
        host = parsed.host.lower()
        with_port = f"{host}:{parsed.port}" if parsed.port else host
        if _is_loopback(host) or host in self.allow_hosts or with_port in self.allow_hosts:
            return parsed
        raise UrlRefused(
            f"{purpose}: the sandbox fetches only from loopback or the operator's allow-list "
            f"(--allow-host); refused host {host!r} without contacting it"
        )


async def fetch(client: httpx.AsyncClient, policy: NetPolicy, url: str, purpose: str) -> bytes:
    """GET an allowed URL's body (bounded, no redirects)."""
    parsed = policy.check(url, purpose)
    try:
        async with client.stream("GET", parsed, follow_redirects=False, timeout=FETCH_TIMEOUT_S) as response:
            if response.status_code != 200:
                raise FetchFailed(purpose, url, f"GET answered {response.status_code}")
            chunks = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > MAX_FETCH_BYTES:
                    raise FetchFailed(purpose, url, f"larger than {MAX_FETCH_BYTES} bytes")
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.HTTPError as error:
        raise FetchFailed(purpose, url, f"{type(error).__name__}: {error}") from None
