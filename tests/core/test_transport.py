from __future__ import annotations

import httpx
import pytest

from harness.core.errors import AuthError, BalanceError, ProtocolError, RateLimitError, ServerError, ValidationRejected
from harness.core.registry import providers
from harness.core.transport import build_request, error_of, json_of

PIXAZO = providers()["pixazo"]
PIXELAPI = providers()["pixelapi"]


def test_json_request_carries_auth_and_only_set_fields() -> None:
    endpoint = PIXAZO.endpoint("chatterbox.generate")
    request = build_request(PIXAZO, endpoint, "https://gw.example/", {"text": "hi", "cfg": 0.5}, key="k-1")
    assert request.url == "https://gw.example/chatterbox-text-to-speech/v1/chatterbox-text-to-speech-request"
    assert request.headers["Ocp-Apim-Subscription-Key"] == "k-1"
    assert request.content == b'{"text":"hi","cfg":0.5}'


def test_multipart_request_is_multipart_even_without_files() -> None:
    endpoint = PIXELAPI.endpoint("POST /v1/tts/generate")
    request = build_request(
        PIXELAPI, endpoint, "https://api.example", {"text": "hi", "voice_description": "calm"}, key="k"
    )
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert request.headers["authorization"] == "Bearer k"
    assert b'name="text"' in request.read()


def test_path_parameters_are_escaped() -> None:
    request = build_request(PIXAZO, PIXAZO.endpoint("requests.status"), "https://gw", path_params={"request_id": "a/b"})
    assert request.url.raw_path == b"/v2/requests/status/a%2Fb"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (401, AuthError),
        (403, AuthError),
        (402, BalanceError),
        (429, RateLimitError),
        (503, ServerError),
        (400, ValidationRejected),
        (404, ValidationRejected),
    ],
)
def test_errors_are_classified(status: int, cls: type) -> None:
    request = httpx.Request("POST", "https://x/y")
    response = httpx.Response(status, headers={"Retry-After": "7"}, text="nope sk-secret-1", request=request)
    error = error_of(response, ("sk-secret-1",))
    assert isinstance(error, cls)
    assert error.retry_after == 7.0
    assert "sk-secret-1" not in str(error)


def test_non_json_body_is_a_protocol_error() -> None:
    response = httpx.Response(200, text="<html>oops</html>", request=httpx.Request("GET", "https://x/status"))
    with pytest.raises(ProtocolError, match="expected JSON"):
        json_of(response)
