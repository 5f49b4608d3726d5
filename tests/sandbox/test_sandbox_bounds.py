"""Bounded requests: the sandbox checks Content-Length first, reads uploads no further than the documented
limit allows, and bounds JSON bodies in size and depth — each refused in the provider's own error shape,
never with a 500 or by holding a huge body in memory."""

from __future__ import annotations

import json
import socket
import tracemalloc
from collections.abc import Iterator

import httpx
import pytest

from harness.core.registry import providers
from harness.core.validate import check_response
from harness.sandbox import Sandbox, running
from harness.sandbox.http_bodies import MAX_JSON_BYTES, MAX_JSON_DEPTH

MIB = 1024 * 1024
PIXELAPI_GENERATE = "/v1/tts/generate"
CHATTERBOX = "/chatterbox-text-to-speech/v1/chatterbox-text-to-speech-request"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with running("fast", 3, providers=("pixazo", "pixelapi")) as sb:
        yield sb


def _documented(provider: str, endpoint: str, response: httpx.Response) -> None:
    spec = providers()[provider]
    verdict = check_response(
        spec, spec.endpoint(endpoint), response.status_code, dict(response.headers), response.content
    )
    assert verdict.ok, "; ".join(str(v) for v in verdict.violations)


def test_content_length_is_checked_before_reading(sandbox: Sandbox) -> None:
    base = sandbox.base_url("pixelapi", "api")
    host, port = httpx.URL(base).host, httpx.URL(base).port
    head = (
        f"POST {httpx.URL(base).path}{PIXELAPI_GENERATE} HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {sandbox.default_key('pixelapi')}\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 104857600\r\n\r\n"
    )
    with socket.create_connection((host, port), timeout=30) as conn:
        conn.sendall(head.encode())  # announces 100 MB, sends none of it: the answer must not wait for it
        answer = b""
        while b"}" not in answer.rpartition(b"\r\n\r\n")[2]:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
        answer_text = answer.decode(errors="replace")
    assert answer_text.startswith("HTTP/1.1 400"), answer_text[:200]
    assert "Reference audio must be under 10 MB" in answer_text  # PixelAPI's documented 400


def test_a_huge_upload_is_refused_while_it_arrives(sandbox: Sandbox) -> None:
    base = sandbox.base_url("pixelapi", "api")
    sent = 0

    def body() -> Iterator[bytes]:  # chunked: no Content-Length to refuse early on
        nonlocal sent
        yield (
            b'--x\r\nContent-Disposition: form-data; name="voice_ref"; filename="big.wav"\r\n'
            b"Content-Type: audio/wav\r\n\r\n"
        )
        for _ in range(100):
            sent += MIB
            yield b"\0" * MIB
        yield b"\r\n--x--\r\n"

    headers = {
        "Authorization": f"Bearer {sandbox.default_key('pixelapi')}",
        "Content-Type": "multipart/form-data; boundary=x",
    }
    tracemalloc.start()
    try:
        response: httpx.Response | None = httpx.post(
            base + PIXELAPI_GENERATE, content=body(), headers=headers, timeout=60
        )
    except httpx.TransportError:
        response = None  # the server answered and closed while the client was still sending: also fine
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    if response is not None:
        assert response.status_code == 400
        _documented("pixelapi", "tts.generate", response)
    assert sent == 100 * MIB  # the whole upload was offered ...
    # ... but the sandbox (in this process) never held more than the documented 10 MB limit's worth of it.
    assert peak < 32 * MIB, f"peak traced memory {peak / MIB:.0f} MiB"


def test_an_oversized_json_body_is_refused_in_the_providers_words(sandbox: Sandbox) -> None:
    base = sandbox.base_url("pixazo", "gateway")
    headers = {"Ocp-Apim-Subscription-Key": sandbox.default_key("pixazo"), "Content-Type": "application/json"}
    big = json.dumps({"text": "a" * (MAX_JSON_BYTES + 10)})
    response = httpx.post(base + CHATTERBOX, content=big, headers=headers, timeout=30)
    assert response.status_code == 400
    _documented("pixazo", "chatterbox.generate", response)


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
def test_deep_json_is_a_400_not_a_500(sandbox: Sandbox, depth: int) -> None:
    base = sandbox.base_url("pixazo", "gateway")
    headers = {"Ocp-Apim-Subscription-Key": sandbox.default_key("pixazo"), "Content-Type": "application/json"}
    deep = '{"text": "Hi", "x": ' + "[" * depth + "]" * depth + "}"
    response = httpx.post(base + CHATTERBOX, content=deep, headers=headers, timeout=30)
    assert response.status_code == 400, response.text[:200]
    assert "nests deeper" in response.text
    _documented("pixazo", "chatterbox.generate", response)
