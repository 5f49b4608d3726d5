"""Sarvam's official client `sarvamai`, unchanged, against the sandbox's imitation of Sarvam's text-to-speech WebSocket
(`harness.providers.sarvam.sockets`), pointed there through its own `environment` option: config, text and flush in,
the audio chunks and the final event out as the client's own typed messages; a speaker of another model as its
`ErrorResponse`; a bad key as a refused upgrade (401 in Sarvam's HTTP error shape)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from harness.speech import decode

TEXT = "Hello from the sandbox, over Sarvam's socket."
BAD_KEY = "not-a-key-the-sandbox-knows"

sarvamai = pytest.importorskip("sarvamai", reason="the official clients are test extras: pip install -e .[test]")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("sarvam",)) as running_sandbox:
        yield running_sandbox


def _client(sandbox: Any, key: str) -> Any:
    from sarvamai.environment import SarvamAIEnvironment

    base = sandbox.base_url("sarvam", "api")
    socket_base = base.replace("http://", "ws://", 1)  # the client's `production` is its socket host
    return sarvamai.SarvamAI(
        api_subscription_key=key, environment=SarvamAIEnvironment(base=base, creative=base, production=socket_base)
    )


def _converse(socket: Any) -> tuple[list[Any], list[Any]]:
    """Text and a flush, then every message up to the final event (or an error): audio chunks and the others."""
    from sarvamai import AudioOutput, ErrorResponse, EventResponse

    socket.convert(TEXT)
    socket.flush()
    chunks: list[Any] = []
    for message in socket:
        if isinstance(message, AudioOutput):
            chunks.append(message)
            continue
        assert isinstance(message, EventResponse | ErrorResponse), message
        return chunks, [message]
    return chunks, []


def test_the_client_pings_then_hears_mp3_chunks_then_the_final_event(sandbox: Any) -> None:
    from sarvamai import EventResponse

    with _client(sandbox, sandbox.default_key("sarvam")).text_to_speech_streaming.connect(
        model="bulbul:v3", send_completion_event="true"
    ) as socket:
        socket.configure(target_language_code="en-IN", speaker="shubh", output_audio_codec="mp3")
        socket.ping()  # "to keep the WebSocket connection alive": taken, answered by nothing
        chunks, ends = _converse(socket)
    assert chunks and {chunk.data.content_type for chunk in chunks} == {"audio/mp3"}
    assert len(ends) == 1 and isinstance(ends[0], EventResponse) and ends[0].data.event_type == "final"
    clip = decode(b"".join(base64.b64decode(chunk.data.audio) for chunk in chunks))
    assert clip.sample_rate == 22050  # the configure() default, 22050 Hz
    assert float(np.sum(np.abs(np.asarray(clip.samples)) > 0.02)) / clip.sample_rate > 0.5


def test_one_connection_speaks_one_conversion_after_another(sandbox: Any) -> None:
    """ "Single WebSocket connection handles multiple text to speech conversions": a second text and flush after the
    first final event is spoken too, with its own final event."""
    from sarvamai import EventResponse

    with _client(sandbox, sandbox.default_key("sarvam")).text_to_speech_streaming.connect(
        model="bulbul:v3", send_completion_event="true"
    ) as socket:
        socket.configure(target_language_code="en-IN", speaker="shubh", output_audio_codec="mp3")
        turns = [_converse(socket), _converse(socket)]
    for chunks, ends in turns:
        assert chunks and len(ends) == 1 and isinstance(ends[0], EventResponse), ends
        clip = decode(b"".join(base64.b64decode(chunk.data.audio) for chunk in chunks))
        assert float(np.sum(np.abs(np.asarray(clip.samples)) > 0.02)) / clip.sample_rate > 0.5


def test_linear16_arrives_as_16_bit_samples_at_the_asked_rate(sandbox: Any) -> None:
    with _client(sandbox, sandbox.default_key("sarvam")).text_to_speech_streaming.connect(model="bulbul:v2") as socket:
        socket.configure(
            target_language_code="en-IN", speaker="anushka", output_audio_codec="linear16", speech_sample_rate=16000
        )
        chunks, ends = _converse(socket)
    samples = np.frombuffer(b"".join(base64.b64decode(chunk.data.audio) for chunk in chunks), dtype="<i2")
    assert ends and ends[0].type == "event"
    loud = float(np.sum(np.abs(samples.astype(np.float64) / 32768) > 0.02)) / 16000
    assert 0.5 < loud < 10, f"{loud:.2f} s of speech in {samples.size} samples at 16 kHz"


def test_a_speaker_of_another_model_is_the_clients_error_response(sandbox: Any) -> None:
    from sarvamai import ErrorResponse

    with _client(sandbox, sandbox.default_key("sarvam")).text_to_speech_streaming.connect(model="bulbul:v3") as socket:
        socket.configure(target_language_code="en-IN", speaker="anushka")  # bulbul:v2's speaker
        message = socket.recv()
    assert isinstance(message, ErrorResponse) and "anushka" in message.data.message


def test_a_bad_key_is_refused_on_the_upgrade(sandbox: Any) -> None:
    from websockets.exceptions import InvalidStatus

    # The client maps a refused upgrade to its ApiError only where websockets raises the legacy InvalidStatusCode
    # (core/websocket_compat.py); websockets 16's sync client raises InvalidStatus, which reaches the caller as is.
    client = _client(sandbox, BAD_KEY)
    with pytest.raises(InvalidStatus) as refused, client.text_to_speech_streaming.connect(model="bulbul:v3"):
        pass
    response = refused.value.response
    assert response.status_code == 401 and b"invalid_api_key_error" in response.body
    assert BAD_KEY.encode() not in response.body
