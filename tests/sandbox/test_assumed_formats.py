"""Formats answered by assumption (issue 67): a format the documents list but whose bytes they do not describe is taken,
never refused; the sandbox answers it in the most common form for its codec (the format's `spec`) and records a
finding naming the assumption (`Format.assumed`) on every request for it."""

from __future__ import annotations

import asyncio
import base64

import httpx
import pytest

from harness.core.audio import AudioKind, inspect
from harness.core.protocols.http_speech import HEADERLESS_G711, assumed_finding, service_of
from harness.core.registry import providers
from harness.sandbox import Sandbox
from harness.speech import decode_raw

TEXT = "The quick brown fox jumps over the lazy dog."


def test_smallest_ulaw_is_answered_as_headerless_mulaw_at_8000_hz_with_a_finding(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    answer = client.post(
        sandbox.base_url("smallest", "api") + "/waves/v1/tts",
        json={"text": TEXT, "voice_id": "magnus", "output_format": "ulaw"},
        headers={"Authorization": f"Bearer {sandbox.default_key('smallest')}"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("audio/basic")
    assert answer.content[:4] != b"RIFF"  # headerless
    assert len(decode_raw(answer.content, "pcm_mulaw")) / 8000 > 1.0  # one byte a sample at G.711's 8 kHz
    ulaw = service_of(providers()["smallest"]).synthesis("tts").format_of({"output_format": "ulaw"})
    assert ulaw.assumed == HEADERLESS_G711
    findings = [
        f
        for f in client.get(sandbox.url + "/_sandbox/findings").json()
        if f["provider"] == "smallest" and f["finding"] == assumed_finding(ulaw)
    ]
    assert findings and findings[0]["field"] == "output_format"
    assert "the documents do not say" in findings[0]["finding"]


async def _mistral_realtime_wav(base: str, key: str) -> list[bytes]:
    from mistralai.client import Mistral

    client = Mistral(api_key=key, server_url=base)
    connection = await client.audio.realtime_speech.connect(
        "voxtral-mini-tts-3-0", voice_id="voice_478", response_format="wav", server_url=base
    )
    pieces = []
    await connection.send_text(TEXT)
    await connection.flush()
    async for event in connection:
        if event.type == "speech.audio.delta":
            pieces.append(base64.b64decode(getattr(event, "audio_data", "")))
        if event.type in ("speech.audio.done", "error"):
            break
    await connection.end()
    await connection.close()
    return pieces


def test_a_socket_file_format_is_answered_a_whole_file_a_message_with_a_finding(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    pytest.importorskip("mistralai", reason="the official clients are test extras: pip install -e .[test]")
    pieces = asyncio.run(_mistral_realtime_wav(sandbox.base_url("mistral", "api"), sandbox.default_key("mistral")))
    assert len(pieces) > 1 and all(inspect(piece).kind is AudioKind.WAV for piece in pieces)
    findings = [
        f["finding"]
        for f in client.get(sandbox.url + "/_sandbox/findings").json()
        if f["provider"] == "mistral" and f["endpoint"].startswith("WS ")
    ]
    assert any(
        finding.startswith("'wav': the documents do not say how the file arrives in pieces") for finding in findings
    ), findings
