"""The HTTP speech family's pieces in the core: where a request's fields travel, how a key travels, SSML
bodies, audio carried as text, and error shapes — each with a case that fails if the rule breaks."""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import Literal

import pytest
from pydantic import Field

from harness.core.audio_fields import AudioFieldError, audio_at, json_audio, ndjson_audio
from harness.core.protocols.http_speech import ErrorShape, asked_media_type, fill, put, read
from harness.core.spec import (
    AudioAt,
    Auth,
    BodyKind,
    Endpoint,
    JsonBody,
    PlainTextBody,
    Provider,
    RequestModel,
    Response,
    ResponseModel,
)
from harness.core.ssml import SSML_BODY, read_speak_document, speak_document, spoken_text
from harness.core.target import TargetChoice, TargetKind, documented_bases, layout, region_of
from harness.core.transport import build_request
from harness.core.validate import check_response

WAV = (
    b"RIFF"
    + (36).to_bytes(4, "little")
    + b"WAVEfmt "
    + (16).to_bytes(4, "little")
    + (1).to_bytes(2, "little")
    + (1).to_bytes(2, "little")
    + (16000).to_bytes(4, "little")
    + (32000).to_bytes(4, "little")
    + (2).to_bytes(2, "little")
    + (16).to_bytes(2, "little")
    + b"data"
    + (0).to_bytes(4, "little")
)


class Speak(RequestModel):
    voice_id: str
    output_format: Literal["mp3", "pcm"] = "mp3"
    region_hint: str | None = None
    text: str = Field(min_length=1, max_length=50)
    voice: str = "ada"
    language: str = "en-US"


class Error(ResponseModel):
    message: str


class Carried(ResponseModel):
    audioContent: str


def _endpoint(**changes: object) -> Endpoint:
    base = dict(
        key="speak",
        method="POST",
        path="/v1/speak/{voice_id}",
        summary="speak",
        responses=(
            Response(status=200, bodies=(JsonBody(Carried, audio=AudioAt("/audioContent")),)),
            Response(status=400, bodies=()),
            Response(status=401, bodies=(PlainTextBody(),)),
        ),
        request=Speak,
        body_kind=BodyKind.JSON,
        query_fields=("output_format",),
        header_fields={"region_hint": "X-Region-Hint"},
    )
    base.update(changes)
    return Endpoint(**base)  # type: ignore[arg-type]


def _provider(
    endpoint: Endpoint, auth: Auth = Auth(header="Authorization", scheme="Bearer"), **more: object
) -> Provider:
    fields: dict[str, object] = {"hosts": {"api": "https://api.acme.example"}, **more}
    return Provider(
        name="acme", title="Acme", auth=auth, key_env="ACME_API_KEY", endpoints=(endpoint,), error_model=Error, **fields
    )  # type: ignore[arg-type]


def test_fields_travel_in_the_path_query_headers_and_body() -> None:
    endpoint = _endpoint()
    request = build_request(
        _provider(endpoint),
        endpoint,
        "https://api.acme.example",
        {"voice_id": "v 1", "output_format": "pcm", "region_hint": "eu", "text": "Hi"},
        key="k",
    )
    assert request.url.raw_path.split(b"?")[0] == b"/v1/speak/v%201"
    assert request.url.params["output_format"] == "pcm"
    assert request.headers["X-Region-Hint"] == "eu"
    assert json.loads(request.content) == {"text": "Hi"}  # placed fields leave the body
    assert request.headers["Authorization"] == "Bearer k"


def test_a_key_travels_as_a_query_parameter_where_the_auth_says() -> None:
    endpoint = _endpoint()
    request = build_request(
        _provider(endpoint, Auth(header="x-goog-api-key", query="key")),
        endpoint,
        "https://api.acme.example",
        {"voice_id": "v", "text": "Hi"},
        key="secret-1",
    )
    assert request.url.params["key"] == "secret-1" and "x-goog-api-key" not in request.headers


def test_an_ssml_body_is_rendered_from_the_fields_and_read_back() -> None:
    endpoint = _endpoint(body_kind=BodyKind.TEXT, text_body=SSML_BODY)
    request = build_request(
        _provider(endpoint),
        endpoint,
        "https://api.acme.example",
        {"voice_id": "v", "text": "Fish & <chips>", "voice": "en-US-Ava", "language": "en-US"},
        key="k",
    )
    assert request.headers["Content-Type"] == "application/ssml+xml"
    fields = read_speak_document(request.content.decode())
    assert fields == {"text": "Fish & <chips>", "language": "en-US", "voice": "en-US-Ava"}
    assert speak_document("a", "b", "en-GB").startswith("<speak version='1.0' xml:lang=\"en-GB\">")


@pytest.mark.parametrize(
    "document", ["<speak>unclosed", "<!DOCTYPE x [<!ENTITY a 'b'>]><speak>&a;</speak>", "<voice>not speak</voice>"]
)
def test_a_bad_ssml_document_is_one_value_error(document: str) -> None:
    with pytest.raises(ValueError):
        spoken_text(document)


def test_the_words_of_ssml_are_spoken_without_the_markup() -> None:
    assert spoken_text("<speak>Hello <break time='1s'/> <emphasis>world</emphasis></speak>") == "Hello world"


def test_audio_carried_as_base64_or_hex_at_a_pointer() -> None:
    assert audio_at({"data": {"audio": WAV.hex()}}, AudioAt("/data/audio", "hex")) == WAV
    assert (
        json_audio(json.dumps({"audioContent": base64.b64encode(WAV).decode()}).encode(), AudioAt("/audioContent"))
        == WAV
    )
    with pytest.raises(AudioFieldError, match="/audioContent"):
        json_audio(b'{"audioContent": "***"}', AudioAt("/audioContent"))
    lines = b'{"result": {"audio": "AAE="}}\n{"done": true}\n{"result": {"audio": "AgM="}}\n'
    assert [audio for _, audio in ndjson_audio(lines, AudioAt("/result/audio"))] == [b"\x00\x01", b"\x02\x03"]


def test_a_json_answer_whose_audio_field_is_not_audio_is_a_violation() -> None:
    endpoint = _endpoint()
    provider = _provider(endpoint)
    good = json.dumps({"audioContent": base64.b64encode(WAV).decode()}).encode()
    bad = json.dumps({"audioContent": base64.b64encode(b"not audio at all").decode()}).encode()
    headers = {"content-type": "application/json"}
    assert check_response(provider, endpoint, 200, headers, good).ok
    verdict = check_response(provider, endpoint, 200, headers, bad)
    assert not verdict.ok and verdict.violations[0].pointer == "/audioContent"


def test_headerless_samples_in_a_json_answer_are_read_as_the_request_asked() -> None:
    """One JSON answer carries every format (MiniMax's hex at /data/audio): headerless samples say nothing of
    themselves, so the check reads them as the asked format's media type, and refuses them without it."""
    from harness.providers.minimax.declaration import PROVIDER as MINIMAX

    endpoint = MINIMAX.endpoint("t2a.v2")
    payload = {
        "model": "speech-2.8-hd",
        "text": "Hi.",
        "voice_setting": {"voice_id": "English_Graceful_Lady"},
        "audio_setting": {"format": "pcm", "sample_rate": 24000},
    }
    asked = asked_media_type(MINIMAX, endpoint, payload)
    assert asked == "audio/pcm;rate=24000"
    assert asked_media_type(MINIMAX, endpoint, {**payload, "audio_setting": {"format": "mp3"}}) is None
    samples = (b"\x10\x00\xf0\xff" * 400).hex()
    body = json.dumps(
        {"data": {"audio": samples, "status": 2}, "base_resp": {"status_code": 0, "status_msg": "ok"}, "trace_id": "t"}
    ).encode()
    headers = {"content-type": "application/json"}
    assert check_response(MINIMAX, endpoint, 200, headers, body, asked=asked).ok
    verdict = check_response(MINIMAX, endpoint, 200, headers, body)
    assert not verdict.ok and verdict.violations[0].pointer == "/data/audio"


def test_an_empty_error_body_and_a_text_answer_are_what_the_documents_show() -> None:
    endpoint = _endpoint()
    provider = _provider(endpoint)
    assert check_response(provider, endpoint, 400, {}, b"").ok
    assert not check_response(provider, endpoint, 400, {"content-type": "application/json"}, b'{"x": 1}').ok
    assert check_response(provider, endpoint, 401, {"content-type": "text/plain"}, b"token").ok
    assert not check_response(provider, endpoint, 401, {"content-type": "text/plain"}, b"").ok


def test_an_error_shape_fills_status_code_and_message() -> None:
    shape = ErrorShape(
        {"error": {"code": "{status}", "message": "{message}", "status": "{code}"}},
        headers={"x-amzn-ErrorType": "{code}"},
    )
    body, headers = shape.render(400, "INVALID_ARGUMENT", "bad voice")
    assert body == {"error": {"code": 400, "message": "bad voice", "status": "INVALID_ARGUMENT"}}
    assert headers == {"x-amzn-ErrorType": "INVALID_ARGUMENT"}
    assert ErrorShape(None).render(415, "x", "y") == (None, {})


def test_pointers_are_set_and_read_through_nested_objects() -> None:
    body: dict[str, object] = {"audioConfig": {"speakingRate": 1.0}}
    put(body, "/audioConfig/audioEncoding", "LINEAR16")
    put(body, "/input/text", "Hi")
    assert body == {"audioConfig": {"speakingRate": 1.0, "audioEncoding": "LINEAR16"}, "input": {"text": "Hi"}}
    assert read(body, "/input/text") == "Hi" and read(body, "/voice/name") is None and read(body, None) is None


def test_a_regional_host_takes_its_region_from_the_environment() -> None:
    endpoint = _endpoint()
    provider = _provider(endpoint, region_env="ACME_REGION", hosts={"api": "https://{region}.acme.example"})
    assert documented_bases([provider], {"ACME_REGION": "westeurope"}) == {
        ("acme", "api"): "https://westeurope.acme.example"
    }
    live = layout(TargetChoice(TargetKind.LIVE), [provider])
    if not any(name == "acme" for name, _ in live.bases):  # no ACME_REGION in this process
        assert "ACME_REGION" in live.left_out["acme"]
    with pytest.raises(Exception, match="not a region name"):
        region_of(provider, {"ACME_REGION": "evil.example/x"})
    defaulted = _provider(
        endpoint, region_env="ACME_REGION", default_region="eastus", hosts={"api": "https://{region}.acme.example"}
    )
    assert documented_bases([defaulted], {}) == {("acme", "api"): "https://eastus.acme.example"}


def test_a_price_function_may_leave_a_request_unpriced() -> None:
    from harness.runner.plan.pricing import PriceBook

    endpoint = _endpoint(price=lambda payload: None)
    provider = _provider(endpoint)
    price = PriceBook().price(provider, "m", endpoint, {"text": "x"})
    assert price.usd is None and price.basis == "no-documented-price"
    from harness.core.prices import parse_price

    mine = {"acme/m": (parse_price("acme/m", "0.5/request"),)}
    configured = PriceBook(overrides=mine).price(provider, "m", endpoint, {"text": "x"})
    assert configured.usd == Decimal("0.5") and configured.basis == "configured-price"


def test_a_pointer_through_an_index_makes_an_array() -> None:
    body: dict[str, object] = {}
    put(body, "/candidates/0/content/parts/0/inlineData/data", "AAE=")
    assert body == {"candidates": [{"content": {"parts": [{"inlineData": {"data": "AAE="}}]}}]}
    put(body, "/candidates/0/content/parts/0/inlineData/mimeType", "audio/pcm")
    assert read(body, "/candidates/0/content/parts/0/inlineData") == {"data": "AAE=", "mimeType": "audio/pcm"}


def test_an_answer_template_is_filled_beside_the_audio() -> None:
    template = {
        "audio_format": "{format}",
        "billable_characters_count": "{billed_characters}",
        "candidates": [{"content": {"parts": [{"inlineData": {"mimeType": "audio/L16;rate={rate}"}}]}}],
    }
    filled = fill(template, {"format": "wav", "billed_characters": 12, "rate": 24000})
    assert filled["billable_characters_count"] == 12 and filled["audio_format"] == "wav"  # a number stays one
    assert read(filled, "/candidates/0/content/parts/0/inlineData/mimeType") == "audio/L16;rate=24000"
