"""Resemble's official client `resemble`, unchanged, against the sandbox's imitation of the built-in `resemble` (the
HTTP speech family's direct synthesis): a synthesis read back from the client's answer, and a bad key's answer as the
client returns it (this client raises nothing: it returns the JSON body, which says so)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from harness.speech import decode

TEXT = "Hello from the sandbox."
BAD_KEY = "not-a-key-the-sandbox-knows"

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


def test_resemble_client_synthesizes_and_reports_a_bad_key(sandbox: Any) -> None:
    base = sandbox.base_url("resemble", "synthesis")
    answer = _synthesize(base, sandbox.default_key("resemble"))
    assert answer["success"] is True
    clip = decode(base64.b64decode(answer["audio_content"]))
    assert float(np.sum(np.abs(np.asarray(clip.samples)) > 0.02)) / clip.sample_rate > 0.5
    refused = _synthesize(base, BAD_KEY)
    assert refused["success"] is False and "Unauthorized" in refused["message"]
