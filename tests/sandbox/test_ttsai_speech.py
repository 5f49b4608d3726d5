"""TTS.ai's direct speech answers on the sandbox: SSE streaming (the event format the emulation
documents), the OpenAI-compatible route, and voice cloning with the document's examples."""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import Any

import httpx
import pytest

from harness.core.spec import Upload
from harness.sandbox import Sandbox
from harness.speech import decode, sniff
from tests.helpers.sandbox_http import assert_valid, provider, run_curl, send, voices

KEY = "ttsai-speech-key"
CLONE_CURL = """curl -X POST https://api.tts.ai/v1/tts/clone/ \\
-H "Authorization: Bearer sk-tts-your-key" \\
-F "reference_audio=@reference.wav" \\
-F "text=This uses a cloned voice." \\
-F "model=chatterbox" \\
-o cloned.mp3"""
THREE_SENTENCES = "Hello from TTS.ai! How are you today? Fine, thanks."


@pytest.fixture(scope="module")
def key(sandbox: Sandbox) -> str:
    sandbox.add_key("ttsai", KEY, tier="business")
    return KEY


def _events(answer: httpx.Response) -> list[dict[str, Any]]:
    return [json.loads(line[len("data: ") :]) for line in answer.text.splitlines() if line.startswith("data: ")]


def test_stream_sends_each_sentence_in_half_second_chunks(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    before = sandbox.balance("ttsai", key)
    answer = send(
        sandbox,
        client,
        "ttsai",
        "tts.stream",
        {"model": "kokoro", "text": THREE_SENTENCES, "voice": "af_bella"},
        key=key,
    )
    assert_valid("ttsai", "tts.stream", answer)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/event-stream")
    events = _events(answer)
    audio = events[:-1]
    assert {e["type"] for e in audio} == {"audio"} and len(audio) >= 3
    assert [e["index"] for e in audio] == list(range(len(audio)))
    spoken = [e["text"] for e in audio]
    assert sorted(set(spoken), key=spoken.index) == ["Hello from TTS.ai!", "How are you today?", "Fine, thanks."]
    for event in audio:
        chunk = base64.b64decode(event["audio"])
        found = sniff(chunk)
        assert found is not None and found.value == "mp3" == event["format"]
        clip = decode(chunk)
        assert clip.sample_rate == event["sample_rate"] == 24000
        assert len(clip.samples) / clip.sample_rate <= 0.5 + 0.1  # mp3 frames round up a little
    assert events[-1] == {
        "type": "done",
        "chunks": len(audio),
        "characters": len(THREE_SENTENCES),
        "credits_used": 2 * len(THREE_SENTENCES),
    }
    assert before is not None and sandbox.balance("ttsai", key) == before - 2 * len(THREE_SENTENCES)
    # The sandbox kept the stream's truth: when each chunk left, where speech begins, when it is heard.
    truth = sandbox.state.streams.find(THREE_SENTENCES)
    assert truth is not None and len(truth.chunk_at) == len(audio)
    assert truth.onset_s is not None and truth.onset_s >= 0.05  # the drawn lead-in silence comes first
    heard = truth.heard_at()
    assert heard is not None and heard >= truth.chunk_at[0] + 0.05


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"model": "piper", "voice": "en_US-joe-medium"}, 400),  # piper does not stream
        ({"model": "kokoro", "voice": "nobody"}, 404),
    ],
)
def test_stream_refusals(sandbox: Sandbox, client: httpx.Client, key: str, body: dict[str, str], status: int) -> None:
    answer = send(sandbox, client, "ttsai", "tts.stream", {"text": "Hello.", **body}, key=key)
    assert_valid("ttsai", "tts.stream", answer)
    assert answer.status_code == status


@pytest.mark.parametrize(
    ("response_format", "container"), [("mp3", "mp3"), ("wav", "wav"), ("flac", "flac"), ("opus", "ogg")]
)
def test_openai_route_formats(
    sandbox: Sandbox, client: httpx.Client, key: str, response_format: str, container: str
) -> None:
    example = dict(provider("ttsai").endpoint("audio.speech").example)
    answer = send(sandbox, client, "ttsai", "audio.speech", {**example, "response_format": response_format}, key=key)
    assert_valid("ttsai", "audio.speech", answer)
    found = sniff(answer.content)
    assert answer.status_code == 200 and found is not None and found.value == container
    assert decode(answer.content).duration_s > 0.5


def test_openai_names_and_unavailable_formats(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    aliased = send(
        sandbox,
        client,
        "ttsai",
        "audio.speech",
        {"model": "tts-1", "input": "Hello.", "voice": "alloy", "response_format": "wav"},
        key=key,
    )
    assert_valid("ttsai", "audio.speech", aliased)
    assert aliased.status_code == 200
    refused = send(
        sandbox,
        client,
        "ttsai",
        "audio.speech",
        {"model": "kokoro", "input": "Hello.", "voice": "af_bella", "response_format": "aac"},
        key=key,
    )
    assert_valid("ttsai", "audio.speech", refused)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "bad_request"


def test_clone_document_example(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    replace = {"https://api.tts.ai": sandbox.base_url("ttsai", "api"), "sk-tts-your-key": key}
    heard = {}
    for reference in ("joe_reference.wav", "espeak_reference.wav"):
        answer = run_curl(
            client, CLONE_CURL.replace(" \\\n-o cloned.mp3", ""), replace, files={"reference.wav": voices / reference}
        )
        assert_valid("ttsai", "tts.clone", answer)
        assert answer.status_code == 200 and answer.headers["content-type"] == "audio/mpeg"
        heard[reference] = decode(answer.content)
    # The reference chooses the voice: Piper's clip clones to Piper, espeak-ng's to espeak-ng.
    assert len(heard["joe_reference.wav"].samples) != len(heard["espeak_reference.wav"].samples)


def test_clone_refusals(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    huge = Upload(filename="reference.wav", content=b"\0" * (20 * 1024 * 1024 + 1), content_type="audio/wav")
    too_large = send(sandbox, client, "ttsai", "tts.clone", {"reference_audio": huge, "text": "Hi."}, key=key)
    assert_valid("ttsai", "tts.clone", too_large)
    assert too_large.status_code == 413 and too_large.json()["error"]["code"] == "file_too_large"
    noise = Upload(filename="reference.wav", content=b"not audio at all", content_type="audio/wav")
    unreadable = send(sandbox, client, "ttsai", "tts.clone", {"reference_audio": noise, "text": "Hi."}, key=key)
    assert_valid("ttsai", "tts.clone", unreadable)
    assert unreadable.status_code == 400
    sandbox.add_key("ttsai", "ttsai-clone-poor", balance=Decimal(3))
    reference = Upload(filename="r.wav", content=(voices / "joe_short.wav").read_bytes(), content_type="audio/wav")
    poor = send(
        sandbox, client, "ttsai", "tts.clone", {"reference_audio": reference, "text": "Hi."}, key="ttsai-clone-poor"
    )
    assert_valid("ttsai", "tts.clone", poor)
    assert poor.status_code == 402 and poor.json()["error"]["characters_required"] == 12
