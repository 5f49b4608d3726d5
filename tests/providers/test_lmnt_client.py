"""LMNT's official client `lmnt`, unchanged, against the sandbox's imitation of the built-in `lmnt` (the HTTP speech
family's `/v1/ai/speech/bytes`, the WebSocket speech family's speech session): a synthesis, a speech session (text,
flush, its flush_complete, finish, the server's close) and a bad key as the client's own typed errors."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from harness.speech import decode, decode_raw

TEXT = "Hello from the sandbox."
BAD_KEY = "not-a-key-the-sandbox-knows"

lmnt = pytest.importorskip("lmnt", reason="the official clients are test extras: pip install -e .[test]")


def _speech_seconds(samples: Any, rate: int) -> float:
    """Seconds of audio above a whisper: real speech, not silence of the right length."""
    return float(np.sum(np.abs(np.asarray(samples)) > 0.02)) / rate


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("lmnt",)) as running_sandbox:
        yield running_sandbox


def test_lmnt_client_synthesises_and_refuses_a_bad_key(sandbox: Any) -> None:
    base = sandbox.base_url("lmnt", "api")
    client = lmnt.Lmnt(api_key=sandbox.default_key("lmnt"), base_url=base, max_retries=0)
    audio = client.speech.generate(text=TEXT, voice="leah", format="wav").read()
    clip = decode(audio)
    assert _speech_seconds(clip.samples, clip.sample_rate) > 0.5
    with pytest.raises(lmnt.AuthenticationError):
        lmnt.Lmnt(api_key=BAD_KEY, base_url=base, max_retries=0).speech.generate(text=TEXT, voice="leah")


async def _session(base: str, key: str) -> tuple[bytes, list[Any]]:
    client = lmnt.AsyncLmnt(api_key=key, base_url=base)
    session = await client.speech.sessions.create(voice="leah", format="pcm_s16le", sample_rate=24000)
    await session.send_text(TEXT)
    nonce = await session.send_flush()
    audio, others = bytearray(), []
    async for message in session:  # ends when the server closes
        if message.type == "audio":
            audio += message.audio
        else:
            others.append(message)
            if message.type == "flush_complete":
                assert message.nonce == nonce
                await session.send_finish()
            if message.type == "error":
                break
    await session.close()
    return bytes(audio), others


def test_lmnt_speech_session_speaks_and_answers_a_bad_key_with_its_error_message(sandbox: Any) -> None:
    base = sandbox.base_url("lmnt", "api")
    audio, messages = asyncio.run(_session(base, sandbox.default_key("lmnt")))
    assert [m.type for m in messages] == ["ready", "flush_complete"]
    assert _speech_seconds(decode_raw(audio, "pcm_s16le"), 24000) > 0.5
    audio, messages = asyncio.run(_session(base, BAD_KEY))
    assert not audio
    errors = [m for m in messages if isinstance(m, lmnt.types.SpeechSessionError)]
    assert len(errors) == 1 and errors[0].error.type == "authentication_error"
