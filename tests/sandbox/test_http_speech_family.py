"""The sandbox's imitation of the HTTP speech family, from a declaration alone, as a client meets it:
Google's base64 audio at `/audioContent` in the asked encoding and rate, every documented way its key
travels, its refusals in google.rpc's shape, its voices list; the engine's own refusals in the same shape."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import numpy as np

from harness.sandbox import Sandbox
from harness.speech import decode

TEXT = "The quick brown fox jumps over the lazy dog."


def _body(**config: Any) -> dict[str, Any]:
    return {
        "input": {"text": TEXT},
        "voice": {"languageCode": "en-US", "name": "en-US-Neural2-F"},
        "audioConfig": {"audioEncoding": "LINEAR16", **config},
    }


def _post(
    sandbox: Sandbox,
    client: httpx.Client,
    body: dict[str, Any],
    *,
    headers: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
    key: bool = True,
) -> httpx.Response:
    sent = {"x-goog-api-key": sandbox.default_key("google")} if key else {}
    return client.post(
        sandbox.base_url("google", "api") + "/v1/text:synthesize",
        json=body,
        headers={**sent, **(headers or {})},
        params=params,
    )


def test_linear16_comes_as_base64_wav_at_the_rate_asked(sandbox: Sandbox, client: httpx.Client) -> None:
    answer = _post(sandbox, client, _body(sampleRateHertz=16000))
    assert answer.status_code == 200, answer.text
    clip = decode(base64.b64decode(answer.json()["audioContent"]))
    assert clip.sample_rate == 16000
    assert float(np.sum(np.abs(clip.samples) > 0.02)) / 16000 > 0.5  # speech, not silence of the right length
    mulaw = _post(sandbox, client, {**_body(), "audioConfig": {"audioEncoding": "MULAW"}})
    assert base64.b64decode(mulaw.json()["audioContent"])[:4] == b"RIFF"  # "also contains a WAV file header"


def test_the_key_travels_in_every_documented_form(sandbox: Sandbox, client: httpx.Client) -> None:
    key = sandbox.default_key("google")
    assert _post(sandbox, client, _body(), params={"key": key}, key=False).status_code == 200
    assert _post(sandbox, client, _body(), headers={"Authorization": f"Bearer {key}"}, key=False).status_code == 200
    missing = _post(sandbox, client, _body(), key=False)
    assert missing.status_code == 401 and missing.json()["error"]["status"] == "UNAUTHENTICATED"
    wrong = _post(sandbox, client, _body(), headers={"x-goog-api-key": "not-a-key"}, key=False)
    assert wrong.status_code == 400
    assert wrong.json()["error"] == {
        "code": 400,
        "message": "API key not valid. Please pass a valid API key.",
        "status": "INVALID_ARGUMENT",
    }


def test_refusals_are_in_google_rpc_shape(sandbox: Sandbox, client: httpx.Client) -> None:
    unknown = _post(sandbox, client, {**_body(), "voice": {"languageCode": "en-US", "name": "en-US-Nobody-Z"}})
    assert unknown.status_code == 400 and "en-US-Nobody-Z" in unknown.json()["error"]["message"]
    out_of_range = _post(sandbox, client, _body(speakingRate=9.0))
    assert out_of_range.status_code == 400 and out_of_range.json()["error"]["status"] == "INVALID_ARGUMENT"
    faulted = _post(sandbox, client, _body(), headers={"X-Sandbox-Fault": "http-503"})
    assert faulted.status_code == 503 and faulted.json()["error"]["status"] == "UNAVAILABLE"
    assert faulted.json()["error"]["code"] == 503


def test_the_voices_list_is_the_declared_voices(sandbox: Sandbox, client: httpx.Client) -> None:
    answer = client.get(
        sandbox.base_url("google", "api") + "/v1/voices",
        params={"languageCode": "en-US"},
        headers={"x-goog-api-key": sandbox.default_key("google")},
    )
    assert answer.status_code == 200
    names = {voice["name"] for voice in answer.json()["voices"]}
    assert {"en-US-Neural2-F", "en-US-Chirp3-HD-Kore"} <= names and "fr-FR-Chirp3-HD-Kore" not in names
    french = client.get(
        sandbox.base_url("google", "api") + "/v1/voices",
        params={"languageCode": "fr-FR"},
        headers={"x-goog-api-key": sandbox.default_key("google")},
    )
    assert [voice["name"] for voice in french.json()["voices"]] == ["fr-FR-Chirp3-HD-Kore"]  # a locale's declared voice
    none = client.get(
        sandbox.base_url("google", "api") + "/v1/voices",
        params={"languageCode": "fy-NL"},
        headers={"x-goog-api-key": sandbox.default_key("google")},
    )
    assert none.json() == {"voices": []}


def _azure(sandbox: Sandbox, client: httpx.Client, ssml: str, fmt: str, **headers: str) -> httpx.Response:
    sent = {
        "Ocp-Apim-Subscription-Key": sandbox.default_key("azure"),
        "Content-Type": "application/ssml+xml",
        "X-Microsoft-OutputFormat": fmt,
        **headers,
    }
    return client.post(
        sandbox.base_url("azure", "tts") + "/cognitiveservices/v1",
        content=ssml.encode(),
        headers={k: v for k, v in sent.items() if v},
    )


SSML = (
    "<speak version='1.0' xml:lang='en-US'><voice xml:lang='en-US' xml:gender='Female' "
    "name='en-US-AvaMultilingualNeural'>I'm excited to try text to speech.</voice></speak>"
)


def test_azure_speaks_ssml_in_the_format_its_header_names(sandbox: Sandbox, client: httpx.Client) -> None:
    wav = _azure(sandbox, client, SSML, "riff-16khz-16bit-mono-pcm")
    assert wav.status_code == 200 and decode(wav.content).sample_rate == 16000
    raw = _azure(sandbox, client, SSML, "raw-8khz-8bit-mono-mulaw")
    assert raw.status_code == 200 and raw.content[:4] != b"RIFF" and len(raw.content) > 4000  # 1 byte a sample
    gap = _azure(sandbox, client, SSML, "amr-wb-16000hz")  # documented, but the sandbox cannot write it
    assert gap.status_code == 501


def test_azure_errors_have_no_body_and_a_token_stands_for_its_key(sandbox: Sandbox, client: httpx.Client) -> None:
    wrong = _azure(sandbox, client, SSML, "riff-24khz-16bit-mono-pcm", **{"Ocp-Apim-Subscription-Key": "nope"})
    assert wrong.status_code == 401 and wrong.content == b""
    broken = _azure(sandbox, client, "<speak>unclosed", "riff-24khz-16bit-mono-pcm")
    assert broken.status_code == 400 and broken.content == b""
    issued = client.post(
        sandbox.base_url("azure", "sts") + "/sts/v1.0/issueToken",
        headers={"Ocp-Apim-Subscription-Key": sandbox.default_key("azure")},
    )
    assert issued.status_code == 200 and sandbox.default_key("azure") not in issued.text
    by_token = _azure(
        sandbox,
        client,
        SSML,
        "riff-24khz-16bit-mono-pcm",
        **{"Ocp-Apim-Subscription-Key": "", "Authorization": f"Bearer {issued.text}"},
    )
    assert by_token.status_code == 200
    sandbox.advance(601)  # "Each access token is valid for 10 minutes."
    expired = _azure(
        sandbox,
        client,
        SSML,
        "riff-24khz-16bit-mono-pcm",
        **{"Ocp-Apim-Subscription-Key": "", "Authorization": f"Bearer {issued.text}"},
    )
    assert expired.status_code == 401
