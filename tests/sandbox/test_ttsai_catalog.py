"""TTS.ai's catalogue and account endpoints on the sandbox (health, models, voices, saved voices), and
every documented error status of every endpoint through `X-Sandbox-Fault: http-<status>`."""

from __future__ import annotations

import io
from typing import Any

import httpx
import numpy as np
import pytest
import soundfile

from harness.core.spec import Role, Upload
from harness.providers.ttsai.models.error_bodies import ERROR_CODES
from harness.providers.ttsai.pricing import MODEL_TIERS
from harness.sandbox import Sandbox
from tests.helpers.sandbox_http import assert_valid, auth_headers, provider, run_curl, send, voices

KEY = "ttsai-catalog-key"
UPLOAD_CURL = """curl -X POST https://tts.ai/api/v1/user-voices/ \\
-H "Authorization: Bearer sk-tts-your-key" \\
-F "file=@reference.wav" \\
-F "name=My Narrator" \\
-F "language=en" \\
-F "consent_confirmed=true\""""


@pytest.fixture(scope="module")
def key(sandbox: Sandbox) -> str:
    sandbox.add_key("ttsai", KEY, tier="business")
    return KEY


def _tone(seconds: float, fmt: str = "WAV", rate: int = 16000) -> bytes:
    buffer = io.BytesIO()
    tone = 0.3 * np.sin(2 * np.pi * 220 * np.arange(round(seconds * rate)) / rate)
    soundfile.write(buffer, tone.astype(np.float32), rate, format=fmt, subtype="PCM_16")
    return buffer.getvalue()


def test_health_needs_no_key(sandbox: Sandbox, client: httpx.Client) -> None:
    answer = client.get(sandbox.base_url("ttsai", "api") + "/v1/health/")
    assert_valid("ttsai", "health", answer)
    assert answer.json()["status"] == "online" and set(answer.json()["models_loaded"]) == set(MODEL_TIERS)


def test_models_come_from_the_price_tiers(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    answer = send(sandbox, client, "ttsai", "models.list", {}, key=key)
    assert_valid("ttsai", "models.list", answer)
    models = {m["id"]: m for m in answer.json()["models"]}
    assert {name: m["tier"] for name, m in models.items()} == {name: t.value for name, t in MODEL_TIERS.items()}
    # The document's own two entries.
    assert models["kokoro"]["credits_per_1k_chars"] == 2 and models["kokoro"]["supports_streaming"]
    assert models["chatterbox"]["credits_per_1k_chars"] == 4 and models["chatterbox"]["supports_cloning"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"model": "kokoro", "language": "en"}, lambda v: v["model"] == "kokoro" and v["language"] == "en"),
        ({"gender": "male"}, lambda v: v["gender"] == "male"),
        ({"language": "es"}, lambda v: v["language"] == "es"),
    ],
)
def test_voice_filters(sandbox: Sandbox, client: httpx.Client, key: str, query: dict[str, str], expected: Any) -> None:
    answer = send(sandbox, client, "ttsai", "voices.list", query, key=key)
    assert_valid("ttsai", "voices.list", answer)
    voices = answer.json()["voices"]
    assert voices and all(expected(v) for v in voices) and answer.json()["total"] == len(voices)
    if query.get("model") == "kokoro":
        assert {
            "id": "af_bella",
            "name": "Bella",
            "model": "kokoro",
            "language": "en",
            "gender": "female",
        }.items() <= next(v for v in voices if v["id"] == "af_bella").items()


def test_voice_filter_on_an_unknown_model_is_404(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    answer = send(sandbox, client, "ttsai", "voices.list", {"model": "nope"}, key=key)
    assert_valid("ttsai", "voices.list", answer)
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"


def test_saved_voices_lifecycle(sandbox: Sandbox, client: httpx.Client) -> None:
    owner = "ttsai-saved-key"
    sandbox.add_key("ttsai", owner, tier="starter")
    replace = {"https://tts.ai": sandbox.base_url("ttsai", "web"), "sk-tts-your-key": owner}
    created = run_curl(client, UPLOAD_CURL, replace, files={"reference.wav": voices / "joe_reference.wav"})
    assert_valid("ttsai", "saved-voices.upload", created)
    assert created.status_code == 200, created.text
    voice = created.json()
    assert voice["public_id"].startswith("uv_") and voice["model_name"] == "openvoice"
    assert voice["storage_status"] == "active" and voice["name"] == "My Narrator"

    def listed() -> dict[str, str]:
        answer = send(sandbox, client, "ttsai", "saved-voices.list", {}, key=owner)
        assert_valid("ttsai", "saved-voices.list", answer)
        return {v["public_id"]: v["storage_status"] for v in answer.json()["voices"]}

    assert listed() == {"uv_a1b2c3d4e5f6": "active", voice["public_id"]: "active"}
    for verb, status in (("archive", "archived"), ("reactivate", "active")):
        answer = send(sandbox, client, "ttsai", f"saved-voices.{verb}", {}, key=owner, public_id=voice["public_id"])
        assert_valid("ttsai", f"saved-voices.{verb}", answer)
        assert answer.status_code == 200 and listed()[voice["public_id"]] == status
    deleted = send(sandbox, client, "ttsai", "saved-voices.delete", {"public_id": voice["public_id"]}, key=owner)
    assert_valid("ttsai", "saved-voices.delete", deleted)
    assert deleted.status_code == 200 and voice["public_id"] not in listed()
    again = send(sandbox, client, "ttsai", "saved-voices.delete", {"public_id": voice["public_id"]}, key=owner)
    assert_valid("ttsai", "saved-voices.delete", again)
    assert again.status_code == 404
    # Another key's shelf is its own.
    sandbox.add_key("ttsai", "ttsai-saved-other", tier="starter")
    other = send(sandbox, client, "ttsai", "saved-voices.list", {}, key="ttsai-saved-other")
    assert_valid("ttsai", "saved-voices.list", other)
    assert [v["public_id"] for v in other.json()["voices"]] == ["uv_a1b2c3d4e5f6"]


@pytest.mark.parametrize(
    ("filename", "seconds", "fmt"),
    [
        ("short.wav", 4.0, "WAV"),
        ("long.wav", 31.0, "WAV"),
        ("short.flac", 3.0, "FLAC"),  # not WAV: the request model cannot measure it, the emulation decodes it
    ],
)
def test_saved_voice_duration_is_checked(
    sandbox: Sandbox, client: httpx.Client, key: str, filename: str, seconds: float, fmt: str
) -> None:
    upload = Upload(filename=filename, content=_tone(seconds, fmt), content_type="audio/" + fmt.lower())
    answer = send(
        sandbox,
        client,
        "ttsai",
        "saved-voices.upload",
        {"file": upload, "name": "Too short", "consent_confirmed": "true"},
        key=key,
    )
    assert_valid("ttsai", "saved-voices.upload", answer)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_request"
    assert "5" in answer.json()["error"]["message"] and "30" in answer.json()["error"]["message"]


def test_saved_voice_needs_consent(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    upload = Upload(filename="ok.wav", content=_tone(6.0), content_type="audio/wav")
    answer = send(
        sandbox,
        client,
        "ttsai",
        "saved-voices.upload",
        {"file": upload, "name": "No consent", "consent_confirmed": "false"},
        key=key,
    )
    assert_valid("ttsai", "saved-voices.upload", answer)
    assert answer.status_code == 400


def _fault_cases() -> list[tuple[str, int]]:
    from harness.core.registry import providers

    spec = providers()["ttsai"]
    return [
        (endpoint.key, status)
        for endpoint in spec.endpoints
        if endpoint.role is not Role.CALLBACK
        for status in endpoint.statuses
        if status >= 400
    ]


def test_every_documented_error_status_on_demand(sandbox: Sandbox, client: httpx.Client, key: str) -> None:
    spec = provider("ttsai")
    for endpoint_key, status in _fault_cases():
        endpoint = spec.endpoint(endpoint_key)
        path = endpoint.path.format(public_id="uv_a1b2c3d4e5f6", uuid="0" * 32)
        url = sandbox.base_url("ttsai", endpoint.host) + path
        answer = client.request(
            endpoint.method, url, headers={**auth_headers("ttsai", key), "X-Sandbox-Fault": f"http-{status}"}
        )
        assert answer.status_code == status, (endpoint_key, status, answer.text)
        assert answer.json()["error"]["code"] == ERROR_CODES[status]
        assert_valid("ttsai", endpoint_key, answer)


def test_unauthorized_answers_carry_rate_headers(sandbox: Sandbox, client: httpx.Client) -> None:
    for headers in ({}, {"Authorization": "Bearer sk-tts-wrong"}, {"Authorization": "sk-tts-no-scheme"}):
        answer = client.get(sandbox.base_url("ttsai", "api") + "/v1/models/", headers=headers)
        assert_valid("ttsai", "models.list", answer)
        assert answer.status_code == 401 and answer.json()["error"]["code"] == "unauthorized"


def test_the_example_voice_answers_to_its_id_after_deletion(sandbox: Sandbox, client: httpx.Client) -> None:
    sandbox.add_key("ttsai", "ttsai-example-key", tier="pro")
    deleted = send(
        sandbox, client, "ttsai", "saved-voices.delete", {"public_id": "uv_a1b2c3d4e5f6"}, key="ttsai-example-key"
    )
    assert_valid("ttsai", "saved-voices.delete", deleted)
    assert deleted.status_code == 200
    listed = send(sandbox, client, "ttsai", "saved-voices.list", {}, key="ttsai-example-key")
    assert_valid("ttsai", "saved-voices.list", listed)
    assert listed.json()["voices"] == []
    archived = send(
        sandbox, client, "ttsai", "saved-voices.archive", {}, key="ttsai-example-key", public_id="uv_a1b2c3d4e5f6"
    )
    assert_valid("ttsai", "saved-voices.archive", archived)
    assert archived.status_code == 200 and archived.json()["storage_status"] == "archived"
