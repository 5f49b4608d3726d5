"""Smallest.ai's official client `smallestai`, unchanged, against the sandbox's imitation of the built-in `smallest`:
the synchronous synthesis (`synthesize_tts`, POST /waves/v1/tts: a WAV file in pieces) with a bad key as the client's
`UnauthorizedError`, and the WebSocket speech family's `/waves/v1/tts/live`: a live session (text with continue, a
flush, chunks, complete) and a bad key refused on the upgrade (401; see the test for how the client reports it)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from harness.speech import decode_raw

TEXT = "Hello from the sandbox."
BAD_KEY = "not-a-key-the-sandbox-knows"

smallestai = pytest.importorskip("smallestai", reason="the official clients are test extras: pip install -e .[test]")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("smallest",)) as running_sandbox:
        yield running_sandbox


def _client(sandbox: Any, key: str) -> Any:
    from smallestai.environment import SmallestAIEnvironment

    base = sandbox.base_url("smallest", "api")
    hosts = SmallestAIEnvironment(atoms=base, waves=base, waves_ws=base.replace("http://", "ws://"), payment=base)
    return smallestai.SmallestAI(api_key=key, environment=hosts)


def test_smallest_live_session_speaks_and_refuses_a_bad_key(sandbox: Any) -> None:
    from smallestai.core.api_error import ApiError
    from smallestai.waves.tts import TtsRequestMessage

    pcm, statuses = bytearray(), []
    with _client(sandbox, sandbox.default_key("smallest")).waves.tts.connect() as socket:
        settings = {"voice_id": "emily", "model": "lightning_v3.1", "sample_rate": 24000}
        socket.synthesize_streaming_tts(TtsRequestMessage(text=TEXT, continue_=True, **settings))
        socket.synthesize_streaming_tts(TtsRequestMessage(text="", flush=True, **settings))
        for message in socket:
            statuses.append(message.status)
            if message.status == "chunk":
                pcm += base64.b64decode(message.data.audio)
            if message.status == "complete":
                break
    assert statuses[-1] == "complete" and "chunk" in statuses
    assert float(np.sum(np.abs(decode_raw(bytes(pcm), "pcm_s16le")) > 0.02)) / 24000 > 0.5
    # The client means to turn a refused upgrade into its ApiError; with the websockets installed here its compat
    # shim catches the legacy exception type while the sync client raises the new one: the 401 arrives as that.
    from websockets.exceptions import InvalidStatus

    with pytest.raises((ApiError, InvalidStatus)) as refused, _client(sandbox, BAD_KEY).waves.tts.connect():
        pass
    error = refused.value
    assert (error.status_code if isinstance(error, ApiError) else error.response.status_code) == 401


def test_smallest_synchronous_synthesis_answers_a_wav_file_and_refuses_a_bad_key(sandbox: Any) -> None:
    from smallestai.waves.errors import UnauthorizedError

    from harness.speech import decode

    pieces = _client(sandbox, sandbox.default_key("smallest")).waves.synthesize_tts(
        text=TEXT, voice_id="emily", model="lightning_v3.1", sample_rate=24000, output_format="wav"
    )
    clip = decode(b"".join(pieces))
    assert clip.sample_rate == 24000
    assert float(np.sum(np.abs(np.asarray(clip.samples)) > 0.02)) / clip.sample_rate > 0.5
    with pytest.raises(UnauthorizedError) as refused:
        list(_client(sandbox, BAD_KEY).waves.synthesize_tts(text=TEXT, voice_id="emily", output_format="wav"))
    assert refused.value.status_code == 401
