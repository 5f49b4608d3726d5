"""What LiveKit Agents' TTS plugins (1.8.9) send at their defaults, decided from evidence (issue 53's rule: the
reference, the official client, independent clients in wide use), each through the sandbox's wire directly:

    MiniMax's socket: audio messages carry "event": "task_continued"     the AsyncAPI's Task Continued Event schema
    Fish's live socket: format wav, opus_bitrate 64000                   the AsyncAPI's WebSocketTTSRequest enums
    Neuphonic's socket: a context_id beside the text is echoed           LiveKit's plugin alone (source: client)
    Speechify: simba-3.2 and dominic_32 on the stream with timestamps    speechify-api 4.0.0; Mastra, LiveKit
    Murf's stream: voice_id and sample_rate taken as voiceId, sampleRate LiveKit's plugin (source: client), a finding
    Murf's voices: an open catalogue ("150+ AI voices")                  en-US-matthew spoken, with a finding
    Murf's socket: min_buffer_size 3 still refused                       its reference: "Range: 40 to 160 characters"
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import msgpack
import pytest

from harness.sandbox import Sandbox, running
from harness.speech import decode_raw

TEXT = "The quick brown fox jumps over the lazy dog."


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with running(profile="fast", providers=("minimax", "fish", "neuphonic", "speechify", "murf")) as running_sandbox:
        yield running_sandbox


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as http:
        yield http


def _ws(sandbox: Sandbox, provider: str) -> str:
    return sandbox.base_url(provider, "api").replace("http://", "ws://", 1)


def _findings(client: httpx.Client, sandbox: Sandbox, provider: str) -> list[dict[str, Any]]:
    return [f for f in client.get(sandbox.url + "/_sandbox/findings").json() if f["provider"] == provider]


def test_minimaxs_audio_messages_name_the_task_continued_event(sandbox: Sandbox) -> None:
    from websockets.asyncio.client import connect

    async def session() -> list[dict[str, Any]]:
        audio: list[dict[str, Any]] = []
        headers = {"Authorization": f"Bearer {sandbox.default_key('minimax')}"}
        async with connect(_ws(sandbox, "minimax") + "/ws/v1/t2a_v2", additional_headers=headers) as socket:
            assert json.loads(await socket.recv())["event"] == "connected_success"
            await socket.send(
                json.dumps(
                    {
                        "event": "task_start",
                        "model": "speech-02-turbo",
                        "voice_setting": {"voice_id": "English_expressive_narrator"},
                        "audio_setting": {"format": "pcm", "sample_rate": 24000},
                    }
                )
            )
            assert json.loads(await socket.recv())["event"] == "task_started"
            await socket.send(json.dumps({"event": "task_continue", "text": TEXT}))
            await socket.send(json.dumps({"event": "task_finish"}))
            async for frame in socket:
                message = json.loads(frame)
                if message.get("data", {}).get("audio"):
                    audio.append(message)
                if message.get("event") in ("task_finished", "task_failed"):
                    assert message["event"] == "task_finished", message
                    break
        return audio

    audio = asyncio.run(session())
    assert audio and all(message.get("event") == "task_continued" for message in audio)


def test_fishs_live_socket_takes_wav_and_an_opus_bitrate_in_bits_per_second(sandbox: Sandbox) -> None:
    from websockets.asyncio.client import connect

    async def session(request: dict[str, Any]) -> tuple[bytes, str]:
        chunks, reason = b"", ""
        headers = {"Authorization": f"Bearer {sandbox.default_key('fish')}", "model": "s2.1-pro"}
        async with connect(_ws(sandbox, "fish") + "/v1/tts/live", additional_headers=headers) as socket:
            await socket.send(msgpack.packb({"event": "start", "request": request}))
            await socket.send(msgpack.packb({"event": "text", "text": TEXT}))
            await socket.send(msgpack.packb({"event": "stop"}))
            async for frame in socket:
                message = msgpack.unpackb(frame)
                if message.get("event") == "audio":
                    chunks = chunks or message["audio"]  # the first: a WAV file's start
                if message.get("event") == "finish":
                    reason = message["reason"]
                    break
        return chunks, reason

    voice = {"text": "", "reference_id": "933563129e564b19a115bedd57b7406a", "latency": "balanced"}
    first, reason = asyncio.run(session({**voice, "format": "wav", "sample_rate": 24000, "opus_bitrate": 64000}))
    assert reason == "stop" and first[:4] == b"RIFF"
    assert asyncio.run(session({**voice, "format": "pcm", "opus_bitrate": 64}))[1] == "stop"  # the HTTP page's kbps
    assert asyncio.run(session({**voice, "format": "pcm", "opus_bitrate": 33000}))[1] == "error"  # listed by neither


def test_neuphonics_socket_echoes_the_context_a_client_names(sandbox: Sandbox, client: httpx.Client) -> None:
    from websockets.asyncio.client import connect

    query = {
        "lang_code": "en",
        "voice_id": "8e9c4bc8-3979-48ab-8626-df53befc2090",
        "sampling_rate": "22050",
        "encoding": "pcm_linear",
    }

    async def session(named: dict[str, str]) -> list[dict[str, Any]]:
        answers = []
        url = f"{_ws(sandbox, 'neuphonic')}/speak/en?{urlencode(query)}"
        async with connect(url, additional_headers={"x-api-key": sandbox.default_key("neuphonic")}) as socket:
            await socket.send(json.dumps({"text": TEXT + "<STOP>", **named}))
            while True:
                data = json.loads(await asyncio.wait_for(socket.recv(), 10))["data"]
                answers.append(data)
                if data.get("stop"):
                    return answers

    echoed = asyncio.run(session({"context_id": "segment-1"}))
    assert any(data.get("audio") for data in echoed)
    assert all(data.get("context_id") == "segment-1" for data in echoed)
    assert all("context_id" not in data for data in asyncio.run(session({})))  # none named, none echoed
    assert any(f["field"] == "context_id" for f in _findings(client, sandbox, "neuphonic"))  # the field is seen


def test_speechify_speaks_simba_3_2_with_a_curated_simba_3_voice(sandbox: Sandbox, client: httpx.Client) -> None:
    url = sandbox.base_url("speechify", "api") + "/v1/audio/stream/with-timestamps"
    headers = {"Authorization": f"Bearer {sandbox.default_key('speechify')}"}
    body = {"input": TEXT, "voice_id": "dominic_32", "model": "simba-3.2", "output_format": "pcm_24000"}
    answer = client.post(url, json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    events = [json.loads(line[5:]) for line in answer.text.splitlines() if line.startswith("data:")]
    audio = b"".join(base64.b64decode(e["audio"]) for e in events if e.get("type") == "speech.chunk")
    assert len(decode_raw(audio, "pcm_s16le")) / 24000 > 1.0 and events[-1]["type"] == "speech.done"
    assert client.post(url, json={**body, "model": "simba-9.9"}, headers=headers).status_code == 400
    assert client.post(url, json={**body, "voice_id": "nobody_32"}, headers=headers).status_code == 400


def test_murfs_stream_takes_snake_case_voice_and_rate_with_a_finding(sandbox: Sandbox, client: httpx.Client) -> None:
    url = sandbox.base_url("murf", "api") + "/v1/speech/stream"
    headers = {"api-key": sandbox.default_key("murf")}
    answer = client.post(
        url,
        json={"text": TEXT, "model": "FALCON", "voice_id": "en-US-natalie", "format": "PCM", "sample_rate": 8000},
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    assert len(decode_raw(answer.content, "pcm_s16le")) / 8000 > 1.0  # the rate asked for under the other spelling
    spelled = {f["field"]: f["finding"] for f in _findings(client, sandbox, "murf")}
    assert "'voice_id'" in spelled["voiceId"] and "livekit-plugins-murf" in spelled["voiceId"]
    assert "'sample_rate'" in spelled["sampleRate"]
    missing = client.post(url, json={"text": TEXT, "format": "PCM"}, headers=headers)
    assert missing.status_code == 400  # no voice under either spelling: voiceId is Required


def test_murfs_voice_library_is_open_to_ids_of_the_documented_form(sandbox: Sandbox, client: httpx.Client) -> None:
    url = sandbox.base_url("murf", "api") + "/v1/speech/stream"
    headers = {"api-key": sandbox.default_key("murf")}
    for voice in ("en-US-matthew", "Matthew"):  # a voiceId, or "just the voice actor's name"
        answer = client.post(url, json={"text": TEXT, "voiceId": voice, "format": "MP3"}, headers=headers)
        assert answer.status_code == 200, answer.text
    assert any("'en-US-matthew'" in f["finding"] for f in _findings(client, sandbox, "murf"))
    refused = client.post(url, json={"text": TEXT, "voiceId": "en_US matthew!", "format": "MP3"}, headers=headers)
    assert refused.status_code == 400 and "Invalid voice id" in refused.text


def test_murfs_socket_keeps_the_buffer_range_its_reference_states(sandbox: Sandbox) -> None:
    from websockets.asyncio.client import connect

    url = _ws(sandbox, "murf") + "/v1/speech/stream-input?sample_rate=24000&format=pcm&model=FALCON"

    async def session(min_buffer_size: int) -> tuple[bytes, str]:
        audio, error = b"", ""
        async with connect(url, additional_headers={"api-key": sandbox.default_key("murf")}) as socket:
            await socket.send(
                json.dumps(
                    {
                        "voice_config": {"voice_id": "en-US-matthew"},
                        "context_id": "c1",
                        "text": TEXT,
                        "min_buffer_size": min_buffer_size,
                        "max_buffer_delay_in_ms": 0,
                    }
                )
            )
            await socket.send(json.dumps({"context_id": "c1", "end": True}))
            async for frame in socket:
                message = json.loads(frame)
                if message.get("error"):
                    return audio, str(message["error"])
                audio += base64.b64decode(message.get("audio") or "")
                if message.get("final"):
                    break
        return audio, error

    audio, error = asyncio.run(session(40))
    assert not error and len(decode_raw(audio, "pcm_s16le")) / 24000 > 1.0  # the library's voice, at the range's floor
    assert "min_buffer_size" in asyncio.run(session(3))[1]  # "Range: 40 to 160 characters"
