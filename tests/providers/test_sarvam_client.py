"""Sarvam's official client `sarvamai`, unchanged, against the sandbox's imitation of the built-in `sarvam` (the HTTP
speech family's /text-to-speech and /text-to-speech/stream): a synthesis, a streamed synthesis, and a bad key as the
client's own typed `ForbiddenError` (Sarvam refuses keys with 403)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from harness.speech import decode

TEXT = "Hello from the sandbox."
BAD_KEY = "not-a-key-the-sandbox-knows"

sarvamai = pytest.importorskip("sarvamai", reason="the official clients are test extras: pip install -e .[test]")


def _speech_seconds(audio: bytes) -> float:
    clip = decode(audio)
    return float(np.sum(np.abs(np.asarray(clip.samples)) > 0.02)) / clip.sample_rate


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("sarvam",)) as running_sandbox:
        yield running_sandbox


def _client(base: str, key: str) -> Any:
    from sarvamai.environment import SarvamAIEnvironment

    return sarvamai.SarvamAI(
        api_subscription_key=key, environment=SarvamAIEnvironment(base=base, creative=base, production=base)
    )


def test_sarvam_client_speaks_streams_and_refuses_a_bad_key(sandbox: Any) -> None:
    from sarvamai.errors import ForbiddenError

    base = sandbox.base_url("sarvam", "api")
    client = _client(base, sandbox.default_key("sarvam"))
    spoken = client.text_to_speech.convert(text=TEXT, language_code="en-IN", speaker="shubh", model="bulbul:v3")
    assert _speech_seconds(base64.b64decode(spoken.audios[0])) > 0.5
    streamed = b"".join(
        client.text_to_speech.convert_stream(
            text=TEXT, language_code="en-IN", speaker="shubh", model="bulbul:v3", output_audio_codec="mp3"
        )
    )
    assert _speech_seconds(streamed) > 0.5
    with pytest.raises(ForbiddenError):
        _client(base, BAD_KEY).text_to_speech.convert(text=TEXT, language_code="en-IN", model="bulbul:v3")
