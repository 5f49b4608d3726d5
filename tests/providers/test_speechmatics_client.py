"""Speechmatics' official client `speechmatics-tts`, unchanged, against the sandbox's imitation of the built-in
`speechmatics` (the HTTP speech family's `/generate/{voice}`): a WAV synthesis, the client's own default (headerless
16 kHz PCM), and a bad key as the client reports it: its `AuthenticationError` for the 401, which its transport's
catch-all wraps (twice) in a `TransportError`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from harness.speech import decode, decode_raw

TEXT = "Hello from the sandbox."
BAD_KEY = "not-a-key-the-sandbox-knows"
RATE = 16000

tts = pytest.importorskip("speechmatics.tts", reason="the official clients are test extras: pip install -e .[test]")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("speechmatics",)) as running_sandbox:
        yield running_sandbox


async def _generate(base: str, key: str, output_format: Any) -> bytes:
    async with tts.AsyncClient(api_key=key, url=base) as client:
        response = await client.generate(text=TEXT, voice=tts.Voice.THEO, output_format=output_format)
        return bytes(await response.read())


def _voiced_seconds(samples: Any, rate: int) -> float:
    return float(np.sum(np.abs(np.asarray(samples)) > 0.02)) / rate


def test_speechmatics_client_generates_wav_and_pcm_and_refuses_a_bad_key(sandbox: Any) -> None:
    base, key = sandbox.base_url("speechmatics", "api"), sandbox.default_key("speechmatics")
    clip = decode(asyncio.run(_generate(base, key, tts.OutputFormat.WAV_16000)))
    assert clip.sample_rate == RATE and _voiced_seconds(clip.samples, RATE) > 0.5
    pcm = asyncio.run(_generate(base, key, tts.OutputFormat.RAW_PCM_16000))
    assert not pcm.startswith(b"RIFF") and _voiced_seconds(decode_raw(pcm, "pcm_s16le"), RATE) > 0.5
    with pytest.raises(tts.TransportError) as refused:
        asyncio.run(_generate(base, BAD_KEY, tts.OutputFormat.WAV_16000))
    causes, error = [], refused.value.__cause__
    while error is not None:
        causes.append(error)
        error = error.__cause__
    assert any(isinstance(cause, tts.AuthenticationError) for cause in causes)
    assert "Invalid API key - authentication failed" in str(refused.value)
