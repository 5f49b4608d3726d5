"""A request field the declaration does not list, as the provider treats it (`UnknownInput`): where the documents
do not say, the imitation accepts it and records a finding (`GET /_sandbox/findings`, the sandbox's log) instead of
inventing a refusal — real clients send fields a declaration lacks (issue 46: MiniMax `text_normalization`, Sarvam
`output_audio_bitrate`, Fish `features` were refused "Extra inputs are not permitted"). Where the documents say the
provider refuses such a request, it is refused; where they say it is ignored, it is accepted without a finding."""

from __future__ import annotations

import base64
import dataclasses
from typing import Any

import httpx
import pytest

from harness.core.errors import RequestValidationError
from harness.core.registry import providers
from harness.core.spec import UnknownInput
from harness.core.validate import check_wire_request
from harness.sandbox import Sandbox
from harness.speech import decode

BODY = {
    "input": {"text": "The quick brown fox jumps over the lazy dog."},
    "voice": {"languageCode": "en-US", "name": "en-US-Neural2-F"},
    "audioConfig": {"audioEncoding": "LINEAR16"},
}
UNKNOWN = {**BODY, "clientTag": "agent-7", "audioConfig": {**BODY["audioConfig"], "futureKnob": 3}}


def _synthesize_endpoint() -> Any:
    return next(e for e in providers()["google"].endpoints if e.path.endswith("text:synthesize"))


def test_fields_the_documents_do_not_list_are_accepted_and_recorded(sandbox: Sandbox, client: httpx.Client) -> None:
    answer = client.post(
        sandbox.base_url("google", "api") + "/v1/text:synthesize",
        json=UNKNOWN,
        headers={"x-goog-api-key": sandbox.default_key("google")},
    )
    assert answer.status_code == 200, answer.text
    assert decode(base64.b64decode(answer.json()["audioContent"])).duration_s > 1.0  # the speech, not a refusal
    findings = client.get(sandbox.url + "/_sandbox/findings").json()
    seen = {(f["provider"], f["endpoint"], f["field"]) for f in findings}
    assert {
        ("google", "POST /v1/text:synthesize", "clientTag"),
        ("google", "POST /v1/text:synthesize", "audioConfig.futureKnob"),
    } <= seen


def test_the_wire_check_sets_aside_unknown_fields_nested_ones_included() -> None:
    endpoint = _synthesize_endpoint()
    params, unknown = check_wire_request(endpoint, UNKNOWN)
    assert set(unknown) == {"clientTag", "audioConfig.futureKnob"}
    assert params.model_dump(exclude_none=True, by_alias=True)["audioConfig"]["audioEncoding"] == "LINEAR16"
    ignored = dataclasses.replace(endpoint, unknown_input=UnknownInput.IGNORED)
    assert set(check_wire_request(ignored, UNKNOWN)[1]) == {"clientTag", "audioConfig.futureKnob"}


def test_a_provider_whose_documents_refuse_unknown_fields_is_imitated_refusing() -> None:
    refused = dataclasses.replace(_synthesize_endpoint(), unknown_input=UnknownInput.REFUSED)
    with pytest.raises(RequestValidationError, match="clientTag"):
        check_wire_request(refused, UNKNOWN)


def test_a_wrong_value_beside_an_unknown_field_is_still_refused_for_the_value() -> None:
    wrong = {**UNKNOWN, "audioConfig": {"audioEncoding": "NOT-AN-ENCODING", "futureKnob": 3}}
    with pytest.raises(RequestValidationError, match="audioEncoding") as refused:
        check_wire_request(_synthesize_endpoint(), wrong)
    assert "futureKnob" not in str(refused.value)


def test_socket_messages_and_bodies_share_one_reading_of_an_unknown_field() -> None:
    """`set_aside_unknown` is the one rule for request bodies and socket messages (the socket imitation asks it
    for each client message: Pipecat's Inworld service sends `create.timestampTransportStrategy`, which the
    declaration does not list)."""
    from harness.core.spec import RequestModel
    from harness.core.validate import set_aside_unknown

    class Config(RequestModel):
        voiceId: str

    class Create(RequestModel):
        create: Config

    message = {"create": {"voiceId": "Ashley", "timestampTransportStrategy": "ASYNC"}, "contextId": "c1"}
    trimmed, unknown = set_aside_unknown(Create, message)
    assert set(unknown) == {"create.timestampTransportStrategy", "contextId"}
    assert trimmed == {"create": {"voiceId": "Ashley"}}
    assert set_aside_unknown(Create, trimmed) == (trimmed, ())
