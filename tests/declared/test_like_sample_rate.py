"""A `like` table's `sample_rate` (issue 79) reaches the requests of a server whose documents take the rate in the
request: Cartesia's `output_format.sample_rate` (required: a request without it is refused) and Deepgram's
`sample_rate` query parameter (optional: without it the answer is at the documented 24 kHz default). A server
answering at the declared 16 kHz, as asked, passes every success plan with no finding about its rate.

The two servers are written here, independently of the sandbox, each answering as its documents show: Cartesia's
/tts/bytes a WAV file and /tts/sse events of base64 headerless PCM at the asked rate; Deepgram's /v1/speak a WAV
file at the asked rate (24 kHz when none is asked). The success plans and the 16-bit PCM format plans run against
them: the format plans hold the answer's rate to the declared one."""

from __future__ import annotations

import base64
import io
import json
import wave
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import httpx
import numpy as np
import pytest

from harness.contracts import ContractTarget, PlanContext, plans_for, run_plan
from harness.contracts.targets import reference_upload
from harness.core.spec import Provider
from harness.core.target import TargetKind
from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.providers_file import parse_tables

CONTEXT = PlanContext("https://voices.example.invalid/reference.wav", reference_upload())
DEEPGRAM_DEFAULT_RATE = 24000  # "sample_rate ... Default: 24000" for linear16


def _pcm(rate: int) -> bytes:
    seconds = np.arange(int(rate * 0.5)) / rate
    return (0.3 * np.sin(2 * np.pi * 220.0 * seconds) * 32767).astype("<i2").tobytes()


def _wav(rate: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(_pcm(rate))
    return out.getvalue()


class _Recording(QuietHandler):
    protocol_version = "HTTP/1.1"
    # (path, body, query) of every request, per server class: the fixture empties it
    asked: ClassVar[list[tuple[str, dict[str, Any], dict[str, list[str]]]]] = []

    def _read(self) -> tuple[str, dict[str, Any], dict[str, list[str]]]:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        url = urlsplit(self.path)
        seen = (url.path, json.loads(raw or b"{}"), parse_qs(url.query))
        self.asked.append(seen)
        return seen

    def _json(self, status: int, body: object) -> None:
        self.answer(status, json.dumps(body).encode(), {"Content-Type": "application/json"})


class _CartesiaLike(_Recording):
    def do_POST(self) -> None:
        path, body, _ = self._read()
        rate = (body.get("output_format") or {}).get("sample_rate")
        if not isinstance(rate, int):
            return self._json(400, {"error": "output_format.sample_rate is required", "status_code": 400})
        if path == "/tts/bytes":
            return self.answer(200, _wav(rate), {"Content-Type": "audio/wav"})
        if path == "/tts/sse":
            chunk = {
                "type": "chunk",
                "done": False,
                "status_code": 206,
                "context_id": "c1",
                "data": base64.b64encode(_pcm(rate)).decode(),
            }
            done = {"type": "done", "done": True, "status_code": 200, "context_id": "c1"}
            events = b"".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in (chunk, done))
            return self.answer(200, events, {"Content-Type": "text/event-stream"})
        return self._json(404, {"error": f"no route {path}", "status_code": 404})


class _DeepgramLike(_Recording):
    def do_POST(self) -> None:
        path, body, query = self._read()
        if path != "/v1/speak" or not body.get("text"):
            return self._json(400, {"err_code": "INVALID_QUERY_PARAMETER", "err_msg": "bad request"})
        rate = int(query.get("sample_rate", [DEEPGRAM_DEFAULT_RATE])[0])
        return self.answer(200, _wav(rate), {"Content-Type": "audio/wav"})


@pytest.fixture
def cartesia() -> Iterator[LoopbackServer]:
    _CartesiaLike.asked = []
    box = LoopbackServer(_CartesiaLike)
    try:
        yield box
    finally:
        box.close()


@pytest.fixture
def deepgram() -> Iterator[LoopbackServer]:
    _DeepgramLike.asked = []
    box = LoopbackServer(_DeepgramLike)
    try:
        yield box
    finally:
        box.close()


def _declared(like: str, url: str) -> Provider:
    (provider,) = parse_tables(
        f'\n[providers.my{like}]\nlike = "{like}"\nbase_url = "{url}"\nauth = "none"\nsample_rate = 16000\n'
    )
    return provider


def _plans(provider: Provider, labels: set[str]) -> dict[str, list[str]]:
    """The violations of each plan of `labels` (the success plans, and the format plans of the 16-bit PCM these
    servers speak, which hold the answer's rate to the format's), sent to the provider's own hosts."""
    target = ContractTarget(
        kind=TargetKind.URL, base_urls={(provider.name, host): url for host, url in provider.hosts.items()}
    )
    plans = [plan for plan in plans_for(provider) if plan.label in labels]
    assert plans
    with httpx.Client(timeout=30.0, trust_env=False) as client:
        return {plan.name: [str(v) for v in run_plan(provider, plan, target, client).violations] for plan in plans}


def test_a_server_like_cartesia_at_16_khz_is_asked_16000_and_passes(cartesia: LoopbackServer) -> None:
    outcomes = _plans(_declared("cartesia", cartesia.url), {"200-success", "200-format-wav_pcm_s16le"})
    assert set(outcomes) == {
        "mycartesia/tts.bytes/200-success",
        "mycartesia/tts.bytes/200-format-wav_pcm_s16le",
        "mycartesia/tts.sse/200-success",
    }
    assert not any(outcomes.values()), outcomes
    assert sorted((path, body["output_format"]["sample_rate"]) for path, body, _ in _CartesiaLike.asked) == [
        ("/tts/bytes", 16000),
        ("/tts/bytes", 16000),
        ("/tts/sse", 16000),
    ]


def test_a_server_like_deepgram_at_16_khz_is_asked_16000_and_passes(deepgram: LoopbackServer) -> None:
    """Without the rate in the request the server answers its 24 kHz default, and the format plan held the clean
    server to 16 kHz: "expected 16000 Hz, got 24000 Hz"."""
    outcomes = _plans(_declared("deepgram", deepgram.url), {"200-success", "200-format-linear16"})
    assert outcomes == {"mydeepgram/speak.request/200-success": [], "mydeepgram/speak.request/200-format-linear16": []}
    assert [(path, query.get("sample_rate")) for path, _, query in _DeepgramLike.asked] == [
        ("/v1/speak", ["16000"]),
        ("/v1/speak", ["16000"]),
    ]
