"""TTS.ai's queued TTS job on the sandbox: the document's curl examples end to end, formats, speed,
models that sound different, 404s in TTS.ai's shape, anonymous use, plans, credits, batches and
the saved-voice TTS. Every answer is checked against the spec."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import fields
from decimal import Decimal
from typing import Any

import httpx
import pytest

from harness.core.registry import providers
from harness.core.validate import check_request
from harness.sandbox import Sandbox, running, tier_key
from harness.sandbox.loading import registered_emulations
from harness.speech import AudioFormat, decode, sniff
from tests.helpers.sandbox_http import assert_valid, provider, run_curl, send, settle

KEY = "ttsai-jobs-key"
# Verbatim from shared/api-docs 003 ("Example Request" and the cURL tab).
EXAMPLE_CURL = """curl -X POST https://api.tts.ai/v1/tts/ \\
-H "Authorization: Bearer sk-tts-your-key" \\
-H "Content-Type: application/json" \\
-d '{
"model": "kokoro",
"text": "Hello from TTS.ai! This is a test.",
"voice": "af_bella",
"format": "mp3"
}' \\
--output output.mp3"""
SHORT_CURL = """curl -X POST https://api.tts.ai/v1/tts/ \\
-H "Authorization: Bearer sk-tts-your-key" \\
-H "Content-Type: application/json" \\
-d '{"model":"kokoro","text":"Hello!","voice":"af_bella","format":"mp3"}' \\
-o output.mp3"""
SAVED_TTS_CURL = """curl -X POST https://tts.ai/api/v1/tts/ \\
-H "Authorization: Bearer sk-tts-your-key" \\
-H "Content-Type: application/json" \\
-d '{"text":"Hello from my saved voice","user_voice_id":"uv_a1b2c3d4e5f6"}'"""
TEXT = "The quick brown fox jumps over the lazy dog."


def _shell_only(command: str) -> str:
    """Drop curl's `-o/--output FILE`: where curl saves the body is no part of the request."""
    return re.sub(r"\s*(?:\\\n)?\s*(?<!\S)(?:-o|--output)\s+\S+", "", command)


@pytest.fixture(scope="module")
def key(sandbox: Sandbox) -> str:
    sandbox.add_key("ttsai", KEY, tier="business")
    return KEY


def _replace(sb: Sandbox, key: str) -> dict[str, str]:
    return {
        "https://api.tts.ai": sb.base_url("ttsai", "api"),
        "https://tts.ai": sb.base_url("ttsai", "web"),
        "sk-tts-your-key": key,
    }


def _submit(
    sb: Sandbox, client: httpx.Client, body: dict[str, Any], key: str | None, endpoint: str = "tts.generate"
) -> httpx.Response:
    answer = send(sb, client, "ttsai", endpoint, body, key=key)
    assert_valid("ttsai", endpoint, answer)
    return answer


def _finish(sb: Sandbox, client: httpx.Client, job_uuid: str) -> bytes:
    """Poll as the document's Python example does (no key), then download the result."""
    settle(sb, job_uuid)
    result = client.get(sb.base_url("ttsai", "api") + "/v1/speech/results/", params={"uuid": job_uuid})
    assert_valid("ttsai", "speech.results", result)
    body = result.json()
    assert body["status"] == "completed", body
    assert body["result_url"].startswith(sb.url + "/ttsai/api/static/downloads/")  # the API host, as documented
    audio = client.get(body["result_url"])
    assert audio.status_code == 200
    return audio.content


def _speak(sb: Sandbox, client: httpx.Client, key: str, **body: Any) -> bytes:
    answer = _submit(sb, client, {"text": TEXT, "voice": "af_bella", "model": "kokoro", **body}, key)
    assert answer.status_code == 200, answer.text
    return _finish(sb, client, answer.json()["uuid"])


@pytest.mark.parametrize("curl", [EXAMPLE_CURL, SHORT_CURL], ids=["example", "curl-tab"])
def test_document_curl_examples(sandbox: Sandbox, client: httpx.Client, key: str, curl: str) -> None:
    before = sandbox.balance("ttsai", key)
    queued = run_curl(client, _shell_only(curl), _replace(sandbox, key))
    assert queued.status_code == 200, queued.text
    assert_valid("ttsai", "tts.generate", queued)
    body = queued.json()
    assert body["status"] == "queued" and re.fullmatch(r"[0-9a-f]{32}", body["uuid"])
    assert body["job_id"].replace("-", "") == body["uuid"]
    text = re.search(r'"text": ?"([^"]+)"', curl)
    assert text is not None
    assert body["credits_used"] == 2 * len(text.group(1))  # kokoro: 2,000 characters per 1,000
    assert queued.headers["X-Credits-Used"] == str(body["credits_used"])  # read by the Python example
    assert before is not None and body["credits_remaining"] == before - body["credits_used"]
    audio = _finish(sandbox, client, body["uuid"])
    assert sniff(audio) is AudioFormat.MP3
    assert decode(audio).duration_s > 0.5


def test_requested_formats(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    for fmt in ("mp3", "wav", "flac", "ogg"):
        audio = _speak(sandbox, client, key, format=fmt)
        found = sniff(audio)
        assert found is not None and found.value == fmt
        assert decode(audio).sample_rate == 24000  # kokoro's rate


def test_speed_changes_the_speaking_rate(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    durations = {
        speed: decode(_speak(sandbox, client, key, format="wav", speed=speed)).duration_s for speed in (0.5, 1.0, 2.0)
    }
    assert durations[0.5] > 1.5 * durations[1.0]
    assert durations[2.0] < 0.7 * durations[1.0]


def test_every_model_sounds_different(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    voices = {
        "piper": "en_US-joe-medium",
        "vits": "vits_p226",
        "melotts": "EN-US",
        "kokoro": "am_michael",
        "cosyvoice2": "cosy_en_male",
        "tortoise": "daniel",
        "chatterbox": "default",
    }
    heard = {}
    for model, voice in voices.items():
        clip = decode(_speak(sandbox, client, key, model=model, voice=voice, format="wav", text="Hello there."))
        heard[model] = (clip.sample_rate, len(clip.samples))
    assert len(set(heard.values())) == len(voices), heard


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"model": "no-such-model", "voice": "af_bella"}, "Model 'no-such-model' not found"),
        ({"model": "kokoro", "voice": "no_such_voice"}, "Voice 'no_such_voice' not found"),
        ({"model": "kokoro", "voice": "en_US-lessac-medium"}, "for model 'kokoro'"),
    ],
)
def test_unknown_model_or_voice_is_404(
    sandbox: Sandbox, client: httpx.Client, key: str, body: dict[str, str], needle: str
) -> None:
    answer = _submit(sandbox, client, {"text": TEXT, **body}, key)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found" and needle in answer.json()["error"]["message"]


def test_model_may_be_omitted(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    answer = _submit(sandbox, client, {"text": TEXT, "voice": "en_US-lessac-medium"}, key)
    assert answer.status_code == 200, answer.text
    assert decode(_finish(sandbox, client, answer.json()["uuid"])).sample_rate == 22050  # piper's voice


@pytest.fixture
def own_sandbox() -> Iterator[Sandbox]:
    """A sandbox of its own, for tests that use up an account or a rate window."""
    with running(profile="fast", seed=3, clock="manual", providers=("ttsai",)) as sb:
        yield sb


def test_anonymous_use_of_free_models(own_sandbox: Sandbox, client: httpx.Client) -> None:
    free = _submit(
        own_sandbox, client, {"text": "Hello without a key.", "voice": "en_US-joe-medium", "model": "piper"}, None
    )
    assert free.status_code == 200, free.text
    assert free.json()["credits_remaining"] == 5000 - len("Hello without a key.")
    decode(_finish(own_sandbox, client, free.json()["uuid"]))
    premium = _submit(own_sandbox, client, {"text": TEXT, "voice": "default", "model": "chatterbox"}, None)
    assert premium.status_code == 401 and premium.json()["error"]["code"] == "unauthorized"
    too_much = _submit(own_sandbox, client, {"text": "x" * 5000, "voice": "af_bella", "model": "kokoro"}, None)
    assert too_much.status_code == 402
    error = too_much.json()["error"]
    assert error == {
        "code": "insufficient_credits",
        "message": "You do not have enough characters for this request.",
        "characters_required": 10000,
        "characters_available": 5000 - len("Hello without a key."),
    }


def test_insufficient_credits_names_both_amounts(sandbox: Sandbox, client: httpx.Client) -> None:
    sandbox.add_key("ttsai", "ttsai-poor-key", balance=Decimal(10))
    answer = _submit(
        sandbox,
        client,
        {"text": "Hello from TTS.ai! This is a test.", "voice": "af_bella", "model": "kokoro"},
        "ttsai-poor-key",
    )
    assert answer.status_code == 402
    assert answer.json()["error"]["characters_required"] == 68
    assert answer.json()["error"]["characters_available"] == 10
    assert sandbox.balance("ttsai", "ttsai-poor-key") == Decimal(10)


def test_free_plan_limits(own_sandbox: Sandbox, client: httpx.Client) -> None:
    key = tier_key("ttsai", "free")
    long = _submit(own_sandbox, client, {"text": "y" * 501, "voice": "af_bella", "model": "kokoro"}, key)
    assert long.status_code == 400 and "500" in long.json()["error"]["message"]
    accepted = [_submit(own_sandbox, client, {"text": "Hi.", "voice": "af_bella"}, key) for _ in range(2)]
    assert [a.status_code for a in accepted] == [200, 200]
    third = _submit(own_sandbox, client, {"text": "Hi.", "voice": "af_bella"}, key)
    assert third.status_code == 429 and third.json()["error"]["code"] == "rate_limited"  # 2 concurrent jobs
    for _ in range(7):  # 10 requests a minute (the concurrency refusal did not count): the 11th is refused
        assert_valid("ttsai", "voices.list", send(own_sandbox, client, "ttsai", "voices.list", {}, key=key))
    refused = send(own_sandbox, client, "ttsai", "voices.list", {}, key=key)
    assert_valid("ttsai", "voices.list", refused)
    assert refused.status_code == 429 and refused.headers["X-RateLimit-Remaining"] == "0"
    assert int(refused.headers["Retry-After"]) >= 1


def test_batch_and_its_webhook(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    body = {
        "texts": [
            {"text": "First item.", "model": "kokoro", "voice": "af_bella"},
            {"text": "Second item.", "model": "piper"},
        ],
        "webhook_url": sandbox.sink_url("ttsai-batch"),
    }
    answer = _submit(sandbox, client, body, key, "tts.batch")
    assert answer.status_code == 200, answer.text
    accepted = answer.json()
    assert accepted["total"] == 2 and accepted["completed"] == 0 and accepted["status"] == "processing"
    settle(sandbox, accepted["batch_id"])
    result = send(sandbox, client, "ttsai", "tts.batch.result", {"batch_id": accepted["batch_id"]}, key=key)
    assert_valid("ttsai", "tts.batch.result", result)
    done = result.json()
    assert done["status"] == "completed" and done["completed"] == 2
    both = decode(client.get(done["results"][0]["result_url"]).content)
    assert both.sample_rate == 24000 and both.duration_s > 1.0  # both items, one after the other
    payload = sandbox.sink.wait_for("ttsai-batch", 1)[0]
    webhook = provider("ttsai").endpoint("webhook.task")
    check_request(webhook, payload)
    assert payload["event"] == "task.completed" and payload["status"] == "success"
    assert payload["task_id"] == accepted["batch_id"]


def test_batch_items_are_checked(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    answer = _submit(
        sandbox, client, {"texts": [{"text": "Ok."}, {"text": "Bad.", "voice": "nobody"}]}, key, "tts.batch"
    )
    assert answer.status_code == 404 and answer.json()["error"]["message"].startswith("texts[1]:")


def test_saved_voice_tts_example_and_archive(sandbox: Sandbox, client: httpx.Client) -> None:
    sandbox.add_key("ttsai", "ttsai-saved-tts-key", tier="pro")
    replace = _replace(sandbox, "ttsai-saved-tts-key")
    queued = run_curl(client, SAVED_TTS_CURL, replace)
    assert_valid("ttsai", "saved-voice.tts", queued)
    assert queued.status_code == 200 and queued.json()["status"] == "queued"
    assert queued.json()["credits_used"] == 4 * len("Hello from my saved voice")  # the cloning rate
    cloned = decode(_finish(sandbox, client, queued.json()["uuid"]))
    assert cloned.duration_s > 0.5
    archive = send(
        sandbox, client, "ttsai", "saved-voices.archive", {}, key="ttsai-saved-tts-key", public_id="uv_a1b2c3d4e5f6"
    )
    assert_valid("ttsai", "saved-voices.archive", archive)
    refused = run_curl(client, SAVED_TTS_CURL, replace)
    assert_valid("ttsai", "saved-voice.tts", refused)
    assert refused.status_code == 400 and "archived" in refused.json()["error"]["message"]
    reactivated = send(
        sandbox, client, "ttsai", "saved-voices.reactivate", {}, key="ttsai-saved-tts-key", public_id="uv_a1b2c3d4e5f6"
    )
    assert_valid("ttsai", "saved-voices.reactivate", reactivated)
    again = run_curl(client, SAVED_TTS_CURL, replace)
    assert_valid("ttsai", "saved-voice.tts", again)
    assert again.status_code == 200
    missing = run_curl(client, SAVED_TTS_CURL.replace("uv_a1b2c3d4e5f6", "uv_000000000000"), replace)
    assert_valid("ttsai", "saved-voice.tts", missing)
    assert missing.status_code == 404


def test_unknown_job_is_404(sandbox: Sandbox, client: httpx.Client) -> None:
    answer = client.get(sandbox.base_url("ttsai", "api") + "/v1/speech/results/", params={"uuid": "0" * 32})
    assert_valid("ttsai", "speech.results", answer)
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"


def test_failed_job_reports_its_error(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    answer = send(
        sandbox,
        client,
        "ttsai",
        "tts.batch",
        {"texts": [{"text": "Doomed."}]},
        key=key,
        headers={"X-Sandbox-Fault": "job-failed"},
    )
    settle(sandbox, answer.json()["batch_id"])
    result = send(sandbox, client, "ttsai", "tts.batch.result", {"batch_id": answer.json()["batch_id"]}, key=key)
    assert_valid("ttsai", "tts.batch.result", result)
    assert result.json()["status"] == "failed" and result.json()["results"][0]["error"]


def test_emulation_is_registered_under_the_provider_name() -> None:
    assert registered_emulations()["ttsai"].value == "harness.providers.ttsai.emulation:EMULATION"
    assert "emulation" not in {field.name for field in fields(providers()["ttsai"])}
