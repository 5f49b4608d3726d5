"""Never stricter on the sockets either (issue 67): what the documents allow, the imitation accepts. Each case as a
client written here sends it, raw frames and bodies, to the shared sandbox:

    Rime /ws3 at mulaw and 8000 Hz                    "One of pcm, mulaw, or mp3"; the models' documented rates
    Rime's legacy /ws2                                "/ws2 supports the same JSON message format as /ws3"
    ElevenLabs Text to Dialogue socket                declared from independent clients (no stored page)
    Sarvam's socket, output_audio_codec "wav"         the codec page's list
    ElevenLabs multi-context: a context used before   no document says the order is refused: audio and a finding
        an opening message of its own
    an upgrade to a path no socket serves             404 in the provider's error shape, never 403; a finding
    ElevenLabs voice_settings.optimize_streaming_latency   a nested unknown field: accepted and recorded
    Cartesia /tts/bytes MP3 as its schema writes it   bit_rate required, no encoding; the refusal names bit_rate
"""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from harness.sandbox import Sandbox
from harness.speech import decode, decode_raw
from tests.helpers.realtime import CARTESIA_VOICE

TEXT = "The quick brown fox jumps over the lazy dog."
ELEVEN_VOICE, ELEVEN_MODEL = "JBFqnCBsd6RMkjVDRZzb", "eleven_flash_v2_5"


def _ws(sandbox: Sandbox, provider: str, host: str = "api") -> str:
    return sandbox.base_url(provider, host).replace("http://", "ws://", 1)


def _seconds(audio: bytes, codec: str, rate: int) -> float:
    return len(decode_raw(audio, codec)) / rate


def _findings(client: httpx.Client, sandbox: Sandbox, provider: str) -> list[dict[str, Any]]:
    return [f for f in client.get(sandbox.url + "/_sandbox/findings").json() if f["provider"] == provider]


def _rime(sandbox: Sandbox, path: str, query: dict[str, str]) -> tuple[bytes, list[dict[str, Any]]]:
    """A /ws3-style session: text, eos; the audio chunks joined and every message read."""

    async def session() -> tuple[bytes, list[dict[str, Any]]]:
        audio, messages = b"", []
        headers = {"Authorization": f"Bearer {sandbox.default_key('rime')}"}
        async with connect(f"{_ws(sandbox, 'rime', 'ws')}{path}?{urlencode(query)}", additional_headers=headers) as ws:
            await ws.send(json.dumps({"text": TEXT}))
            await ws.send(json.dumps({"operation": "eos"}))
            async for frame in ws:
                message = json.loads(frame)
                messages.append(message)
                if message.get("type") == "chunk":
                    audio += base64.b64decode(message["data"])
        return audio, messages

    return asyncio.run(session())


def test_rime_ws3_speaks_mulaw_at_8000_hz(sandbox: Sandbox) -> None:
    audio, messages = _rime(
        sandbox,
        "/ws3",
        {"speaker": "celeste", "modelId": "arcana", "audioFormat": "mulaw", "samplingRate": "8000", "segment": "never"},
    )
    assert not [m for m in messages if m.get("type") == "error"], messages
    assert _seconds(audio, "pcm_mulaw", 8000) > 1.0


def test_rime_ws3_takes_96_khz_pcm(sandbox: Sandbox) -> None:
    audio, messages = _rime(
        sandbox, "/ws3", {"speaker": "celeste", "modelId": "arcana", "audioFormat": "pcm", "samplingRate": "96000"}
    )
    assert not [m for m in messages if m.get("type") == "error"], messages
    assert _seconds(audio, "pcm_s16le", 96000) > 1.0


def test_rimes_legacy_ws2_speaks_mist_as_ws3_does(sandbox: Sandbox) -> None:
    audio, messages = _rime(sandbox, "/ws2", {"speaker": "cove", "modelId": "mistv2", "audioFormat": "pcm"})
    assert [m["type"] for m in messages][-1] == "done"
    assert _seconds(audio, "pcm_s16le", 24000) > 1.0


def test_sarvams_socket_takes_the_wav_codec(sandbox: Sandbox) -> None:
    async def session() -> list[dict[str, Any]]:
        answers: list[dict[str, Any]] = []
        url = f"{_ws(sandbox, 'sarvam')}/text-to-speech/ws?model=bulbul:v2&send_completion_event=true"
        async with connect(url, additional_headers={"api-subscription-key": sandbox.default_key("sarvam")}) as ws:
            await ws.send(
                json.dumps(
                    {
                        "type": "config",
                        "data": {"target_language_code": "en-IN", "speaker": "anushka", "output_audio_codec": "wav"},
                    }
                )
            )
            await ws.send(json.dumps({"type": "text", "data": {"text": TEXT}}))
            await ws.send(json.dumps({"type": "flush"}))
            while True:
                message = json.loads(await asyncio.wait_for(ws.recv(), 30))
                answers.append(message)
                if message["type"] == "error" or message.get("data", {}).get("event_type") == "final":
                    return answers

    answers = asyncio.run(session())
    chunks = [base64.b64decode(m["data"]["audio"]) for m in answers if m["type"] == "audio"]
    assert answers[-1]["type"] == "event", answers[-1]
    assert chunks and chunks[0][:4] == b"RIFF" and answers[0]["data"]["content_type"] == "audio/wav"
    assert sum(decode(chunk).duration_s for chunk in chunks) > 1.0


def test_a_context_used_before_its_own_opening_speaks_and_is_a_finding(sandbox: Sandbox, client: httpx.Client) -> None:
    """The client's first message names no context; then text with flush for a context it never opened."""

    async def session() -> list[dict[str, Any]]:
        answers: list[dict[str, Any]] = []
        query = urlencode({"model_id": ELEVEN_MODEL, "output_format": "pcm_16000"})
        url = f"{_ws(sandbox, 'elevenlabs')}/v1/text-to-speech/{ELEVEN_VOICE}/multi-stream-input?{query}"
        async with connect(url, additional_headers={"xi-api-key": sandbox.default_key("elevenlabs")}) as ws:
            await ws.send(json.dumps({"text": " "}))  # no context named: the default context's opening
            await ws.send(json.dumps({"text": TEXT, "context_id": "fresh", "flush": True}))
            await ws.send(json.dumps({"context_id": "fresh", "close_context": True}))
            while True:
                message = json.loads(await asyncio.wait_for(ws.recv(), 30))
                answers.append(message)
                if "error" in message or (message.get("isFinal") and message.get("contextId") == "fresh"):
                    await ws.send(json.dumps({"close_socket": True}))
                    return answers

    answers = asyncio.run(session())
    assert not [a for a in answers if "error" in a], answers
    audio = b"".join(base64.b64decode(a["audio"]) for a in answers if a.get("audio") and a["contextId"] == "fresh")
    assert _seconds(audio, "pcm_s16le", 16000) > 1.0
    assert any(
        f["endpoint"] == "WS /v1/text-to-speech/{voice_id}/multi-stream-input"
        and f["field"] == "flushContext"
        and "opening" in f["finding"]
        for f in _findings(client, sandbox, "elevenlabs")
    )


def test_elevenlabs_text_to_dialogue_socket_speaks(sandbox: Sandbox) -> None:
    async def session() -> list[dict[str, Any]]:
        answers: list[dict[str, Any]] = []
        query = urlencode({"model_id": "eleven_v3", "output_format": "pcm_24000"})
        url = f"{_ws(sandbox, 'elevenlabs')}/v1/text-to-dialogue/stream-input?{query}"
        async with connect(url, additional_headers={"xi-api-key": sandbox.default_key("elevenlabs")}) as ws:
            await ws.send(json.dumps({"voices": [ELEVEN_VOICE]}))
            await ws.send(json.dumps({"inputs": [{"text": TEXT, "voice_id": ELEVEN_VOICE, "new_turn": True}]}))
            await ws.send(json.dumps({"close_socket": True}))
            async for frame in ws:
                answers.append(json.loads(frame))
        return answers

    answers = asyncio.run(session())
    assert answers[-1] == {"is_final": True}, answers[-1]
    audio = b"".join(base64.b64decode(a["audio"]) for a in answers if a.get("audio"))
    assert _seconds(audio, "pcm_s16le", 24000) > 1.0


@pytest.mark.parametrize("path", ["elevenlabs/api/v1/text-to-dialogue/no-such-socket", "rime/ws/ws9", "nowhere/ws"])
def test_an_upgrade_to_a_path_no_socket_serves_is_a_404_and_a_finding(
    sandbox: Sandbox, client: httpx.Client, path: str
) -> None:
    async def upgrade() -> int:
        try:
            async with connect(f"{sandbox.url.replace('http://', 'ws://', 1)}/{path}"):
                return 101
        except InvalidStatus as refused:
            return refused.response.status_code

    assert asyncio.run(upgrade()) == 404
    assert any(
        f["field"] == "path" and f["endpoint"].endswith(path.rsplit("/", 1)[-1])
        for f in client.get(sandbox.url + "/_sandbox/findings").json()
    )


def test_an_unknown_nested_field_is_accepted_and_recorded(sandbox: Sandbox, client: httpx.Client) -> None:
    body = {
        "text": TEXT,
        "model_id": ELEVEN_MODEL,
        "voice_settings": {"stability": 0.5, "similarity_boost": 0.75, "optimize_streaming_latency": 3},
    }
    answer = client.post(
        f"{sandbox.base_url('elevenlabs', 'api')}/v1/text-to-speech/{ELEVEN_VOICE}",
        json=body,
        headers={"xi-api-key": sandbox.default_key("elevenlabs")},
    )
    assert answer.status_code == 200, answer.text
    assert any(
        f["field"] == "voice_settings.optimize_streaming_latency" for f in _findings(client, sandbox, "elevenlabs")
    )


def _cartesia(sandbox: Sandbox, client: httpx.Client, output_format: dict[str, Any]) -> httpx.Response:
    body = {
        "model_id": "sonic-3",
        "transcript": TEXT,
        "voice": {"mode": "id", "id": CARTESIA_VOICE},
        "output_format": output_format,
        "language": "en",
    }
    return client.post(
        f"{sandbox.base_url('cartesia', 'api')}/tts/bytes",
        json=body,
        headers={"Authorization": f"Bearer {sandbox.default_key('cartesia')}", "Cartesia-Version": "2025-04-16"},
    )


def test_cartesia_mp3_is_checked_on_its_documented_shape(sandbox: Sandbox, client: httpx.Client) -> None:
    """The client of the issue sent `{"container": "mp3", "encoding": "mp3", "sample_rate": 44100}`: refused for the
    documented rule (bit_rate), not the encoding; with a bit rate (any documented one) spoken, the encoding a
    finding."""
    missing = _cartesia(sandbox, client, {"container": "mp3", "encoding": "mp3", "sample_rate": 44100})
    assert missing.status_code == 400 and "bit_rate" in missing.text and "encoding" not in missing.text, missing.text
    asked = {"container": "mp3", "encoding": "mp3", "sample_rate": 44100, "bit_rate": 64000}
    spoken = _cartesia(sandbox, client, asked)
    assert spoken.status_code == 200, spoken.text
    assert decode(spoken.content).duration_s > 1.0
    assert any(f["field"] == "output_format.encoding" for f in _findings(client, sandbox, "cartesia"))
