"""The Pixazo documents' own curl examples, run against the sandbox (host replaced, key set), end in
decodable audio; every answer satisfies the spec; the four models sound measurably different."""

from __future__ import annotations

import httpx
import numpy as np
import pytest

from harness.sandbox import Sandbox
from harness.speech import Clip, decode
from tests.helpers.sandbox_http import assert_valid, run_curl, settle

# Verbatim from shared/api-docs 000 (XTTS), 001 (Chatterbox) and 004 (VibeVoice, VibeVoice-Realtime).
SUBMIT_CURLS = {
    "xtts-v2.generate": """curl -v -X POST "https://gateway.pixazo.ai/voice-clone/v1/xtts-v2/generate" \\
-H "Content-Type: application/json" \\
-H "Cache-Control: no-cache" \\
-H "Ocp-Apim-Subscription-Key: YOUR_SUBSCRIPTION_KEY" \\
--data-raw '{
"speaker": "https://pub-582b7213209642b9b995c96c95a30381.r2.dev/male.wav",
"text": "Hello! Welcome to our voice cloning service.",
"language": "en"
}'""",
    "chatterbox.generate": """curl -X POST "https://gateway.pixazo.ai/chatterbox-text-to-speech/v1/chatterbox-text-to-speech-request" \\
  -H "Content-Type: application/json" \\
  -H "Cache-Control: no-cache" \\
  -H "Ocp-Apim-Subscription-Key: YOUR_SUBSCRIPTION_KEY" \\
  --data-raw '{
    "text": "Hello world, this is a test of the Chatterbox text to speech model.",
    "audio_url": "https://storage.googleapis.com/chatterbox-demo-samples/prompts/male_rickmorty.mp3",
    "exaggeration": 0.25,
    "temperature": 0.7,
    "cfg": 0.5
  }'""",  # noqa: E501 (verbatim)
    "vibevoice.generate": """curl -v -X POST "https://gateway.pixazo.ai/vibevoice/v1/vibevoice/generateRequest" \\
-H "Content-Type: application/json" \\
-H "Cache-Control: no-cache" \\
-H "Ocp-Apim-Subscription-Key: YOUR_SUBSCRIPTION_KEY" \\
--data-raw '{
  "script": "Speaker 0: Hello, this is a test of the VibeVoice API.",
  "speakers": [
    {
      "preset": "Alice [EN]"
    }
  ]
}'""",
    "vibevoice-realtime.generate": """curl -X POST "https://gateway.pixazo.ai/vibevoice-realtime-0-5b-135/v1/vibevoice-realtime-0-5b-request" \\
  -H "Content-Type: application/json" \\
  -H "Cache-Control: no-cache" \\
  -H "Ocp-Apim-Subscription-Key: YOUR_SUBSCRIPTION_KEY" \\
  --data-raw '{
    "script": "Speaker 0: Hello, this is Frank.\\\\nSpeaker 1: And I am Carter.",
    "speakers": [
      {
        "preset": "Frank [EN]"
      },
      {
        "preset": "Carter [EN]"
      }
    ]
  }'""",  # noqa: E501 (verbatim)
}
STATUS_CURL = """curl -H "Ocp-Apim-Subscription-Key: YOUR_API_KEY" \\
  "https://gateway.pixazo.ai/v2/requests/status/REQUEST_ID\""""


def _replacements(sb: Sandbox) -> dict[str, str]:
    return {
        "https://gateway.pixazo.ai": sb.base_url("pixazo", "gateway"),
        "YOUR_SUBSCRIPTION_KEY": sb.default_key("pixazo"),
        "YOUR_API_KEY": sb.default_key("pixazo"),
        # The documents' reference recordings live on the internet; the sandbox serves its own.
        "https://pub-582b7213209642b9b995c96c95a30381.r2.dev/male.wav": sb.voice_url("joe_reference.wav"),
        "https://storage.googleapis.com/chatterbox-demo-samples/prompts/male_rickmorty.mp3": sb.voice_url(
            "espeak_reference.wav"
        ),
    }


def _run_example(sb: Sandbox, client: httpx.Client, endpoint_key: str) -> tuple[dict[str, object], bytes]:
    submitted = run_curl(client, SUBMIT_CURLS[endpoint_key], _replacements(sb))
    assert submitted.status_code == 202, submitted.text
    assert_valid("pixazo", endpoint_key, submitted)
    accepted = submitted.json()
    assert accepted["status"] == "QUEUED"
    assert accepted["polling_url"].startswith(sb.base_url("pixazo", "gateway") + "/v2/requests/status/")
    settle(sb, accepted["request_id"])
    status_response = run_curl(client, STATUS_CURL, {**_replacements(sb), "REQUEST_ID": accepted["request_id"]})
    assert_valid("pixazo", "requests.status", status_response)
    status = status_response.json()
    assert status["status"] == "COMPLETED", status
    media_url = status["output"]["media_url"][0]
    assert media_url.startswith(sb.url + "/pixazo/cdn/")
    audio = client.get(media_url)
    assert audio.status_code == 200
    return status, audio.content


@pytest.mark.parametrize("endpoint_key", sorted(SUBMIT_CURLS))
def test_documented_curl_example_downloads_decodable_audio(
    sandbox: Sandbox, client: httpx.Client, endpoint_key: str
) -> None:
    _, audio = _run_example(sandbox, client, endpoint_key)
    clip = decode(audio)
    assert clip.sample_rate == 24_000
    assert clip.duration_s > 0.8
    assert clip.peak > 0.1


def test_polling_url_is_the_status_endpoint(sandbox: Sandbox, client: httpx.Client) -> None:
    submitted = run_curl(client, SUBMIT_CURLS["vibevoice.generate"], _replacements(sandbox)).json()
    polled = client.get(submitted["polling_url"], headers={"Ocp-Apim-Subscription-Key": sandbox.default_key("pixazo")})
    assert polled.status_code == 200
    assert polled.json()["request_id"] == submitted["request_id"]


SAME_TEXT = "The quick brown fox jumps over the lazy dog near the quiet river."


def _render(sb: Sandbox, client: httpx.Client, path: str, body: dict[str, object]) -> bytes:
    headers = {"Ocp-Apim-Subscription-Key": sb.default_key("pixazo")}
    submitted = client.post(sb.base_url("pixazo", "gateway") + path, json=body, headers=headers)
    assert submitted.status_code == 202, submitted.text
    settle(sb, submitted.json()["request_id"])
    status = client.get(submitted.json()["polling_url"], headers=headers).json()
    assert status["status"] == "COMPLETED", status
    return client.get(status["output"]["media_url"][0]).content


def test_models_sound_measurably_different(sandbox: Sandbox, client: httpx.Client) -> None:
    xtts = decode(
        _render(
            sandbox,
            client,
            "/voice-clone/v1/xtts-v2/generate",
            {"speaker": sandbox.voice_url("joe_reference.wav"), "text": SAME_TEXT},
        )
    )
    chatterbox = decode(
        _render(sandbox, client, "/chatterbox-text-to-speech/v1/chatterbox-text-to-speech-request", {"text": SAME_TEXT})
    )
    vibevoice = decode(
        _render(
            sandbox,
            client,
            "/vibevoice/v1/vibevoice/generateRequest",
            {"script": f"Speaker 0: {SAME_TEXT}", "speakers": [{"preset": "Carter [EN]"}]},
        )
    )
    realtime = decode(
        _render(
            sandbox,
            client,
            "/vibevoice-realtime-0-5b-135/v1/vibevoice-realtime-0-5b-request",
            {"script": f"Speaker 0: {SAME_TEXT}", "speakers": [{"preset": "Frank [EN]"}]},
        )
    )
    durations = {
        "xtts": xtts.duration_s,
        "chatterbox": chatterbox.duration_s,
        "vibevoice": vibevoice.duration_s,
        "realtime": realtime.duration_s,
    }
    # Chatterbox speaks faster than XTTS, VibeVoice slower; the degraded realtime model is telephone-band.
    assert durations["chatterbox"] < durations["xtts"] * 0.97, durations
    assert durations["vibevoice"] > durations["xtts"] * 1.02, durations
    # Above its 4 kHz telephone band (Frank is the unshifted voice) the realtime model has next to nothing.
    highs = {
        name: _share_above(clip, 4100.0)
        for name, clip in (("xtts", xtts), ("chatterbox", chatterbox), ("vibevoice", vibevoice), ("realtime", realtime))
    }
    assert all(highs["realtime"] < 0.01 * share for name, share in highs.items() if name != "realtime"), highs


def _share_above(clip: Clip, hz: float) -> float:
    power = np.abs(np.fft.rfft(clip.samples)) ** 2
    return float(power[np.fft.rfftfreq(len(clip.samples), 1 / clip.sample_rate) > hz].sum() / power.sum())


def test_vibevoice_script_is_spoken_line_by_line(sandbox: Sandbox, client: httpx.Client) -> None:
    path = "/vibevoice/v1/vibevoice/generateRequest"
    first, second = "Hello, this is Frank speaking now.", "And I am Carter, answering him."
    both = decode(
        _render(
            sandbox,
            client,
            path,
            {
                "script": f"Speaker 0: {first}\nSpeaker 1: {second}",
                "speakers": [{"preset": "Frank [EN]"}, {"preset": "Carter [EN]"}],
            },
        )
    )
    alone_first = decode(
        _render(sandbox, client, path, {"script": f"Speaker 0: {first}", "speakers": [{"preset": "Frank [EN]"}]})
    )
    alone_second = decode(
        _render(sandbox, client, path, {"script": f"Speaker 0: {second}", "speakers": [{"preset": "Carter [EN]"}]})
    )
    expected = alone_first.duration_s + alone_second.duration_s + 0.25  # the engine's pause between lines
    assert abs(both.duration_s - expected) < 0.01 * expected
    # Each line in its own speaker's voice: the dialogue starts with exactly Frank's rendering.
    head = len(alone_first.samples)
    assert abs(both.samples[:head] - alone_first.samples).max() < 2e-3


def test_cloning_reference_selects_the_voice(sandbox: Sandbox, client: httpx.Client) -> None:
    path = "/voice-clone/v1/xtts-v2/generate"
    text = "A cloned voice should follow its reference recording."
    joe = decode(_render(sandbox, client, path, {"speaker": sandbox.voice_url("joe_reference.wav"), "text": text}))
    espeak = decode(
        _render(sandbox, client, path, {"speaker": sandbox.voice_url("espeak_reference.wav"), "text": text})
    )
    assert abs(joe.duration_s - espeak.duration_s) > 0.05 or len(joe.samples) != len(espeak.samples)
