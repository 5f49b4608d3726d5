"""A model name no declared model answers to, where the documents say the request falls back
(`Synthesis.unknown_model`, `Socket.unknown_model`: `UnknownModel.DEFAULT`): the sandbox speaks it as the default model
(real audio, the success status) and records a finding naming the value (`GET /_sandbox/findings`, its log), never a
refusal the provider would not make. Fish Audio's `model` header: "If omitted or set to an unrecognized value, the
request falls back to `s2.1-pro`" (its OpenAPI file), and its live socket's: "Falls back to `s2.1-pro` when omitted or
unrecognized" (its AsyncAPI file). A synthesis without the part (Deepgram's, which has a default model too) still
refuses an unknown model."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import msgpack
import pytest

from harness.contracts.speech_checks import SpeechTarget
from harness.core.errors import RequestValidationError
from harness.core.protocols.http_speech import (
    UnknownModel,
    model_of,
    service_of,
    unrecognised_model,
)
from harness.core.registry import providers
from harness.core.validate import check_wire_request
from harness.sandbox import Sandbox, running
from harness.speech import decode, decode_raw

UNKNOWN = "s9-not-a-model"
VOICE = "7f92f8afb8ec43bf81429cc1c9199cb1"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with running(profile="fast", providers=("fish", "deepgram")) as running_sandbox:
        yield running_sandbox


def _target(sandbox: Sandbox, name: str) -> SpeechTarget:
    provider = providers()[name]
    return SpeechTarget(
        provider, {host: sandbox.base_url(name, host) for host in provider.hosts}, sandbox.default_key(name)
    )


def _findings(client: httpx.Client, sandbox: Sandbox, provider: str) -> list[dict[str, Any]]:
    return [f for f in client.get(sandbox.url + "/_sandbox/findings").json() if f["provider"] == provider]


def test_an_unrecognised_model_is_spoken_as_the_default_and_recorded(sandbox: Sandbox, client: httpx.Client) -> None:
    answer = client.post(
        sandbox.base_url("fish", "api") + "/v1/tts",
        json={"text": "The quick brown fox jumps over the lazy dog.", "reference_id": VOICE, "format": "wav"},
        headers={"Authorization": f"Bearer {sandbox.default_key('fish')}", "model": UNKNOWN},
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("audio/wav")
    assert decode(answer.content).duration_s > 1.0  # the speech, not a refusal
    (finding,) = [f for f in _findings(client, sandbox, "fish") if f["endpoint"] == "POST /v1/tts"]
    assert finding["field"] == "model" and finding["requests"] == 1
    assert repr(UNKNOWN) in finding["finding"] and "s2.1-pro" in finding["finding"]


def test_a_declared_model_and_no_model_are_no_finding(sandbox: Sandbox, client: httpx.Client) -> None:
    target = _target(sandbox, "fish")
    synthesis = target.service.synthesis("tts")
    before = _findings(client, sandbox, "fish")
    for request in (target.request(synthesis), target.request(synthesis, at={"/model": "s1"})):
        assert target.send(client, request).status_code == 200
    assert _findings(client, sandbox, "fish") == before


def test_a_synthesis_without_the_part_still_refuses_an_unknown_model(sandbox: Sandbox, client: httpx.Client) -> None:
    target = _target(sandbox, "deepgram")
    synthesis = next(s for s in target.service.syntheses if s.slots.model is not None)
    assert synthesis.unknown_model is UnknownModel.REFUSED and synthesis.default_model
    refusal = target.service.refusals.unknown_model
    assert refusal is not None
    answer = target.send(client, target.request(synthesis, at={synthesis.slots.model: UNKNOWN}))
    assert answer.status_code == refusal.status
    assert _findings(client, sandbox, "deepgram") == []


def test_the_live_socket_speaks_an_unrecognised_model_as_the_default(sandbox: Sandbox, client: httpx.Client) -> None:
    from websockets.asyncio.client import connect

    url = sandbox.base_url("fish", "api").replace("http://", "ws://") + "/v1/tts/live"
    headers = {"Authorization": f"Bearer {sandbox.default_key('fish')}", "model": UNKNOWN}

    async def session() -> tuple[bytes, str]:
        audio = b""
        async with connect(url, additional_headers=headers) as socket:
            await socket.send(
                msgpack.packb(
                    {
                        "event": "start",
                        "request": {"text": "", "reference_id": VOICE, "format": "pcm", "sample_rate": 44100},
                    }
                )
            )
            await socket.send(msgpack.packb({"event": "text", "text": "Hello from the sandbox, and goodbye."}))
            await socket.send(msgpack.packb({"event": "stop"}))
            async for frame in socket:
                event = msgpack.unpackb(frame)
                if event["event"] == "audio":
                    audio += event["audio"]
                elif event["event"] == "finish":
                    return audio, event["reason"]
        return audio, "closed"

    audio, reason = asyncio.run(session())
    assert reason == "stop"
    assert len(decode_raw(audio, "pcm_s16le")) / 44100 > 1.0
    (finding,) = [f for f in _findings(client, sandbox, "fish") if f["endpoint"] == "WS /v1/tts/live"]
    assert finding["field"] == "model" and repr(UNKNOWN) in finding["finding"]


def test_the_request_model_takes_any_name_only_where_the_part_says_so() -> None:
    fish = providers()["fish"]
    endpoint = fish.endpoint("tts")
    params, _ = check_wire_request(endpoint, {"text": "Hi", "model": UNKNOWN})
    assert params.model_dump()["model"] == UNKNOWN
    service = service_of(fish)
    declared = service.synthesis("tts")
    with pytest.raises(RequestValidationError, match="model"):  # the declaration's own model: the documented enum
        check_wire_request(declared.endpoint, {"text": "Hi", "model": UNKNOWN})
    assert model_of(service, declared, {"model": UNKNOWN}) == service.model("s2.1-pro")
    assert unrecognised_model(service, declared, {"model": UNKNOWN}) == UNKNOWN
    assert unrecognised_model(service, declared, {"model": "s1"}) is None
    assert unrecognised_model(service, declared, {}) is None
    refusing = replace(declared, unknown_model=UnknownModel.REFUSED)
    assert model_of(service, refusing, {"model": UNKNOWN}) is None
    assert unrecognised_model(service, refusing, {"model": UNKNOWN}) is None


def test_the_fallback_needs_a_default_model() -> None:
    declared = service_of(providers()["fish"]).synthesis("tts")
    with pytest.raises(ValueError, match="needs a model slot and a default_model"):
        replace(declared, default_model="")
