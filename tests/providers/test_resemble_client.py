"""Resemble's official client `resemble`, unchanged, against the sandbox's imitation of the built-in `resemble`: the
synchronous synthesis read back from the client's answer, the HTTP stream as the client decodes it (its own WAV
reader and x-access-token header), and a bad key's answer as the client gives it (the synthesis returns the JSON
body, which says so; the stream raises requests' HTTPError)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from harness.speech import decode

TEXT = "Hello from the sandbox."
BAD_KEY = "not-a-key-the-sandbox-knows"
RATE = 22050

resemble = pytest.importorskip("resemble", reason="the official clients are test extras: pip install -e .[test]")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("resemble",)) as running_sandbox:
        yield running_sandbox


def _synthesize(base: str, key: str) -> Any:
    from resemble import Resemble

    Resemble.api_key(key)
    Resemble.direct_syn_server_url(base + "/synthesize")  # the client's own setting for its synthesis server
    return Resemble.v2.clips.create_direct("project-1", "55592656", TEXT, output_format="wav")


def _stream(base: str, key: str) -> bytes:
    from resemble import Resemble

    Resemble.api_key(key)
    Resemble.syn_server_url(base)  # the client's setting for its streaming server
    return b"".join(Resemble.v2.clips.stream("project-1", "55592656", TEXT, sample_rate=RATE))


def _voiced_seconds(samples: Any, rate: int) -> float:
    return float(np.sum(np.abs(np.asarray(samples)) > 0.02)) / rate


def test_resemble_client_synthesizes_and_reports_a_bad_key(sandbox: Any) -> None:
    base = sandbox.base_url("resemble", "synthesis")
    answer = _synthesize(base, sandbox.default_key("resemble"))
    assert answer["success"] is True
    clip = decode(base64.b64decode(answer["audio_content"]))
    assert _voiced_seconds(clip.samples, clip.sample_rate) > 0.5
    refused = _synthesize(base, BAD_KEY)
    assert refused["success"] is False and "Unauthorized" in refused["message"]


def test_resemble_client_streams_and_raises_on_a_bad_key(sandbox: Any) -> None:
    import requests

    base = sandbox.base_url("resemble", "synthesis")
    pcm = _stream(base, sandbox.default_key("resemble"))  # the client strips the WAV header: 16-bit PCM
    samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
    assert _voiced_seconds(samples, RATE) > 0.5
    with pytest.raises(requests.HTTPError) as refused:
        _stream(base, BAD_KEY)
    assert refused.value.response.status_code == 401
