"""Every provider host at an origin of its own (a port per host, `Sandbox.origin`): a client that takes only a host,
or joins an absolute path onto its base URL, reaches the provider unchanged — over HTTP and WebSocket, plain and TLS,
through the same pipeline (auth, validation, faults) as the prefixed form, which keeps working; absolute URLs in an
answer given at an own origin point at the own origins."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urljoin

import httpx
import numpy as np
import pytest
import websockets

from harness.sandbox import Sandbox, running
from harness.speech import decode_raw
from tests.helpers.sandbox_http import settle

MISSING = "the official clients are a test extra: pip install -e .[test]"
TEXT = "Hello from the sandbox, at an origin of its own."
SPEECH = {"model": "gpt-4o-mini-tts", "input": TEXT, "voice": "alloy", "response_format": "pcm"}
NEUPHONIC_QUERY = {
    "lang_code": "en",
    "voice_id": "8e9c4bc8-3979-48ab-8626-df53befc2090",
    "sampling_rate": "24000",
    "encoding": "pcm_linear",
}


def _speech_seconds(pcm: bytes, rate: int = 24000) -> float:
    return float(np.sum(np.abs(decode_raw(pcm, "pcm_s16le")) > 0.02)) / rate


def _openai_key(sandbox: Sandbox) -> dict[str, str]:
    return {"Authorization": f"Bearer {sandbox.default_key('openai')}"}


def test_a_client_joining_an_absolute_path_reaches_the_provider_only_at_its_own_origin(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    # OpenAI's live base URL is https://api.openai.com/v1: its own origin keeps the /v1, as a client expects.
    prefixed, own = sandbox.base_url("openai"), sandbox.origin("openai")
    assert own.endswith("/v1") and own != prefixed and sandbox.origins()["openai"] == {"v1": own}
    refused = client.post(urljoin(prefixed, "/v1/audio/speech"), json=SPEECH, headers=_openai_key(sandbox))
    assert refused.status_code == 404  # the absolute path drops the prefix: the reason for own origins
    answer = client.post(urljoin(own, "/v1/audio/speech"), json=SPEECH, headers=_openai_key(sandbox))
    assert answer.status_code == 200, answer.text
    assert _speech_seconds(answer.content) > 0.5
    still = client.post(prefixed + "/audio/speech", json=SPEECH, headers=_openai_key(sandbox))
    assert still.status_code == 200 and _speech_seconds(still.content) > 0.5  # the prefixed form, unchanged


def test_an_own_origin_takes_the_same_pipeline(sandbox: Sandbox, client: httpx.Client) -> None:
    own = sandbox.origin("openai")
    unknown = client.post(own + "/audio/speech", json=SPEECH, headers={"Authorization": "Bearer not-a-key"})
    assert unknown.status_code == 401 and unknown.json()["error"]["code"] == "invalid_api_key"
    invalid = client.post(own + "/audio/speech", json={**SPEECH, "speed": 9}, headers=_openai_key(sandbox))
    assert invalid.status_code == 400
    faulted = client.post(
        own + "/audio/speech", json=SPEECH, headers={**_openai_key(sandbox), "X-Sandbox-Fault": "http-503"}
    )
    assert faulted.status_code == 503
    root = own.removesuffix("/v1")
    for path in ("/v1/no/such/path", "/outside/v1"):  # the provider's 404, naming the path as sent (not the mount)
        missing = client.post(root + path, json=SPEECH, headers=_openai_key(sandbox))
        assert missing.status_code == 404 and missing.json()["error"]["message"] == f"Invalid URL (POST {path})"
    assert client.get(root + "/_sandbox").status_code == 404  # the control API is the main port's only


def test_urls_in_an_answer_at_an_own_origin_point_at_the_own_origins(sandbox: Sandbox, client: httpx.Client) -> None:
    gateway = sandbox.origin("pixazo", "gateway")
    key = {"Ocp-Apim-Subscription-Key": sandbox.default_key("pixazo")}
    job = client.post(
        gateway + "/chatterbox-text-to-speech/v1/chatterbox-text-to-speech-request", json={"text": TEXT}, headers=key
    ).json()
    assert job["polling_url"].startswith(gateway + "/v2/requests/status/")  # no mount: the own origin's form
    settle(sandbox, job["request_id"])
    done = client.get(job["polling_url"], headers=key).json()
    assert done["status"] == "COMPLETED", done
    [media_url] = done["output"]["media_url"]
    assert media_url.startswith(sandbox.url + "/pixazo/cdn/")  # the media host has no own origin: the main port's
    media = client.get(media_url)
    assert media.status_code == 200 and media.content[:4] == b"RIFF"


def test_boto3_takes_only_a_host_and_signs_for_it(sandbox: Sandbox) -> None:
    boto3 = pytest.importorskip("boto3", reason=MISSING)
    key = sandbox.default_key("polly")
    polly = boto3.client(
        "polly",
        endpoint_url=sandbox.origin("polly"),
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=key,
    )
    answer = polly.synthesize_speech(Text=TEXT, OutputFormat="pcm", VoiceId="Joanna", Engine="neural")
    assert _speech_seconds(answer["AudioStream"].read(), 16000) > 0.5  # the signature covers the path it sent


def test_pyneuphonic_takes_only_a_host_over_http_and_websocket(sandbox: Sandbox) -> None:
    pyneuphonic = pytest.importorskip("pyneuphonic", reason=MISSING)
    from pyneuphonic.models import TTSConfig

    # The client takes a host and nothing else (it speaks plain HTTP to one named localhost).
    host = sandbox.origin("neuphonic").replace("http://127.0.0.1", "localhost")
    client = pyneuphonic.Neuphonic(api_key=sandbox.default_key("neuphonic"), base_url=host)
    pcm = b"".join(
        message.data.audio
        for message in client.tts.SSEClient().send(TEXT, tts_config={"lang_code": "en"})
        if message.data is not None and message.data.audio
    )
    assert _speech_seconds(pcm) > 0.5

    async def speak() -> bytes:
        ws = client.tts.AsyncWebsocketClient()
        await ws.open(TTSConfig(voice_id=NEUPHONIC_QUERY["voice_id"], sampling_rate=24000))
        await ws.send({"text": TEXT})
        await ws.complete()
        audio = b""
        while True:
            message = await asyncio.wait_for(ws.receive(), 10)
            audio += message.data.audio or b""
            if getattr(message.data, "stop", False):
                await ws.close()
                return audio

    assert _speech_seconds(asyncio.run(speak())) > 0.5


def _socket_speech(url: str, key: str, **options: Any) -> bytes:
    """Neuphonic's socket driven with `websockets` alone: the passage and its end token, answers until stop."""

    async def speak() -> bytes:
        audio = b""
        async with websockets.connect(url, additional_headers={"x-api-key": key}, **options) as ws:
            await ws.send(json.dumps({"text": TEXT + " <STOP>"}))
            while True:
                data = json.loads(await asyncio.wait_for(ws.recv(), 10))["data"]
                audio += base64.b64decode(data.get("audio") or "")
                if data.get("stop"):
                    return audio

    return asyncio.run(speak())


def test_a_websocket_client_reaches_a_socket_at_its_own_origin(sandbox: Sandbox) -> None:
    own = sandbox.origin("neuphonic").replace("http://", "ws://", 1)
    url = f"{own}/speak/en?{urlencode(NEUPHONIC_QUERY)}"
    assert _speech_seconds(_socket_speech(url, sandbox.default_key("neuphonic"))) > 0.5
    with pytest.raises(websockets.InvalidStatus) as refused:
        _socket_speech(url, "not-a-key")
    assert refused.value.response.status_code == 401  # the same key check as the prefixed route's


@pytest.fixture(scope="module")
def tls_sandbox() -> Iterator[Sandbox]:
    with running(profile="fast", tls=True, providers=("neuphonic",)) as sb:
        yield sb


def test_own_origins_speak_tls_too(tls_sandbox: Sandbox) -> None:
    assert tls_sandbox.tls is not None
    own = tls_sandbox.origin("neuphonic")
    assert own.startswith("https://")
    key = tls_sandbox.default_key("neuphonic")
    with httpx.Client(verify=tls_sandbox.tls.client_context(), trust_env=False, timeout=30) as client:
        answer = client.post(own + "/sse/speak/en", json={"text": TEXT}, headers={"x-api-key": key})
    assert answer.status_code == 200 and "data:" in answer.text
    url = f"{own.replace('https://', 'wss://', 1)}/speak/en?{urlencode(NEUPHONIC_QUERY)}"
    assert _speech_seconds(_socket_speech(url, key, ssl=tls_sandbox.tls.client_context())) > 0.5
