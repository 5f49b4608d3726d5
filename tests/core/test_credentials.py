"""A key never follows a redirect to another origin (real loopback servers, real httpx redirects)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from harness.core.credentials import CredentialGuard, credential_headers, origin_of
from harness.providers.pixazo import PROVIDER as PIXAZO
from tests.helpers.loopback import LoopbackServer, QuietHandler

KEY = "pixazo-live-key-PLANTED-0123456789"


class _Server(LoopbackServer):
    """A loopback HTTP server that records the headers of every request and answers with `reply`."""

    def __init__(self, reply: tuple[int, dict[str, str], bytes]) -> None:
        seen: list[dict[str, str]] = []
        self.seen = seen

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                seen.append({k.lower(): v for k, v in self.headers.items()})
                status, headers, body = reply
                self.answer(status, body, headers)

        super().__init__(Handler)


@pytest.fixture()
def foreign() -> Iterator[_Server]:
    server = _Server((200, {"Content-Type": "audio/wav"}, b"RIFF"))
    yield server
    server.close()


@pytest.fixture()
def redirecting(foreign: _Server) -> Iterator[_Server]:
    server = _Server((302, {"Location": f"{foreign.url}/elsewhere"}, b""))
    yield server
    server.close()


def _headers() -> dict[str, str]:
    return {"Ocp-Apim-Subscription-Key": KEY, "Authorization": f"Bearer {KEY}", "X-Trace": "kept"}


def test_plain_httpx_leaks_the_subscription_key_on_a_cross_origin_redirect(
    redirecting: _Server, foreign: _Server
) -> None:
    # The problem this module exists for: httpx drops only Authorization.
    with httpx.Client(follow_redirects=True) as client:
        client.get(f"{redirecting.url}/media", headers=_headers())
    assert foreign.seen[0].get("ocp-apim-subscription-key") == KEY


def test_the_guard_follows_the_redirect_without_any_credential(redirecting: _Server, foreign: _Server) -> None:
    guard = CredentialGuard.for_urls([redirecting.url], credential_headers([PIXAZO]))
    with httpx.Client(follow_redirects=True, event_hooks=guard.sync_event_hooks()) as client:
        response = client.get(f"{redirecting.url}/media", headers=_headers())
    assert response.status_code == 200 and response.content == b"RIFF"
    assert redirecting.seen[0]["ocp-apim-subscription-key"] == KEY  # the configured origin still gets it
    assert "ocp-apim-subscription-key" not in foreign.seen[0]
    assert "authorization" not in foreign.seen[0]
    assert foreign.seen[0]["x-trace"] == "kept"
    assert guard.stripped == [f"GET http://127.0.0.1:{foreign.httpd.server_address[1]}"]


async def test_the_async_hook_guards_every_hop(redirecting: _Server, foreign: _Server) -> None:
    guard = CredentialGuard.for_urls([redirecting.url + "/pixazo/gateway"], credential_headers([PIXAZO]))
    async with httpx.AsyncClient(follow_redirects=True, event_hooks=guard.event_hooks()) as client:
        await client.get(f"{redirecting.url}/media", headers=_headers())
    assert "ocp-apim-subscription-key" not in foreign.seen[0]


def test_origins_compare_scheme_host_and_port() -> None:
    assert origin_of("https://API.example.com/x") == ("https", "api.example.com", 443)
    assert origin_of("http://127.0.0.1:8080/a") != origin_of("http://127.0.0.1:8081/a")
    assert origin_of("http://example.com") != origin_of("https://example.com")
