"""Murf's official client `murf`, unchanged, against the sandbox's imitation of the built-in `murf` (the HTTP speech
family's /v1/speech/generate and /v1/speech/stream): a synthesis (its audio inline, encodeAsBase64), a streamed
synthesis, and a bad key as the client's own typed `ForbiddenError`."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from harness.speech import decode

TEXT = "Hello from the sandbox."
BAD_KEY = "not-a-key-the-sandbox-knows"

murf = pytest.importorskip("murf", reason="the official clients are test extras: pip install -e .[test]")


def _speech_seconds(audio: bytes) -> float:
    clip = decode(audio)
    return float(np.sum(np.abs(np.asarray(clip.samples)) > 0.02)) / clip.sample_rate


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("murf",)) as running_sandbox:
        yield running_sandbox


def _client(base: str, key: str) -> Any:
    import inspect

    from murf.environment import MurfEnvironment

    # every regional host of the client's environment is the sandbox (the client's own type, built as it asks)
    hosts = {name: base for name in inspect.signature(MurfEnvironment.__init__).parameters if name != "self"}
    return murf.Murf(api_key=key, environment=MurfEnvironment(**hosts))


def test_murf_client_generates_streams_and_refuses_a_bad_key(sandbox: Any) -> None:
    from murf.errors import ForbiddenError

    base = sandbox.base_url("murf", "api")
    client = _client(base, sandbox.default_key("murf"))
    spoken = client.text_to_speech.generate(
        text=TEXT, voice_id="en-US-natalie", format="WAV", model_version="GEN2", encode_as_base_64=True
    )
    assert _speech_seconds(base64.b64decode(spoken.encoded_audio)) > 0.5
    assert spoken.audio_length_in_seconds > 0.5
    streamed = b"".join(client.text_to_speech.stream(text=TEXT, voice_id="en-US-natalie", model="FALCON", format="MP3"))
    assert _speech_seconds(streamed) > 0.5
    with pytest.raises(ForbiddenError):
        _client(base, BAD_KEY).text_to_speech.generate(text=TEXT, voice_id="en-US-natalie")
