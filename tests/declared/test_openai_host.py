"""The sandbox's generic OpenAI-compatible host, as a client meets it (beyond the protocol checks that
`test_two_providers` runs against it): errors in the protocol's words, wallets, voices, both stream forms."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx

from harness.sandbox import empty_key


def _post(servers: Any, body: dict[str, Any], key: str | None = None) -> httpx.Response:
    headers = {} if key == "" else {"Authorization": f"Bearer {key or servers.sandbox.default_key('hosted')}"}
    base = {"model": "tts-1", "input": "Declared providers speak here.", "voice": "alloy"}
    return httpx.post(f"{servers.hosted_url}/audio/speech", json={**base, **body}, headers=headers, timeout=120)


def test_errors_carry_the_four_keys_in_the_protocols_words(declared_servers: Any) -> None:
    unknown_model = _post(declared_servers, {"model": "tts-9"})
    assert unknown_model.status_code == 404
    assert unknown_model.json()["error"] | {"message": ""} == {
        "message": "",
        "type": "invalid_request_error",
        "param": "model",
        "code": "model_not_found",
    }
    missing_key = _post(declared_servers, {}, key="")
    assert missing_key.status_code == 401
    assert set(missing_key.json()["error"]) == {"message", "type", "param", "code"}
    too_long = _post(declared_servers, {"input": "x" * 4097})
    assert too_long.status_code == 400
    assert (too_long.json()["error"]["param"], too_long.json()["error"]["code"]) == ("input", "string_above_max_length")


def test_an_empty_wallet_is_insufficient_quota(declared_servers: Any) -> None:
    answer = _post(declared_servers, {}, key=empty_key("hosted"))
    assert answer.status_code == 429
    assert answer.json()["error"]["code"] == "insufficient_quota"


def test_each_declared_voice_sounds_different(declared_servers: Any) -> None:
    alloy = _post(declared_servers, {"response_format": "wav"})
    nova = _post(declared_servers, {"response_format": "wav", "voice": "nova"})
    assert alloy.status_code == nova.status_code == 200
    assert alloy.content != nova.content


def test_sse_deltas_join_into_the_plain_answer(declared_servers: Any) -> None:
    # OpenAI's reference says stream_format "sse" is not supported for tts-1 and tts-1-hd: the stream is
    # gpt-4o-mini-tts's (the table declares it streaming), the plain answer tts-1's, in the same voice.
    plain = _post(declared_servers, {"response_format": "wav"})
    streamed = _post(declared_servers, {"response_format": "wav", "stream_format": "sse", "model": "gpt-4o-mini-tts"})
    assert streamed.headers["content-type"].startswith("text/event-stream")
    events = [json.loads(line[5:]) for line in streamed.text.splitlines() if line.startswith("data:")]
    assert [e["type"] for e in events][-1] == "speech.audio.done"
    joined = b"".join(base64.b64decode(e["audio"]) for e in events if e["type"] == "speech.audio.delta")
    assert joined == plain.content  # Piper is deterministic here: the same request, the same bytes
