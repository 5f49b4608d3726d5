"""The answer's form as the `Accept` header names it, and as each provider's documents say: Rime's headerless PCM
(`audio/pcm`, and Mist v2's RFC name `audio/L16`) at the samplingRate asked for, its `audio/mpeg` beside `audio/mp3`,
and a request naming no format — a client's default `Accept: */*`, or no Accept at all — answered in the default
format, not refused; Smallest's synchronous `/waves/v1/tts`, whose Accept the reference only recommends, answering
output_format's audio (pcm by default) whatever the Accept."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import pytest

from harness.core.audio import inspect
from harness.core.protocols.http_speech import service_of
from harness.core.registry import providers
from harness.speech import decode, decode_raw

TEXT = "Hello from the sandbox, in the form the client asked for."
NO_ACCEPT = None  # the request goes without an Accept header at all


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("rime", "smallest")) as running_sandbox:
        yield running_sandbox


def _post(sandbox: Any, provider: str, path: str, body: dict[str, Any], accept: str | None) -> httpx.Response:
    """The request with exactly the Accept given: httpx adds `*/*` of its own unless the header is taken away."""
    with httpx.Client(timeout=60.0, trust_env=False) as client:
        request = client.build_request(
            "POST",
            sandbox.base_url(provider, "api") + path,
            json=body,
            headers={"Authorization": f"Bearer {sandbox.default_key(provider)}"},
        )
        if accept is None:
            del request.headers["Accept"]
        else:
            request.headers["Accept"] = accept
        return client.send(request)


def _rime(sandbox: Any, accept: str | None, **fields: Any) -> httpx.Response:
    body = {"text": TEXT, "speaker": "lyra", "modelId": "coda", **fields}
    return _post(sandbox, "rime", "/v1/rime-tts", body, accept)


def _speech_seconds(samples: Any, rate: int) -> float:
    """Seconds of audio above a whisper: speech, not silence or noise of the right length."""
    return float(np.sum(np.abs(np.asarray(samples)) > 0.02)) / rate


@pytest.mark.parametrize("accept", ["audio/pcm", "audio/L16"])
def test_rime_answers_headerless_pcm_at_the_sampling_rate_asked_for(sandbox: Any, accept: str) -> None:
    pcm = _rime(sandbox, accept, samplingRate=16000)
    assert pcm.status_code == 200, pcm.text
    assert pcm.headers["content-type"] == "audio/pcm"
    assert inspect(pcm.content).kind != "wav"  # headerless: no RIFF header before the samples
    samples = decode_raw(pcm.content, "pcm_s16le")
    assert 1.0 < len(samples) / 16000 < 8.0 and _speech_seconds(samples, 16000) > 0.5
    # The same speech as a WAV file at that rate has as many samples: the PCM is at 16000 Hz, not the default 24000.
    wav = decode(_rime(sandbox, "audio/wav", samplingRate=16000).content)
    assert wav.sample_rate == 16000
    assert abs(len(samples) - len(np.asarray(wav.samples))) <= 16000 * 0.02


def test_rime_without_a_sampling_rate_answers_pcm_at_its_default(sandbox: Any) -> None:
    answered = _rime(sandbox, "audio/pcm")
    assert answered.status_code == 200, answered.text
    samples = decode_raw(answered.content, "pcm_s16le")
    at_default = decode(_rime(sandbox, "audio/wav").content)
    assert at_default.sample_rate == 24000  # samplingRate's documented "default: 24000"
    assert abs(len(samples) - len(np.asarray(at_default.samples))) <= 24000 * 0.02


@pytest.mark.parametrize("accept", ["audio/mpeg", "*/*", "audio/*", NO_ACCEPT])
def test_rime_answers_mp3_for_its_rfc_name_and_for_a_request_naming_no_format(sandbox: Any, accept: str | None) -> None:
    answered = _rime(sandbox, accept)
    assert answered.status_code == 200, answered.text
    assert answered.headers["content-type"] == "audio/mpeg"
    assert inspect(answered.content).kind == "mp3"
    clip = decode(answered.content)
    assert _speech_seconds(clip.samples, clip.sample_rate) > 0.5


def test_rime_still_refuses_an_accept_value_its_pages_do_not_list(sandbox: Any) -> None:
    refused = _rime(sandbox, "audio/flac")
    assert refused.status_code == 400
    assert "accept" in refused.json()["message"]


@pytest.mark.parametrize("accept", ["*/*", NO_ACCEPT, "audio/wav"])
def test_smallest_synchronous_synthesis_answers_its_default_format_whatever_the_accept(
    sandbox: Any, accept: str | None
) -> None:
    body = {"text": TEXT, "voice_id": "emily"}  # no output_format: "The server default is pcm", at 44100 Hz
    answered = _post(sandbox, "smallest", "/waves/v1/tts", body, accept)
    assert answered.status_code == 200, answered.text
    assert answered.headers["content-type"] == "audio/pcm;rate=44100"
    samples = decode_raw(answered.content, "pcm_s16le")
    assert 1.0 < len(samples) / 44100 < 8.0 and _speech_seconds(samples, 44100) > 0.5


def test_smallest_honours_output_format_under_a_wildcard_accept(sandbox: Any) -> None:
    body = {"text": TEXT, "voice_id": "emily", "output_format": "wav", "sample_rate": 24000}
    answered = _post(sandbox, "smallest", "/waves/v1/tts", body, "*/*")
    assert answered.status_code == 200, answered.text
    clip = decode(answered.content)
    assert clip.sample_rate == 24000 and _speech_seconds(clip.samples, 24000) > 0.5


def test_the_family_reads_a_media_range_as_no_format_named() -> None:
    synthesis = service_of(providers()["rime"]).synthesis("rime-tts")
    assert synthesis.format("*/*") is synthesis.format(None) is synthesis.format("audio/*")
    assert synthesis.format(None).name == "audio/mp3"
    assert synthesis.format("audio/pcm").spec.container == "raw"
    with pytest.raises(KeyError):
        synthesis.format("audio/flac")  # a concrete type no format is called stays unknown
