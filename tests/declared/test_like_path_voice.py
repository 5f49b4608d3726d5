"""A providers file's server `like = "elevenlabs"` (issue 79): the voice travels in the path
(`/v1/text-to-speech/{voice_id}`), so a route no model of the table goes to (the stream, the routes with timing) is
still asked with the server's voice, and a server answering as the documents show passes every success plan, and
the shipped suite's in-range fuzz and success scenarios run by a team against it.

The server here is written in the test, independently of the sandbox: it knows one voice (`house-voice`), answers
404 `voice_not_found` for any other in the path, 422 for a body without `text`, the documented default format
(mp3_44100_128) unless `output_format` asks headerless PCM, and the routes with timing as JSON (one object, or one
a line on the stream) carrying base64 audio and the characters' times."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import numpy as np
import pytest

from harness.contracts import ContractTarget, PlanContext, plans_for, run_plan
from harness.contracts.targets import reference_upload
from harness.core import declared
from harness.core.spec import Provider
from harness.core.target import TargetKind
from harness.core.transport import build_request
from harness.speech import Clip, encode
from tests.helpers.child_pytest import pytest_command
from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.providers_file import parse_tables

REPO = Path(__file__).resolve().parents[2]
VOICE = "house-voice"
PREFIX = "/v1/text-to-speech/"
CONTEXT = PlanContext("https://voices.example.invalid/reference.wav", reference_upload())


def _clip(rate: int) -> Clip:
    seconds = np.arange(int(rate * 0.4)) / rate
    return Clip((0.3 * np.sin(2 * np.pi * 220.0 * seconds)).astype(np.float32), rate)


def _audio(output_format: str) -> tuple[bytes, str]:
    """The bytes of `output_format` (pcm_<rate>, else the documented default mp3 at 44.1 kHz) and their type."""
    if output_format.startswith("pcm_"):
        rate = int(output_format.split("_")[1])
        samples = (_clip(rate).samples * 32767).astype("<i2")
        return samples.tobytes(), f"audio/pcm;rate={rate}"
    return encode(_clip(44100), "mp3"), "audio/mpeg"


def _alignment(text: str) -> dict[str, Any]:
    step = 0.4 / max(len(text), 1)
    return {
        "characters": list(text),
        "character_start_times_seconds": [i * step for i in range(len(text))],
        "character_end_times_seconds": [(i + 1) * step for i in range(len(text))],
    }


class _ElevenLike(QuietHandler):
    protocol_version = "HTTP/1.1"

    def _json(self, status: int, body: object, kind: str = "application/json") -> None:
        self.answer(status, json.dumps(body).encode(), {"Content-Type": kind})

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        url = urlsplit(self.path)
        if not url.path.startswith(PREFIX):
            return self._json(404, {"detail": {"status": "not_found", "message": url.path}})
        voice, _, route = url.path[len(PREFIX) :].partition("/")
        if voice != VOICE:
            return self._json(
                404,
                {
                    "detail": {
                        "status": "voice_not_found",
                        "message": f"A voice with the voice_id {voice} was not found.",
                    }
                },
            )
        body = json.loads(raw or b"{}")
        if not body.get("text"):
            return self._json(422, {"detail": [{"loc": ["body", "text"], "msg": "Field required", "type": "missing"}]})
        audio, kind = _audio(parse_qs(url.query).get("output_format", ["mp3_44100_128"])[0])
        timed = {
            "audio_base64": base64.b64encode(audio).decode(),
            "alignment": _alignment(body["text"]),
            "normalized_alignment": _alignment(body["text"]),
        }
        if route in ("", "stream"):
            return self.answer(200, audio, {"Content-Type": kind})
        if route == "with-timestamps":
            return self._json(200, timed)
        if route == "stream/with-timestamps":
            return self.answer(200, json.dumps(timed).encode() + b"\n", {"Content-Type": "application/x-ndjson"})
        return self._json(404, {"detail": {"status": "not_found", "message": url.path}})


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    box = LoopbackServer(_ElevenLike)
    try:
        yield box
    finally:
        box.close()


def _table(url: str) -> str:
    return (
        f'\n[providers.selfhosted]\nlike = "elevenlabs"\nbase_url = "{url}"\nauth = "none"\n'
        f'models = ["eleven_flash_v2_5"]\nvoices = ["{VOICE}"]\n'
    )


def _declared(url: str) -> Provider:
    (provider,) = parse_tables(_table(url))
    return provider


def test_every_route_of_a_server_like_elevenlabs_is_asked_with_the_voice_in_its_path(server: LoopbackServer) -> None:
    provider = _declared(server.url)
    routes = {endpoint.key for endpoint in provider.endpoints}
    assert {"tts.stream", "tts.with-timestamps", "tts.stream-with-timestamps"} <= routes
    plans = [plan for plan in plans_for(provider) if plan.label == "200-success"]
    assert {plan.endpoint for plan in plans} == routes
    for plan in plans:
        endpoint = provider.endpoint(plan.endpoint)
        payload = plan.payload(CONTEXT)
        request = build_request(provider, endpoint, server.url, payload, path_params=plan.path_params)
        assert request.url.path.startswith(f"{PREFIX}{VOICE}"), (plan.name, str(request.url))


def test_a_server_answering_as_elevenlabs_documents_passes_every_success_plan(server: LoopbackServer) -> None:
    provider = _declared(server.url)
    target = ContractTarget(
        kind=TargetKind.URL, base_urls={(provider.name, host): url for host, url in provider.hosts.items()}
    )
    plans = [plan for plan in plans_for(provider) if plan.label == "200-success"]
    with httpx.Client(timeout=30.0, trust_env=False) as client:
        failures = {
            plan.name: [str(v) for v in outcome.violations]
            for plan in plans
            if (outcome := run_plan(provider, plan, target, client)).violations
        }
    assert len(plans) == 4 and not failures, failures


def test_the_shipped_suite_passes_a_server_like_elevenlabs(server: LoopbackServer, tmp_path: Path) -> None:
    """The tests the issue named, as a team runs them: the in-range fuzz and the success scenarios of every route
    (before: 24 of them failed, `parameter 'voice_id' is required`)."""
    path = tmp_path / "tts-harness.toml"
    path.write_text(_table(server.url), encoding="utf-8")
    env = {**os.environ, declared.FILE_ENV: str(path)}
    ran = subprocess.run(
        pytest_command(
            "contracts/test_fuzz.py",
            "contracts/test_scenarios.py",
            "--tts-target",
            server.url,
            "-q",
            "-rA",
            "-k",
            "selfhosted and (200-success or in_range)",
        ),
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ran.returncode == 0 and not re.search(r"\b[1-9]\d* (failed|errors?)\b", ran.stdout), ran.stdout[-3000:]
    for route in ("stream", "with-timestamps", "stream-with-timestamps"):
        assert f"PASSED contracts/test_scenarios.py::test_contract[selfhosted/tts.{route}/200-success]" in ran.stdout
        assert (
            f"PASSED contracts/test_fuzz.py::test_in_range_values_build_valid_requests[selfhosted/tts.{route}/"
            in ran.stdout
        ), ran.stdout[-3000:]
