"""Speechify's official client `speechify-api`, unchanged, against the sandbox's imitation of the built-in
`speechify` (the HTTP speech family's /v1/audio/speech, /v1/audio/stream and /v1/audio/stream/with-timestamps): a
synthesis, a streamed synthesis, a stream of speech events, and a bad key as the client's own typed
`UnauthorizedError`."""

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


def test_speechify_client_reads_the_stream_with_timestamps(sandbox: Any) -> None:
    """`stream_with_timestamps`: speech.chunk events whose audio is the asked PCM, then one speech.done with the
    billed characters and the audio's length; a legacy model is refused there (its 400)."""
    from speechify.errors import BadRequestError

    client = speechify.Speechify(token=sandbox.default_key("speechify"), base_url=sandbox.base_url("speechify", "api"))
    events = list(
        client.audio.stream_with_timestamps(input=TEXT, voice_id="george", model="simba-3.0", output_format="pcm_16000")
    )
    assert [event.type for event in events][-1] == "speech.done"
    assert {event.type for event in events[:-1]} == {"speech.chunk"}
    pcm = b"".join(base64.b64decode(event.audio) for event in events[:-1] if event.audio)
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    assert float(np.sum(np.abs(samples) > 0.02)) / 16000 > 0.5
    done = events[-1]
    assert done.billable_characters_count == len(TEXT)
    assert abs(done.audio_duration_ms - 1000 * len(samples) / 16000) <= 1
    with pytest.raises(BadRequestError):
        list(client.audio.stream_with_timestamps(input=TEXT, voice_id="george", model="simba-english"))
