"""Speechify's official client `speechify-api`, unchanged, against the sandbox's imitation of the built-in
`speechify` (the HTTP speech family's /v1/audio/speech and /v1/audio/stream): a synthesis, a streamed synthesis,
and a bad key as the client's own typed `UnauthorizedError`."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from harness.speech import decode

TEXT = "Hello from the sandbox."
BAD_KEY = "not-a-key-the-sandbox-knows"

speechify = pytest.importorskip("speechify", reason="the official clients are test extras: pip install -e .[test]")


def _speech_seconds(audio: bytes) -> float:
    clip = decode(audio)
    return float(np.sum(np.abs(np.asarray(clip.samples)) > 0.02)) / clip.sample_rate


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("speechify",)) as running_sandbox:
        yield running_sandbox


def test_speechify_client_speaks_streams_and_refuses_a_bad_key(sandbox: Any) -> None:
    from speechify.errors import UnauthorizedError

    base = sandbox.base_url("speechify", "api")
    client = speechify.Speechify(token=sandbox.default_key("speechify"), base_url=base)
    spoken = client.audio.speech(input=TEXT, voice_id="george", audio_format="wav", model="simba-english")
    assert _speech_seconds(base64.b64decode(spoken.audio_data)) > 0.5
    streamed = b"".join(client.audio.stream(input=TEXT, voice_id="george", accept="audio/mpeg", model="simba-english"))
    assert _speech_seconds(streamed) > 0.5
    with pytest.raises(UnauthorizedError):
        speechify.Speechify(token=BAD_KEY, base_url=base).audio.speech(input=TEXT, voice_id="george")
