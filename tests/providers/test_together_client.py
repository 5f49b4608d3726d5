"""Together AI's official client `together`, unchanged, against the sandbox's imitation of the built-in `together`
(the HTTP speech family's `/v1/audio/speech` in both its answer forms): a streamed synthesis read through the
client's own stream, one not streamed read as the audio itself, and a bad key as the client's typed
`AuthenticationError`. The client types a chunk as {object, model, b64}; the streaming guide writes {type, item_id,
delta} (the declaration's DocDrift): the chunks arrive whole either way."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from harness.speech import decode, decode_raw
from tests.helpers.installed import skip_unless_installed

TEXT = "Hello from the sandbox."
BAD_KEY = "not-a-key-the-sandbox-knows"

# Imported where used, not while collecting (tests.helpers.installed).
pytestmark = skip_unless_installed("together", reason="the official clients are test extras: pip install -e .[test]")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("together",)) as running_sandbox:
        yield running_sandbox


def test_together_streams_a_synthesis_and_refuses_a_bad_key(sandbox: Any) -> None:
    import together

    base = sandbox.base_url("together", "api")  # the client adds /v1/audio/speech itself
    client = together.Together(api_key=sandbox.default_key("together"), base_url=base, max_retries=0)
    pcm = bytearray()
    for chunk in client.audio.speech.create(
        model="canopylabs/orpheus-3b-0.1-ft",
        input=TEXT,
        voice="tara",
        stream=True,
        response_format="raw",
        response_encoding="pcm_s16le",
    ):
        fields = chunk.to_dict()
        assert fields["type"] == "conversation.item.audio_output.delta"
        pcm += base64.b64decode(fields["delta"])
    samples = decode_raw(bytes(pcm), "pcm_s16le")
    assert float(np.sum(np.abs(samples) > 0.02)) / 24000 > 0.5
    with pytest.raises(together.AuthenticationError):
        refused = together.Together(api_key=BAD_KEY, base_url=base, max_retries=0)
        list(
            refused.audio.speech.create(
                model="canopylabs/orpheus-3b-0.1-ft",
                input=TEXT,
                voice="tara",
                stream=True,
                response_format="raw",
                response_encoding="pcm_s16le",
            )
        )


def test_together_answers_a_synthesis_not_streamed_as_the_audio_itself(sandbox: Any) -> None:
    """`stream` left out: the path's other answer form, "the encoded audio as octet stream", read by the client."""
    import together

    base = sandbox.base_url("together", "api")
    client = together.Together(api_key=sandbox.default_key("together"), base_url=base, max_retries=0)
    answer = client.audio.speech.create(model="hexgrad/Kokoro-82M", input=TEXT, voice="af_alloy", response_format="wav")
    clip = decode(answer.read())
    assert float(np.sum(np.abs(np.asarray(clip.samples)) > 0.02)) / clip.sample_rate > 0.5
