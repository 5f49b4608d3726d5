"""The sandbox never fetches from (or calls back) anything but loopback or the operator's allow-list —
and refuses before resolving or connecting: the tests fail if a forbidden host is ever looked up."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from harness.sandbox import Sandbox
from harness.sandbox.netguard import NetPolicy, UrlRefused
from tests.helpers.sandbox_http import assert_valid, send, settle

FORBIDDEN = [
    "https://pub-582b7213209642b9b995c96c95a30381.r2.dev/male.wav",
    "http://10.1.2.3/voice.wav",
    "http://169.254.169.254/latest/meta-data",
    "http://0.0.0.0:80/x.wav",
    "http://[::ffff:10.0.0.1]/x",
    "file:///etc/passwd",
    "ftp://127.0.0.1/x.wav",
    "http://127.0.0.1.nip.io/x.wav",
]


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every host name resolved and every address connected to, process-wide, while the test runs."""
    seen: list[str] = []
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(host))
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self: socket.socket, address: Any) -> Any:
        seen.append(str(address[0]) if isinstance(address, tuple) else str(address))
        return real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    yield seen


@pytest.mark.parametrize("url", FORBIDDEN)
def test_policy_refuses_without_touching_the_network(url: str, lookups: list[str]) -> None:
    with pytest.raises(UrlRefused):
        NetPolicy().check(url, "speaker")
    assert lookups == []


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/x.wav", "http://localhost/x.wav", "http://[::1]:80/x", "http://127.10.0.1/x"]
)
def test_policy_accepts_loopback(url: str) -> None:
    assert NetPolicy().check(url, "speaker").host


def test_allow_list_admits_named_hosts_only() -> None:
    policy = NetPolicy.of(["voices.example.org", "cdn.example.org:8443"])
    assert policy.check("https://voices.example.org/a.wav", "audio_url")
    assert policy.check("https://cdn.example.org:8443/a.wav", "audio_url")
    with pytest.raises(UrlRefused, match="allow-list"):
        policy.check("https://cdn.example.org/a.wav", "audio_url")


@pytest.mark.parametrize("url", FORBIDDEN[:3])
def test_sandbox_refuses_reference_urls_before_connecting(
    sandbox: Sandbox, client: httpx.Client, lookups: list[str], url: str
) -> None:
    host = httpx.URL(url).host
    body = {"speaker": url, "text": "Hello! Welcome to our voice cloning service."}
    response = send(sandbox, client, "pixazo", "xtts-v2.generate", body, key=sandbox.default_key("pixazo"))
    assert response.status_code == 400
    assert_valid("pixazo", "xtts-v2.generate", response)
    message = response.json()["message"]
    assert "speaker" in message and "loopback" in message and host in message
    assert host not in lookups  # neither resolved nor connected to
    assert all(a in ("127.0.0.1", "localhost", "::1") for a in lookups), lookups


def test_vibevoice_speaker_reference_is_guarded(sandbox: Sandbox, client: httpx.Client, lookups: list[str]) -> None:
    body = {"script": "Speaker 0: Hi.", "speakers": [{"audio_url": "https://voices.example.org/me.wav"}]}
    response = send(sandbox, client, "pixazo", "vibevoice.generate", body, key=sandbox.default_key("pixazo"))
    assert response.status_code == 400
    assert "speakers[0].audio_url" in response.json()["message"]
    assert "voices.example.org" not in lookups


def test_unreachable_loopback_reference_fails_the_job(sandbox: Sandbox, client: httpx.Client) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    body = {"text": "Hi.", "audio_url": f"http://127.0.0.1:{port}/voice.wav"}
    job = send(sandbox, client, "pixazo", "chatterbox.generate", body, key=sandbox.default_key("pixazo")).json()
    settle(sandbox, job["request_id"])
    status = send(
        sandbox,
        client,
        "pixazo",
        "requests.status",
        {},
        key=sandbox.default_key("pixazo"),
        request_id=job["request_id"],
    ).json()
    assert status["status"] == "FAILED"
    assert "audio_url" in status["error"] and "cannot fetch" in status["error"]


def test_reference_that_is_not_audio_fails_the_job(sandbox: Sandbox, client: httpx.Client) -> None:
    body = {"text": "Hi.", "audio_url": f"{sandbox.url}/_sandbox/voices/manifest.json"}
    job = send(sandbox, client, "pixazo", "chatterbox.generate", body, key=sandbox.default_key("pixazo")).json()
    settle(sandbox, job["request_id"])
    status = send(
        sandbox,
        client,
        "pixazo",
        "requests.status",
        {},
        key=sandbox.default_key("pixazo"),
        request_id=job["request_id"],
    ).json()
    assert status["status"] == "FAILED" and "not readable audio" in status["error"]
