"""Fixtures of the runner's tests: a small valid WAV, settings pointing at a temporary folder, a sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.runner.plan.config import BenchConfig
from tests.helpers.wav import pcm_wav


@pytest.fixture
def wav() -> bytes:
    return pcm_wav()


@pytest.fixture
def config(tmp_path: Path) -> BenchConfig:
    return BenchConfig(out=tmp_path / "reports", score=False, report=False, corpus=("en_read:2",))


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Any]:
    """One sandbox (fast profile, real clock) for the session, its voice already loaded."""
    import httpx

    from harness.sandbox.server import running

    with running("fast", 1, providers=("pixazo",), allow_http_webhooks=True) as sb:
        base, key = sb.base_url("pixazo", "gateway"), sb.default_key("pixazo")
        answer = httpx.post(
            base + "/chatterbox-text-to-speech/v1/chatterbox-text-to-speech-request",
            json={"text": "Warming up."},
            headers={"Ocp-Apim-Subscription-Key": key},
        )
        sb.wait_produced(answer.json()["request_id"], 60.0)
        yield sb
