"""The gRPC streaming speech family's checks, for every provider declaring a streaming synthesis method
(`harness.core.protocols.grpc_speech`; a StreamingSynthesize): against a server only — the sandbox's gRPC port (the
port after the URL's, for a URL laid out like the sandbox), or the provider's own address with `--tts-live`. A
replayed session skips them (no gRPC call is recorded).

    pytest --tts-contracts -k test_grpc_speech --tts-target sandbox
    pytest --tts-contracts -k test_grpc_speech --tts-live

    speaks      the config, then the text in three messages: the call ends OK, its responses carry audio that decodes
                as the declared first format, at its rate, long enough for the words and not silence
    bad key     a key the server does not know: the status the provider's bad-key refusal names, no audio
    text first  a text message before the config: the status of its invalid-request refusal, no audio
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from harness.contracts.targets import ContractTarget
from harness.core.protocols.grpc_speech import Rpc, StreamedCall, offering_name, speak, speaker_of, status_code_of
from harness.core.protocols.http_speech import SpeechService
from harness.core.registry import providers
from harness.core.spec import Provider
from harness.core.target import TargetKind

TEXT = ("The quick brown fox ", "jumps over the lazy dog. ", "Then it rests in the shade.")
CHECKS = ("speaks", "bad_key", "text_first")
CASES = [
    pytest.param(provider, rpc, check, id=f"{provider.name}/{rpc.key}/{check}")
    for provider in providers().values()
    for rpc in provider.rpcs
    if isinstance(rpc, Rpc)
    for check in CHECKS
] or [
    pytest.param(
        None, None, "", id="no-provider", marks=pytest.mark.skip(reason="no provider declares a gRPC streaming method")
    )
]


def _where(
    request: pytest.FixtureRequest, target: ContractTarget, provider: Provider, rpc: Rpc
) -> tuple[str, bool, bytes | None]:
    reason = target.unreachable(provider)
    if reason is not None:
        pytest.skip(reason)
    if target.kind is TargetKind.SANDBOX:
        sandbox = request.getfixturevalue("sandbox")
        ca = sandbox.ca_file
        return sandbox.grpc_target, ca is None, None if ca is None else ca.read_bytes()
    if target.kind is TargetKind.LIVE:
        return rpc.address, False, None
    if target.grpc is not None:  # a URL laid out like the sandbox: its gRPC port is the one after the URL's
        address, tls = target.grpc
        return address, not tls, None
    pytest.skip(
        f"{rpc.signature} is a gRPC method: a URL target has no address for it (--tts-target sandbox, a URL "
        "laid out like it, or --tts-live)"
    )


def _call(
    rpc: Rpc,
    where: tuple[str, bool, bytes | None],
    key: str | None,
    chunks: tuple[str, ...],
    voice: str,
    language: str,
    *,
    text_first: bool = False,
) -> StreamedCall:
    address, plaintext, roots = where
    fmt = rpc.formats[0]
    if text_first:  # the text message where the config should be: the order the documents require, broken
        rpc = _text_first(rpc)
    return asyncio.run(
        speak(
            rpc,
            address,
            key,
            chunks,
            voice,
            language,
            fmt,
            root_certificates=roots,
            plaintext=plaintext,
            timeout_s=60.0,
        )
    )


def _text_first(rpc: Rpc) -> Rpc:
    from dataclasses import replace

    return replace(rpc, config=rpc.text)  # a config template that fills a text message ("{text}" stays literal)


@pytest.mark.contract
@pytest.mark.parametrize(("provider", "rpc", "check"), CASES)
def test_grpc_speech(
    request: pytest.FixtureRequest, tts_target: ContractTarget, provider: Provider, rpc: Rpc, check: str
) -> None:
    where = _where(request, tts_target, provider, rpc)
    service = provider.family
    assert isinstance(service, SpeechService)
    model = next(m for m in service.models if m.name in rpc.models)
    assert speaker_of(provider, offering_name(model, rpc)) == model
    voice = service.voice(model.voice)
    language = voice.language if voice else "en-US"
    key = tts_target.key_for(provider.name)
    if check == "speaks":
        call = _call(rpc, where, key, TEXT, model.voice, language)
        assert call.code == "OK", f"{rpc.signature}: {call.code} {call.details}"
        assert call.received and all(chunk for _, _, chunk in call.received), "responses without audio"
        _assert_speech(rpc, call.audio)
    elif check == "bad_key":
        call = _call(rpc, where, "not-a-key-" + "0" * 24, TEXT[:1], model.voice, language)
        assert call.code == status_code_of(service.refusals.bad_key), f"{call.code} {call.details}"
        assert not call.audio
    else:
        call = _call(rpc, where, key, TEXT[:1], model.voice, language, text_first=True)
        assert call.code == status_code_of(service.refusals.invalid), f"{call.code} {call.details}"
        assert not call.audio


def _assert_speech(rpc: Rpc, audio: bytes) -> None:
    """The audio is the declared first format at its rate, with seconds of sound in it (not silence)."""
    spec = rpc.formats[0].spec
    if spec.codec == "pcm_s16le" and spec.container == "raw":
        assert len(audio) % 2 == 0, "16-bit samples come in whole pairs of bytes"
        samples: Any = memoryview(audio).cast("h")
        loud = sum(1 for value in samples if abs(value) > 655) / spec.sample_rate  # above 0.02 of full scale
        assert 1.0 < loud < 30.0, f"{loud:.2f} s of sound in {len(audio)} bytes at {spec.sample_rate} Hz"
    else:
        pytest.skip(f"{spec.codec} in {spec.container}: read as samples only where the decoder is installed")
