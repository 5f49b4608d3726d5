"""Validation errors as documented: ranges from the spec's request models (via `check_request`), bodies
that are not JSON, unknown ids and paths — each in the provider's error shape."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from harness.sandbox import Sandbox
from tests.helpers.sandbox_http import assert_valid, auth_headers, send

GATEWAY_CASES = [
    ("chatterbox.generate", {"text": ""}, "'text'"),
    ("chatterbox.generate", {"text": "Hi", "exaggeration": 1.5}, "0.0–1.0"),
    ("chatterbox.generate", {"text": "Hi", "temperature": 0.05}, "0.1–1.0"),
    ("chatterbox.generate", {"text": "Hi", "cfg": 2.5}, "0.0–2.0"),
    ("chatterbox.generate", {"text": "Hi", "exaggeration": "0.5"}, "exaggeration"),  # JSON carries types
    ("xtts-v2.generate", {"text": "No speaker."}, "'speaker' is required"),
    ("xtts-v2.generate", {"speaker": "http://127.0.0.1/x.wav", "language": "xx"}, "language"),
    ("vibevoice.generate", {"script": "Speaker 2: Hi", "speakers": [{"preset": "Alice [EN]"}]}, "Speaker 2"),
    ("vibevoice-realtime.generate", {"script": "No prefix here", "speakers": [{"preset": "Frank [EN]"}]}, "Speaker X:"),
]


@pytest.mark.parametrize(
    ("endpoint_key", "body", "mentions"), GATEWAY_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(GATEWAY_CASES)]
)
def test_out_of_range_requests_are_400(
    sandbox: Sandbox, client: httpx.Client, endpoint_key: str, body: dict[str, Any], mentions: str
) -> None:
    response = send(sandbox, client, "pixazo", endpoint_key, body, key=sandbox.default_key("pixazo"))
    assert response.status_code == 400
    assert_valid("pixazo", endpoint_key, response)
    assert response.json()["error"] == "Bad Request"
    assert mentions in response.json()["message"]


def test_an_undocumented_parameter_is_accepted_and_recorded(sandbox: Sandbox, client: httpx.Client) -> None:
    """Pixazo's documents list Chatterbox's parameters and say nothing of others: a request with one more is
    accepted, as the provider may accept it, and the sandbox records the finding (before: a 400 the documents
    never showed; tests/sandbox/test_unknown_input.py has the rule)."""
    response = send(
        sandbox,
        client,
        "pixazo",
        "chatterbox.generate",
        {"text": "Hi", "voice": "x"},
        key=sandbox.default_key("pixazo"),
    )
    assert response.status_code < 300, response.text
    assert_valid("pixazo", "chatterbox.generate", response)
    findings = client.get(sandbox.url + "/_sandbox/findings").json()
    assert any(f["provider"] == "pixazo" and f["field"] == "voice" for f in findings), findings


# What the documents only recommend is no reason for a 400: "max 500 characters recommended",
# cfg_scale "Range typically 1.0–2.0", and the four speakers of a sentence in an example script.
BEYOND_RECOMMENDATIONS = [
    ("xtts-v2.generate", {"speaker": "http://127.0.0.1/x.wav", "text": "x " * 300}),
    ("vibevoice.generate", {"script": "Speaker 0: Hi", "cfg_scale": 3.0}),
    ("vibevoice.generate", {"script": "Speaker 0: Hi", "speakers": [{"preset": "Alice [EN]"}] * 5}),
]


@pytest.mark.parametrize(
    ("endpoint_key", "body"), BEYOND_RECOMMENDATIONS, ids=[f"{c[0]}-{i}" for i, c in enumerate(BEYOND_RECOMMENDATIONS)]
)
def test_beyond_a_recommendation_is_accepted(
    sandbox: Sandbox, client: httpx.Client, endpoint_key: str, body: dict[str, Any]
) -> None:
    response = send(sandbox, client, "pixazo", endpoint_key, body, key=sandbox.default_key("pixazo"))
    assert response.status_code == 202, response.text
    assert_valid("pixazo", endpoint_key, response)


@pytest.mark.parametrize("raw", [b"{not json", b"", b"[1, 2]"])
def test_unparseable_bodies_are_400(sandbox: Sandbox, client: httpx.Client, raw: bytes) -> None:
    url = sandbox.base_url("pixazo", "gateway") + "/chatterbox-text-to-speech/v1/chatterbox-text-to-speech-request"
    response = client.post(
        url,
        content=raw,
        headers={**auth_headers("pixazo", sandbox.default_key("pixazo")), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert_valid("pixazo", "chatterbox.generate", response)


def test_unknown_request_id_is_404(sandbox: Sandbox, client: httpx.Client) -> None:
    response = send(
        sandbox,
        client,
        "pixazo",
        "requests.status",
        {},
        key=sandbox.default_key("pixazo"),
        request_id="xtts-v2-api_00000000-0000-0000-0000-000000000000",
    )
    assert response.status_code == 404
    assert_valid("pixazo", "requests.status", response)


def test_unknown_generation_id_is_404(sandbox: Sandbox, client: httpx.Client) -> None:
    response = send(
        sandbox,
        client,
        "pixelapi",
        "tts.status",
        {},
        key=sandbox.default_key("pixelapi"),
        id="00000000-0000-0000-0000-000000000000",
    )
    assert response.status_code == 404
    assert_valid("pixelapi", "tts.status", response)


def test_unknown_path_and_wrong_method(sandbox: Sandbox, client: httpx.Client) -> None:
    base = sandbox.base_url("pixazo", "gateway")
    headers = auth_headers("pixazo", sandbox.default_key("pixazo"))
    unknown = client.post(base + "/no-such-model/v1/generate", json={}, headers=headers)
    assert unknown.status_code == 404 and set(unknown.json()) == {"error", "message"}
    wrong = client.get(base + "/voice-clone/v1/xtts-v2/generate", headers=headers)
    assert wrong.status_code == 405 and wrong.headers["Allow"] == "POST"
    missing_media = client.get(sandbox.url + "/pixazo/cdn/v1/nothing/output.wav")
    assert missing_media.status_code == 404


def test_documented_paths_work_only_beneath_the_mount(sandbox: Sandbox, client: httpx.Client) -> None:
    response = client.post(sandbox.url + "/voice-clone/v1/xtts-v2/generate", json={})
    assert response.status_code == 404
