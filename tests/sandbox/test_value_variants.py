"""Values by evidence (issue 53 item 3; `harness.core.protocols.value_variants`): a value a client sends outside the
listed set is decided from evidence and kept as data. Where the evidence is silent, the sandbox takes it as the listed
value it spells and records a finding naming the evidence; where the reference documents the value, it is declared.

    Murf `format: "pcm"` (the reference lists PCM; LiveKit Agents' Murf plugin sends pcm)     case: taken, finding
    Murf's socket `?format=pcm`                                                              the family's case rule
    Fish `opus_bitrate: 32000` ("Opus bitrate in bps" beside 24-64; Pixelle-Video sends bps)  unit: taken as 32
    Inworld's HTTP stream `audioEncoding: "PCM"` (its socket takes it; the schema lists it)   declared
    Resemble's socket `output_format: "mp3"` ("wav (default) or mp3")                          declared
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from harness.core.audio import AudioKind, inspect
from harness.core.protocols.http_speech import Synthesis, resolve_values, service_of
from harness.core.protocols.value_variants import ValueVariant, case_variant
from harness.core.registry import providers
from harness.core.spec import Evidence, EvidenceSource
from harness.sandbox import Sandbox, running
from harness.speech import decode, decode_raw

TEXT = "The quick brown fox jumps over the lazy dog."


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with running(profile="fast", providers=("murf", "fish", "inworld", "resemble")) as running_sandbox:
        yield running_sandbox


def _findings(client: httpx.Client, sandbox: Sandbox, provider: str) -> list[dict[str, Any]]:
    return [f for f in client.get(sandbox.url + "/_sandbox/findings").json() if f["provider"] == provider]


def test_murf_takes_pcm_in_lower_case_with_a_finding_naming_the_client(sandbox: Sandbox, client: httpx.Client) -> None:
    answer = client.post(
        sandbox.base_url("murf", "api") + "/v1/speech/stream",
        json={"text": TEXT, "voiceId": "en-US-natalie", "format": "pcm", "sampleRate": 24000},
        headers={"api-key": sandbox.default_key("murf")},
    )
    assert answer.status_code == 200, answer.text
    assert len(decode_raw(answer.content, "pcm_s16le")) / 24000 > 1.0  # headerless samples, as PCM asks
    (finding,) = [f for f in _findings(client, sandbox, "murf") if f["field"] == "format"]
    assert "'pcm'" in finding["finding"] and "'PCM'" in finding["finding"]
    assert "livekit-plugins-murfai" in finding["finding"]


def test_murf_still_refuses_a_format_it_does_not_list(sandbox: Sandbox, client: httpx.Client) -> None:
    answer = client.post(
        sandbox.base_url("murf", "api") + "/v1/speech/stream",
        json={"text": TEXT, "voiceId": "en-US-natalie", "format": "aiff"},
        headers={"api-key": sandbox.default_key("murf")},
    )
    assert answer.status_code == 400


def test_murfs_socket_takes_pcm_in_lower_case(sandbox: Sandbox, client: httpx.Client) -> None:
    from websockets.asyncio.client import connect

    url = (
        sandbox.base_url("murf", "api").replace("http://", "ws://")
        + "/v1/speech/stream-input?sample_rate=24000&format=pcm&channel_type=MONO&model=FALCON"
    )

    async def session() -> bytes:
        audio = b""
        async with connect(url, additional_headers={"api-key": sandbox.default_key("murf")}) as socket:
            await socket.send(
                json.dumps(
                    {"voice_config": {"voice_id": "en-US-natalie"}, "context_id": "c1", "text": TEXT, "end": False}
                )
            )
            await socket.send(json.dumps({"context_id": "c1", "end": True}))
            async for frame in socket:
                message = json.loads(frame)
                assert "error" not in message, message
                if message.get("audio"):
                    audio += base64.b64decode(message["audio"])
                if message.get("final"):
                    break
        return audio

    audio = asyncio.run(session())
    assert len(decode_raw(audio, "pcm_s16le")) / 24000 > 1.0
    assert any(f["endpoint"].startswith("WS ") and "'pcm'" in f["finding"] for f in _findings(client, sandbox, "murf"))


def test_fish_takes_an_opus_bitrate_in_bits_per_second(sandbox: Sandbox, client: httpx.Client) -> None:
    headers = {"Authorization": f"Bearer {sandbox.default_key('fish')}"}
    # The client's settings carry its opus_bitrate whatever the format (the official client's default is 32).
    body = {"text": TEXT, "reference_id": "7f92f8afb8ec43bf81429cc1c9199cb1", "format": "mp3"}
    answer = client.post(
        sandbox.base_url("fish", "api") + "/v1/tts", json={**body, "opus_bitrate": 32000}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    assert decode(answer.content).duration_s > 1.0
    (finding,) = [f for f in _findings(client, sandbox, "fish") if f["field"] == "opus_bitrate"]
    assert (
        "32000" in finding["finding"] and "taken as 32" in finding["finding"] and "Pixelle-Video" in finding["finding"]
    )
    refused = client.post(
        sandbox.base_url("fish", "api") + "/v1/tts", json={**body, "opus_bitrate": 33000}, headers=headers
    )
    assert refused.status_code == 400  # neither a listed value nor one the evidence spells


def test_inworlds_http_stream_takes_the_pcm_its_socket_takes(sandbox: Sandbox, client: httpx.Client) -> None:
    answer = client.post(
        sandbox.base_url("inworld", "api") + "/tts/v1/voice:stream",
        json={
            "text": TEXT,
            "voiceId": "Ashley",
            "modelId": "inworld-tts-1.5-max",
            "audioConfig": {"audioEncoding": "PCM", "sampleRateHertz": 24000},
        },
        headers={"Authorization": f"Basic {sandbox.default_key('inworld')}"},
    )
    assert answer.status_code == 200, answer.text
    pieces = [
        base64.b64decode(json.loads(line)["result"]["audioContent"])
        for line in answer.text.splitlines()
        if line.strip()
    ]
    assert len(decode_raw(b"".join(pieces), "pcm_s16le")) / 24000 > 1.0


def test_resembles_socket_takes_the_documented_mp3(sandbox: Sandbox, client: httpx.Client) -> None:
    from websockets.asyncio.client import connect

    url = sandbox.base_url("resemble", "websocket").replace("http://", "ws://") + "/stream"

    async def session() -> bytes:
        audio = b""
        headers = {"Authorization": f"Bearer {sandbox.default_key('resemble')}"}
        async with connect(url, additional_headers=headers) as socket:
            await socket.send(
                json.dumps(
                    {
                        "voice_uuid": "55592656",
                        "data": TEXT,
                        "output_format": "mp3",
                        "sample_rate": 22050,
                        "request_id": 0,
                    }
                )
            )
            async for frame in socket:
                message = json.loads(frame)
                assert message["type"] != "error", message
                if message["type"] == "audio":
                    audio += base64.b64decode(message["audio_content"])
                if message["type"] == "audio_end":
                    break
        return audio

    audio = asyncio.run(session())
    info = inspect(audio)
    assert info.kind is AudioKind.MP3 and info.duration_s is not None and info.duration_s > 1.0


def test_a_variant_the_evidence_shows_refused_resolves_to_nothing() -> None:
    synthesis: Synthesis = service_of(providers()["murf"]).synthesis("speech.stream")
    evidence = (Evidence(EvidenceSource.DOCS, "a reference", "an error example"),)
    refused = ValueVariant(
        at="/format",
        sent="mpeg",
        means=None,
        evidence=evidence,
        words='the reference: "format must be one of MP3, WAV"',
    )
    (found,) = resolve_values((refused,), synthesis, {"format": "mpeg"})
    assert found.means is None and "must be one of" in found.why
    assert [r.means for r in resolve_values((), synthesis, {"format": "Wav"})] == ["WAV"]  # the family's case rule
    assert resolve_values((), synthesis, {"format": "WAV"}) == []
    assert case_variant("pcm", ["PCM", "Pcm"]) is None  # two spellings: no guess
    with pytest.raises(ValueError, match="evidence"):
        ValueVariant(at="/format", sent="x", means="X", evidence=(), words="")
