"""Google's official client `google-cloud-texttospeech`, unchanged, against the sandbox's imitation of its gRPC
bidirectional streaming synthesis (`harness.providers.google.streaming`), pointed there through its own options: the
gRPC transport's host, its TLS channel credentials (the sandbox's CA) and an API key as its credentials, or a plain
channel with the key as call metadata. `streaming_synthesize` returns headerless 16-bit PCM that is real speech; a bad
key and a missing one raise the client's own typed errors for the statuses Google answers them with."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

MISSING = "the official clients are test extras: pip install -e .[test]"
TEXT = "Hello from the sandbox, streamed over gRPC."
VOICE = "en-US-Chirp3-HD-Kore"

texttospeech = pytest.importorskip("google.cloud.texttospeech", reason=MISSING)
exceptions = pytest.importorskip("google.api_core.exceptions", reason=MISSING)
grpc = pytest.importorskip("grpc", reason=MISSING)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", tls=True, providers=("google",)) as running_sandbox:
        yield running_sandbox


@pytest.fixture(scope="module")
def plain() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("google",)) as running_sandbox:
        yield running_sandbox


def _tls_client(sandbox: Any, key: str) -> Any:
    from google.auth import api_key
    from google.cloud.texttospeech_v1.services.text_to_speech.transports.grpc import TextToSpeechGrpcTransport

    transport = TextToSpeechGrpcTransport(
        host=sandbox.grpc_target,
        credentials=api_key.Credentials(key),
        ssl_channel_credentials=grpc.ssl_channel_credentials(root_certificates=sandbox.ca_file.read_bytes()),
    )
    return texttospeech.TextToSpeechClient(transport=transport)


def _requests(text: str = TEXT, encoding: Any = None, rate: int = 0) -> Iterator[Any]:
    audio = texttospeech.StreamingAudioConfig(
        audio_encoding=encoding or texttospeech.AudioEncoding.PCM, sample_rate_hertz=rate
    )
    config = texttospeech.StreamingSynthesizeConfig(
        voice=texttospeech.VoiceSelectionParams(language_code="en-US", name=VOICE), streaming_audio_config=audio
    )
    yield texttospeech.StreamingSynthesizeRequest(streaming_config=config)
    for word in text.split(" "):
        yield texttospeech.StreamingSynthesizeRequest(input=texttospeech.StreamingSynthesisInput(text=word + " "))


def _speech_seconds(pcm: bytes, rate: int) -> float:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768
    return float(np.sum(np.abs(samples) > 0.02)) / rate


def test_streaming_synthesize_returns_real_speech_over_tls(sandbox: Any) -> None:
    responses = list(_tls_client(sandbox, sandbox.default_key("google")).streaming_synthesize(_requests()))
    assert len(responses) > 1  # chunks, as the stream is spoken
    pcm = b"".join(response.audio_content for response in responses)
    assert not pcm.startswith(b"RIFF")  # "audio won't be wrapped in a WAV (or any other) header"
    assert 0.8 < _speech_seconds(pcm, 24000) < 10  # "headerless LINEAR16 audio with a sample rate of 24000"
    from harness.speech import decode_raw

    assert np.asarray(decode_raw(pcm, "pcm_s16le")).size == len(pcm) // 2


def test_a_plain_channel_with_the_key_as_metadata_and_another_rate(plain: Any) -> None:
    from google.cloud.texttospeech_v1.services.text_to_speech.transports.grpc import TextToSpeechGrpcTransport

    client = texttospeech.TextToSpeechClient(
        transport=TextToSpeechGrpcTransport(channel=grpc.insecure_channel(plain.grpc_target))
    )
    responses = client.streaming_synthesize(
        _requests(rate=16000), metadata=[("x-goog-api-key", plain.default_key("google"))]
    )
    pcm = b"".join(response.audio_content for response in responses)
    assert 0.8 < _speech_seconds(pcm, 16000) < 10


def test_a_bad_key_and_no_key_raise_the_clients_typed_errors(sandbox: Any, plain: Any) -> None:
    with pytest.raises(exceptions.InvalidArgument, match="API key not valid"):  # Google's answer to a bad key
        list(_tls_client(sandbox, "not-a-key-the-sandbox-knows").streaming_synthesize(_requests()))
    from google.cloud.texttospeech_v1.services.text_to_speech.transports.grpc import TextToSpeechGrpcTransport

    keyless = texttospeech.TextToSpeechClient(
        transport=TextToSpeechGrpcTransport(channel=grpc.insecure_channel(plain.grpc_target))
    )
    with pytest.raises(exceptions.Unauthenticated, match="unregistered callers"):
        list(keyless.streaming_synthesize(_requests()))


def test_the_documented_order_and_encodings_are_enforced(sandbox: Any) -> None:
    client = _tls_client(sandbox, sandbox.default_key("google"))
    text_first = iter([texttospeech.StreamingSynthesizeRequest(input=texttospeech.StreamingSynthesisInput(text="Hi."))])
    with pytest.raises(exceptions.InvalidArgument, match="first message"):
        list(client.streaming_synthesize(text_first))
    with pytest.raises(exceptions.InvalidArgument, match="MP3"):  # "All other encodings return an error."
        list(client.streaming_synthesize(_requests(encoding=texttospeech.AudioEncoding.MP3)))
    neural = texttospeech.StreamingSynthesizeConfig(
        voice=texttospeech.VoiceSelectionParams(language_code="en-US", name="en-US-Neural2-F")
    )
    with pytest.raises(exceptions.InvalidArgument, match="Neural2"):  # "only compatible with Chirp 3: HD voices"
        list(client.streaming_synthesize(iter([texttospeech.StreamingSynthesizeRequest(streaming_config=neural)])))
    nameless = texttospeech.StreamingSynthesizeConfig(voice=texttospeech.VoiceSelectionParams(name=VOICE))
    with pytest.raises(exceptions.InvalidArgument, match="language"):  # language_code: "Required."
        list(client.streaming_synthesize(iter([texttospeech.StreamingSynthesizeRequest(streaming_config=nameless)])))
