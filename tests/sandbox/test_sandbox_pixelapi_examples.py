"""PixelAPI's documented curl examples (voice design and voice cloning) against the sandbox, and the
documented checks on reference uploads."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import soundfile

from harness.core.spec import Upload
from harness.providers.pixelapi.models import MSG_REF_TOO_LARGE, MSG_TEXT_EMPTY, REF_MAX_BYTES
from harness.sandbox import Sandbox
from harness.speech import decode
from tests.helpers.sandbox_http import assert_valid, run_curl, send, settle, voices

# Verbatim from shared/api-docs 002.
DESIGN_CURL = """curl -X POST https://api.pixelapi.dev/v1/tts/generate \\
-H "Authorization: Bearer YOUR_API_KEY" \\
-F "text=Hello, welcome to our store. We have great deals today." \\
-F "language=en" \\
-F "voice_description=warm, professional male narrator\""""
STATUS_CURL = """curl https://api.pixelapi.dev/v1/tts/status/UUID \\
-H "Authorization: Bearer YOUR_API_KEY\""""
CLONE_CURL = """curl -X POST https://api.pixelapi.dev/v1/tts/generate \\
-H "Authorization: Bearer YOUR_API_KEY" \\
-F "text=This script will be read in my cloned voice." \\
-F "language=en" \\
-F "voice_ref=@my_voice_sample.wav\""""


def _replace(sb: Sandbox) -> dict[str, str]:
    return {"https://api.pixelapi.dev": sb.base_url("pixelapi", "api"), "YOUR_API_KEY": sb.default_key("pixelapi")}


def _example(sb: Sandbox, client: httpx.Client, curl: str) -> tuple[dict[str, Any], bytes]:
    reference = {"my_voice_sample.wav": voices / "joe_reference.wav"}
    submitted = run_curl(client, curl, _replace(sb), files=reference)
    assert submitted.status_code == 200, submitted.text
    assert_valid("pixelapi", "tts.generate", submitted)
    job = submitted.json()
    assert job["status"] == "queued"
    settle(sb, job["id"])
    status = run_curl(client, STATUS_CURL, {**_replace(sb), "UUID": job["id"]})
    assert_valid("pixelapi", "tts.status", status)
    body = status.json()
    assert body["status"] == "completed", body
    assert body["output_url"].startswith(sb.url + "/pixelapi/cdn/")
    audio = client.get(body["output_url"])
    assert audio.status_code == 200
    return job, audio.content


def test_voice_design_example(sandbox: Sandbox, client: httpx.Client) -> None:
    job, audio = _example(sandbox, client, DESIGN_CURL)
    assert job["credits_used"] == 50.0
    clip = decode(audio)
    assert clip.sample_rate == 16_000 and clip.duration_s > 1.0


def test_voice_clone_example(sandbox: Sandbox, client: httpx.Client) -> None:
    job, audio = _example(sandbox, client, CLONE_CURL)
    assert job["credits_used"] == 100.0
    assert decode(audio).duration_s > 1.0


def test_design_and_clone_are_charged_their_prices(sandbox: Sandbox, client: httpx.Client) -> None:
    sandbox.add_key("pixelapi", "pricing-key", balance=Decimal("1"))
    send(sandbox, client, "pixelapi", "tts.generate", {"text": "Hello there."}, key="pricing-key")
    assert sandbox.balance("pixelapi", "pricing-key") == Decimal("0.95")
    reference = Upload(
        filename="ref.wav", content=(voices / "joe_reference.wav").read_bytes(), content_type="audio/wav"
    )
    send(
        sandbox, client, "pixelapi", "tts.generate", {"text": "Hello there.", "voice_ref": reference}, key="pricing-key"
    )
    assert sandbox.balance("pixelapi", "pricing-key") == Decimal("0.85")


def _wav(seconds: float, rate: int) -> bytes:
    buffer = io.BytesIO()
    t = np.arange(int(seconds * rate)) / rate
    soundfile.write(buffer, 0.3 * np.sin(2 * np.pi * 220 * t), rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def _clone(sb: Sandbox, client: httpx.Client, content: bytes, text: str = "Clone me.") -> httpx.Response:
    upload = Upload(filename="ref.wav", content=content, content_type="audio/wav")
    return send(
        sb, client, "pixelapi", "tts.generate", {"text": text, "voice_ref": upload}, key=sb.default_key("pixelapi")
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (lambda voices: (voices / "joe_short.wav").read_bytes(), "at least 5 seconds"),
        (lambda voices: _wav(6.0, 8000), "16 kHz or higher"),
        (lambda voices: _wav(REF_MAX_BYTES / 2 / 16000 + 1, 16000), MSG_REF_TOO_LARGE),
        (lambda voices: b"RIFF this is not audio at all" * 100, "WAV or MP3"),
    ],
    ids=["too-short", "low-sample-rate", "too-large", "not-audio"],
)
def test_reference_upload_is_checked_as_documented(
    sandbox: Sandbox, client: httpx.Client, content: Any, message: str
) -> None:
    response = _clone(sandbox, client, content(Path(voices)))
    assert response.status_code == 400
    assert_valid("pixelapi", "tts.generate", response)
    assert message in response.json()["detail"]


@pytest.mark.parametrize(("text", "message"), [("", MSG_TEXT_EMPTY), ("   ", MSG_TEXT_EMPTY), ("x" * 501, "text")])
def test_text_is_checked_as_documented(sandbox: Sandbox, client: httpx.Client, text: str, message: str) -> None:
    response = send(sandbox, client, "pixelapi", "tts.generate", {"text": text}, key=sandbox.default_key("pixelapi"))
    assert response.status_code == 400
    assert_valid("pixelapi", "tts.generate", response)
    assert message in response.json()["detail"]


def test_out_of_range_parameters_are_refused(sandbox: Sandbox, client: httpx.Client) -> None:
    response = send(
        sandbox,
        client,
        "pixelapi",
        "tts.generate",
        {"text": "Hi.", "cfg_value": "9", "inference_timesteps": "2"},
        key=sandbox.default_key("pixelapi"),
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "cfg_value" in detail and "0.5–5.0" in detail and "inference_timesteps" in detail


def test_clone_follows_the_reference_voice(sandbox: Sandbox, client: httpx.Client) -> None:
    text = "Each clone should sound like its own reference."
    durations = []
    for name in ("joe_reference.wav", "espeak_reference.wav"):
        response = _clone(sandbox, client, (voices / name).read_bytes(), text)
        assert response.status_code == 200, response.text
        settle(sandbox, response.json()["id"])
        status = send(
            sandbox, client, "pixelapi", "tts.status", {}, key=sandbox.default_key("pixelapi"), id=response.json()["id"]
        ).json()
        durations.append(decode(client.get(status["output_url"]).content).duration_s)
    assert abs(durations[0] - durations[1]) > 0.05, durations
