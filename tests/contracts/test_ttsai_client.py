"""TTS.ai's official Python client (`ttsai` on the package index, module `tts_ai`), unchanged, against
`tts-harness serve`: the calls an application built on it makes work against the sandbox, because the
spec declares them (`source: sdk`, harness/providers/ttsai/endpoints/sdk.py) and the sandbox imitates them.

Skipped when the library is not installed (it is in the `test` extra and in `.ci/run`)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

tts_ai = pytest.importorskip("tts_ai", reason="the official TTS.ai client is not installed: pip install ttsai==0.1.0")
pytestmark = pytest.mark.sandbox

LINE = re.compile(r"^\s+ttsai\s+(api|web)\s+(\S+)\s+(?:\S+\s+)?key: (\S+)$")  # the prefixed URL, then its own origin


@dataclass(frozen=True)
class Served:
    web: str
    api: str
    key: str


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    """`tts-harness serve --port 0`, as a user starts it; its base URLs and key read from what it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "harness.cli", "serve", "--port", "0", "--profile", "fast"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    found: dict[str, str] = {}
    try:
        for line in process.stdout:
            if (match := LINE.match(line.rstrip("\n"))) is not None:
                found[match.group(1)] = match.group(2)
                found["key"] = match.group(3)
            if line.startswith("Press Ctrl+C") or process.poll() is not None:
                break
        assert {"web", "api", "key"} <= set(found), f"tts-harness serve printed no TTS.ai hosts: {found}"
        yield Served(found["web"], found["api"], found["key"])
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def client(served: Served) -> Iterator[object]:
    with tts_ai.TTSClient(api_key=served.key, base_url=served.web, gpu_url=served.api, max_retries=0) as made:
        yield made


def test_generate_returns_the_audio(client: object) -> None:
    audio = client.generate("Hello from the official client.", model="kokoro", voice="af_bella")  # type: ignore[attr-defined]
    assert audio[:4] == b"RIFF" and audio[8:12] == b"WAVE" and len(audio) > 10_000


def test_generate_async_then_poll_result(client: object) -> None:
    job = client.generate_async("Queued through the web host.", model="kokoro", voice="af_bella")  # type: ignore[attr-defined]
    assert re.fullmatch(r"[0-9a-f]{32}", job.uuid) and job.status == "queued"
    audio = client.poll_result(job.uuid, timeout=60, interval=0.05)  # type: ignore[attr-defined]
    assert audio[:4] == b"RIFF" and len(audio) > 10_000


def test_list_models_and_voices(client: object) -> None:
    models = {m.name: m for m in client.list_models()}  # type: ignore[attr-defined]
    assert "kokoro" in models and models["kokoro"].tier == "standard" and models["kokoro"].credits_per_1k > 0
    voices = client.list_voices(model="kokoro")  # type: ignore[attr-defined]
    assert voices and all(v.model_name == "kokoro" for v in voices)
    assert "af_bella" in {v.voice_id for v in voices}


def test_an_unknown_model_is_refused_in_the_clients_terms(client: object) -> None:
    with pytest.raises(tts_ai.TTSError) as refused:
        client.generate("No such model.", model="no-such-model", voice="af_bella")  # type: ignore[attr-defined]
    assert refused.value.status_code in (400, 404)


def test_clone_voice_and_batch(client: object) -> None:
    from harness.providers.ttsai.models.uploads import sample_upload

    reference = sample_upload("reference.wav", seconds=1.0).content
    cloned = client.clone_voice("My Voice", reference, text="Spoken in the cloned voice.")  # type: ignore[attr-defined]
    assert cloned.uuid and client.poll_result(cloned.uuid, timeout=60, interval=0.05)[:4] == b"RIFF"  # type: ignore[attr-defined]
    batch = client.batch_generate([{"text": "One.", "model": "kokoro", "voice": "af_bella"}])  # type: ignore[attr-defined]
    assert batch.batch_id.startswith("batch_") and batch.total == 1
    assert client.batch_result(batch.batch_id).batch_id == batch.batch_id  # type: ignore[attr-defined]
