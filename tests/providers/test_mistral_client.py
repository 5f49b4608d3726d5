"""Mistral's official client `mistralai`, unchanged, against the sandbox's imitation of the built-in `mistral` (the
HTTP speech family's `/v1/audio/speech` in both its answer forms, the WebSocket speech family's realtime speech
session): a streamed synthesis read as the client's typed events, one not streamed read as its SpeechResponse, a
realtime session (created, updated, audio, done), and a bad key as the client's own `SDKError`."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from harness.speech import decode

TEXT = "Hello from the sandbox."
BAD_KEY = "not-a-key-the-sandbox-knows"

pytest.importorskip("mistralai", reason="the official clients are test extras: pip install -e .[test]")


def _speech_seconds(audio: bytes) -> float:
    clip = decode(audio)
    return float(np.sum(np.abs(np.asarray(clip.samples)) > 0.02)) / clip.sample_rate


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("mistral",)) as running_sandbox:
        yield running_sandbox


def test_mistral_streams_a_synthesis_and_refuses_a_bad_key(sandbox: Any) -> None:
    from mistralai.client import Mistral, errors

    base = sandbox.base_url("mistral", "api")
    client = Mistral(api_key=sandbox.default_key("mistral"), server_url=base)
    audio, kinds = bytearray(), []
    with client.audio.speech.complete(
        input=TEXT, model="voxtral-mini-tts-3-0", voice_id="voice_478", response_format="wav", stream=True
    ) as events:
        for event in events:
            kinds.append(event.event)
            if event.event == "speech.audio.delta":
                audio += base64.b64decode(event.data.audio_data)
    assert kinds[-1] == "speech.audio.done" and kinds.count("speech.audio.delta") >= 1
    assert _speech_seconds(bytes(audio)) > 0.5
    with pytest.raises(errors.SDKError) as refused:
        Mistral(api_key=BAD_KEY, server_url=base).audio.speech.complete(
            input=TEXT, model="voxtral-mini-tts-3-0", stream=True
        )
    assert refused.value.status_code == 401


def test_mistral_answers_a_synthesis_not_streamed_as_one_document(sandbox: Any) -> None:
    """`stream` left out (the client's default): the path's other answer form, read as the client's SpeechResponse."""
    from mistralai.client import Mistral

    client = Mistral(api_key=sandbox.default_key("mistral"), server_url=sandbox.base_url("mistral", "api"))
    answer = client.audio.speech.complete(
        input=TEXT, model="voxtral-mini-tts-3-0", voice_id="voice_478", response_format="wav"
    )
    assert _speech_seconds(base64.b64decode(answer.audio_data)) > 0.5


async def _realtime(base: str, key: str) -> tuple[bytes, list[str]]:
    from mistralai.client import Mistral

    client = Mistral(api_key=key, server_url=base)
    connection = await client.audio.realtime_speech.connect(
        "voxtral-mini-tts-3-0", voice_id="voice_478", response_format="mp3", server_url=base
    )
    audio, kinds = bytearray(), []
    await connection.send_text(TEXT)
    await connection.flush()
    async for event in connection:
        kinds.append(str(event.type))
        if event.type == "speech.audio.delta":
            audio += base64.b64decode(event.audio_data)
        if event.type == "speech.audio.done":
            break
    await connection.end()
    await connection.close()
    return bytes(audio), kinds


def test_mistral_realtime_session_speaks(sandbox: Any) -> None:
    audio, kinds = asyncio.run(_realtime(sandbox.base_url("mistral", "api"), sandbox.default_key("mistral")))
    assert kinds[-1] == "speech.audio.done" and "speech.audio.delta" in kinds, kinds
    assert _speech_seconds(audio) > 0.5
