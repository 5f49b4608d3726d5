"""Groq's official client `groq`, unchanged, against the sandbox's imitation of the built-in `groq` (the HTTP speech
family's `/openai/v1/audio/speech`): a synthesis, a streamed read of one, and a bad key as the client's own typed
`AuthenticationError`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from harness.speech import decode

TEXT = "Hello from the sandbox."
BAD_KEY = "not-a-key-the-sandbox-knows"

groq = pytest.importorskip("groq", reason="the official clients are test extras: pip install -e .[test]")


def _speech_seconds(audio: bytes) -> float:
    clip = decode(audio)
    return float(np.sum(np.abs(np.asarray(clip.samples)) > 0.02)) / clip.sample_rate


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("groq",)) as running_sandbox:
        yield running_sandbox


def test_groq_client_speaks_streams_and_refuses_a_bad_key(sandbox: Any) -> None:
    base = sandbox.base_url("groq", "api")
    client = groq.Groq(api_key=sandbox.default_key("groq"), base_url=base, max_retries=0)
    audio = client.audio.speech.create(
        model="canopylabs/orpheus-v1-english", voice="autumn", input=TEXT, response_format="wav"
    ).read()
    assert _speech_seconds(audio) > 0.5
    with client.audio.speech.with_streaming_response.create(
        model="playai-tts", voice="Arista-PlayAI", input=TEXT, response_format="mp3"
    ) as streamed:
        assert _speech_seconds(b"".join(streamed.iter_bytes())) > 0.5
    with pytest.raises(groq.AuthenticationError):
        groq.Groq(api_key=BAD_KEY, base_url=base, max_retries=0).audio.speech.create(
            model="playai-tts", voice="Arista-PlayAI", input=TEXT
        )
