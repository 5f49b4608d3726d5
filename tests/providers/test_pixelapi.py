"""The PixelAPI spec against its own document: the examples pass, what the document forbids fails.
The document is read through its catalogue (fixtures/docs/pixelapi.json)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from importlib.metadata import entry_points
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.contracts.suite.catalogue import catalogue, examples
from harness.core.errors import RequestValidationError, UsageError
from harness.core.spec import Cost, Role, SynthesisInput, Upload
from harness.core.validate import check_json, check_request, check_request_json, check_response
from harness.providers.pixelapi import PROVIDER
from harness.providers.pixelapi.declaration import (
    CREDITS_CLONE,
    CREDITS_DESIGN,
    PLAN_LIMITS,
    USD_PER_CREDIT,
    credits_for,
)
from harness.providers.pixelapi.models import (
    ERROR_MESSAGES,
    LIFECYCLE,
    REF_MAX_BYTES,
    REF_MIN_RATE,
    REF_MIN_SECONDS,
    TEXT_MAX_CHARS,
    GenerateRequest,
)
from tests.helpers.wav import pcm_wav

GENERATE = PROVIDER.endpoint("tts.generate")
STATUS = PROVIDER.endpoint("tts.status")
SENTENCE = "The quick brown fox jumps over the lazy dog."


def _wav(seconds: float = REF_MIN_SECONDS, rate: int = REF_MIN_RATE) -> bytes:
    return pcm_wav(int(seconds * rate), rate, sample=b"\0\0")


REFERENCE = Upload(filename="my_voice_sample.wav", content=_wav(), content_type="audio/wav")


def _design(**changes: Any) -> dict[str, Any]:
    return {**dict(GENERATE.example or {}), **changes}


def _request(payload: dict[str, Any], *, from_wire: bool = False) -> GenerateRequest:
    model = check_request(GENERATE, payload, from_wire=from_wire)
    assert isinstance(model, GenerateRequest)
    return model


def _pointers(endpoint_key: str, status: int, body: Any) -> set[str]:
    verdict = check_json(PROVIDER.endpoint(endpoint_key), status, body)
    return {v.pointer for v in verdict.violations}


# --- the documentation catalogue -----------------------------------------------------------------


def test_catalogue_names_this_provider_its_document_and_both_endpoints() -> None:
    data = catalogue("pixelapi")
    assert data["provider"] == "pixelapi" and data["documents"] == list(PROVIDER.docs)
    assert {e["endpoint"] for e in data["examples"]} == {GENERATE.signature, STATUS.signature}
    bodies = [json.dumps(e["body"], sort_keys=True) for e in data["examples"]]
    assert len(bodies) == len(set(bodies)), "duplicate example bodies"


@pytest.mark.parametrize("example", examples("pixelapi"), ids=lambda e: f"{e['kind']}-{e['endpoint']}")
def test_catalogue_example_is_accepted(example: dict[str, Any]) -> None:
    endpoint = PROVIDER.endpoint(example["endpoint"])
    assert example["doc"] in PROVIDER.docs
    if example["kind"] == "request":
        check_request(endpoint, example["body"])
        assert check_request_json(endpoint, example["body"]).ok
    else:
        assert example["kind"] == "response"
        verdict = check_json(endpoint, example["status"], example["body"])
        assert verdict.ok, verdict.violations


# --- requests ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"cfg_value": 0.49}, "/cfg_value"),
        ({"cfg_value": 5.01}, "/cfg_value"),
        ({"cfg_value": "2.0"}, "/cfg_value"),
        ({"inference_timesteps": 3}, "/inference_timesteps"),
        ({"inference_timesteps": 21}, "/inference_timesteps"),
        ({"inference_timesteps": 10.5}, "/inference_timesteps"),
        ({"text": "x" * (TEXT_MAX_CHARS + 1)}, "/text"),
        ({"text": ""}, "/text"),
        ({"text": "  \n\t "}, "/text"),
        ({"text": 42}, "/text"),
        ({"language": "English"}, "/language"),
        ({"voice_desc": "typo"}, "/voice_desc"),
        ({"voice_ref": Upload(filename="x.txt", content=b"not audio at all")}, "/voice_ref"),
    ],
)
def test_request_outside_the_documents_is_rejected(changes: dict[str, Any], pointer: str) -> None:
    verdict = check_request_json(GENERATE, _design(**changes))
    assert pointer in {v.pointer for v in verdict.violations}
    with pytest.raises(RequestValidationError, match=pointer.lstrip("/")):
        check_request(GENERATE, _design(**changes))


def test_missing_text_is_named_as_required() -> None:
    body = _design()
    del body["text"]
    with pytest.raises(RequestValidationError, match="'text' is required"):
        check_request(GENERATE, body)
    assert {v.pointer for v in check_request_json(GENERATE, body).violations} == {"/text"}


def test_blank_text_message_quotes_the_documented_error() -> None:
    verdict = check_request_json(GENERATE, _design(text="   "))
    assert "Text cannot be empty" in verdict.violations[0].expected


def test_reference_over_ten_megabytes_is_refused_before_sending() -> None:
    header = _wav(seconds=0.1)
    at_limit = Upload(filename="big.wav", content=header + b"\0" * (REF_MAX_BYTES - len(header)))
    over = Upload(filename="big.wav", content=at_limit.content + b"\0")
    check_request(GENERATE, _design(voice_ref=at_limit))
    with pytest.raises(RequestValidationError, match="voice_ref"):
        check_request(GENERATE, _design(voice_ref=over))
    verdict = check_request_json(GENERATE, _design(voice_ref=over))
    assert "Reference audio must be under 10 MB" in verdict.violations[0].expected


def test_boundaries_and_mp3_references_are_accepted() -> None:
    mp3 = Upload(filename="ref.mp3", content=b"ID3\x04\x00\x00" + b"\0" * 64, content_type="audio/mpeg")
    model = check_request(
        GENERATE,
        _design(text="x" * TEXT_MAX_CHARS, language="auto", cfg_value=0.5, inference_timesteps=20, voice_ref=mp3),
    )
    assert isinstance(model, GenerateRequest) and model.voice_ref == mp3
    lowest = _request(_design(cfg_value=5, inference_timesteps=4))
    assert (lowest.cfg_value, lowest.inference_timesteps) == (5.0, 4)


def test_defaults_are_the_documented_ones() -> None:
    model = _request({"text": SENTENCE})
    assert (model.cfg_value, model.inference_timesteps, model.language) == (2.0, 10, None)


def test_form_fields_from_the_wire_are_text() -> None:
    wire = _design(cfg_value="2.5", inference_timesteps="12")
    model = _request(wire, from_wire=True)
    assert (model.cfg_value, model.inference_timesteps) == (2.5, 12)
    with pytest.raises(RequestValidationError, match=re.escape("within 0.5–5.0")):
        check_request(GENERATE, _design(cfg_value="9"), from_wire=True)


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=TEXT_MAX_CHARS + 40).filter(lambda t: t.strip() != ""))
def test_any_non_blank_text_up_to_the_limit_is_accepted(text: str) -> None:
    verdict = check_request_json(GENERATE, {"text": text})
    assert verdict.ok is (len(text) <= TEXT_MAX_CHARS)


# --- responses -----------------------------------------------------------------------------------

QUEUED = {"id": "0b6f9a52-2d4c-4d8e-9d54-2f0a3c5b7e11", "status": "queued", "credits_used": 50.0}
DONE = {
    "id": QUEUED["id"],
    "status": "completed",
    "output_url": "https://cdn.pixelapi.dev/out.wav?sig=abc",
    "credits_used": 50.0,
    "created_at": "2026-03-01T10:00:00Z",
    "completed_at": "2026-03-01T10:00:07Z",
}


def test_full_answers_pass_and_integer_credits_are_numbers() -> None:
    assert check_json(GENERATE, 200, QUEUED).ok
    assert check_json(GENERATE, 202, {**QUEUED, "credits_used": 100}).ok
    verdict = check_json(STATUS, 200, DONE)
    assert verdict.ok and not verdict.drift


@pytest.mark.parametrize(
    ("key", "body", "pointer"),
    [
        ("tts.generate", {k: v for k, v in QUEUED.items() if k != "id"}, "/id"),
        ("tts.generate", {**QUEUED, "credits_used": "50.0"}, "/credits_used"),
        ("tts.generate", {**QUEUED, "status": "QUEUED"}, "/status"),
        ("tts.generate", {**QUEUED, "status": "completed"}, "/status"),  # not an initial state
        ("tts.generate", {**QUEUED, "id": 7}, "/id"),
        ("tts.status", {k: v for k, v in DONE.items() if k != "status"}, "/status"),
        ("tts.status", {**DONE, "status": "done"}, "/status"),
        ("tts.status", {**DONE, "output_url": None}, "/output_url"),  # completed without a result
        ("tts.status", {**DONE, "credits_used": "50"}, "/credits_used"),
        ("tts.status", {**DONE, "created_at": 1_772_359_200}, "/created_at"),
    ],
)
def test_broken_answers_are_located(key: str, body: dict[str, Any], pointer: str) -> None:
    assert pointer in _pointers(key, 200, body)


def test_undocumented_fields_and_timestamp_forms_are_drift_not_failures() -> None:
    verdict = check_json(STATUS, 200, {**DONE, "duration": 3.2, "completed_at": "2026-03-01 10:00:07"})
    assert verdict.ok
    assert {d.pointer for d in verdict.drift} == {"/duration", "/completed_at"}


def test_undocumented_status_code_is_a_violation() -> None:
    verdict = check_json(GENERATE, 418, {"error": "teapot"})
    assert verdict.violations[0].rule == "status"


@pytest.mark.parametrize(
    "body",
    [
        {"error": "Text cannot be empty"},
        {"error": "insufficient_credits", "message": "Insufficient credits"},
        {"error": {"code": "rate_limited", "message": "slow down"}},
        {"detail": "Server busy"},
        {"detail": [{"loc": ["body", "text"], "msg": "field required"}]},
    ],
)
@pytest.mark.parametrize("status", [400, 401, 402, 429, 503])
def test_common_error_shapes_are_accepted(status: int, body: dict[str, Any]) -> None:
    assert check_json(GENERATE, status, body).ok


@pytest.mark.parametrize("body", [{}, {"error": 5}, {"message": ["a"]}, ["Text cannot be empty"]])
def test_error_bodies_that_say_nothing_are_rejected(body: Any) -> None:
    assert not check_json(GENERATE, 400, body).ok


def test_rate_limit_and_busy_answers_must_carry_retry_after() -> None:
    body = json.dumps({"error": "Server busy"}).encode()
    for status in (429, 503):
        missing = check_response(PROVIDER, GENERATE, status, {"content-type": "application/json"}, body)
        assert [v.pointer for v in missing.violations] == ["headers/Retry-After"]
        present = check_response(
            PROVIDER, GENERATE, status, {"Content-Type": "application/json", "Retry-After": "2"}, body
        )
        assert present.ok


def test_documented_messages_are_valid_error_bodies() -> None:
    for status, messages in ERROR_MESSAGES.items():
        for message in messages:
            assert check_json(GENERATE, status, {"error": message}).ok


# --- lifecycle -----------------------------------------------------------------------------------


def test_lifecycle_allows_skipping_and_forbids_leaving_terminal_states() -> None:
    queued = {"id": "a", "status": "queued"}
    running = {"id": "a", "status": "processing"}
    done = {"id": "a", "status": "completed", "output_url": "https://x"}
    assert LIFECYCLE.check_sequence([queued, running, done]) == []
    assert LIFECYCLE.check_sequence([queued, done]) == []
    assert [v.pointer for v in LIFECYCLE.check_sequence([done, queued])] == ["/1/status"]
    assert [v.pointer for v in LIFECYCLE.check_sequence([queued, {**done, "id": "b"}])] == ["/1/id"]
    assert [v.pointer for v in LIFECYCLE.check_sequence([{"id": "a", "status": "failed"}, done])] == ["/1/status"]
    assert frozenset({"processing", "failed"}) == LIFECYCLE.inferred_states


def test_job_binding_points_at_the_status_endpoint() -> None:
    job = GENERATE.job
    assert job is not None and GENERATE.role is Role.SUBMIT
    status = PROVIDER.endpoint(job.status_endpoint)
    assert status.role is Role.STATUS and "{" + job.status_param + "}" in status.path
    assert check_json(STATUS, 200, DONE).ok and DONE["output_url"] == DONE[job.media_pointer.lstrip("/")]


# --- offerings, prices, limits -------------------------------------------------------------------


def test_offerings_build_valid_requests() -> None:
    design = PROVIDER.offering("voice-design")
    clone = PROVIDER.offering("voice-clone")
    assert not design.clones and clone.clones
    assert design.max_chars == clone.max_chars == TEXT_MAX_CHARS
    design_body = design.build(SynthesisInput(SENTENCE))
    check_request(GENERATE, design_body)
    assert design_body["voice_description"] == "warm, professional male narrator"
    clone_body = clone.build(SynthesisInput(SENTENCE, reference_audio=REFERENCE))
    assert _request(clone_body).voice_ref == REFERENCE
    assert GENERATE.price is not None
    assert GENERATE.price(design_body) == Cost(Decimal("0.05"))
    assert GENERATE.price(clone_body) == Cost(Decimal("0.10"))


def test_clone_offering_refuses_to_build_without_a_reference() -> None:
    with pytest.raises(UsageError, match="reference_audio"):
        PROVIDER.offering("voice-clone").build(SynthesisInput(SENTENCE))


def test_prices_agree_with_the_credit_figures() -> None:
    assert GENERATE.price is not None
    assert USD_PER_CREDIT * 1000 == 1
    assert (CREDITS_DESIGN, CREDITS_CLONE) == (50, 100)
    for params in ({"text": SENTENCE}, {"text": SENTENCE, "voice_ref": REFERENCE}):
        assert GENERATE.price(params).amount == credits_for(params) * USD_PER_CREDIT
    assert QUEUED["credits_used"] == credits_for(GENERATE.example or {})


def test_documented_limits_are_exposed() -> None:
    """The limits the sandbox enforces are read from the provider's `models` and `pricing` (the package
    itself exports only PROVIDER: tests/test_layout.py)."""
    assert PLAN_LIMITS == {"free": 60, "paid": 600}
    assert (REF_MIN_SECONDS, REF_MIN_RATE) == (5, 16_000)
    assert set(ERROR_MESSAGES) == {400, 402, 503}


def test_provider_is_registered_and_declares_its_basics() -> None:
    (entry,) = [e for e in entry_points(group="tts_harness.providers") if e.name == "pixelapi"]
    assert entry.load() is PROVIDER
    assert PROVIDER.hosts == {"api": "https://api.pixelapi.dev"}
    assert PROVIDER.auth.header_value("KEY") == "Bearer KEY"
    assert PROVIDER.auth.header == "Authorization"
    assert {ep.host for ep in PROVIDER.endpoints} <= set(PROVIDER.hosts)
    assert {d.topic for d in PROVIDER.doc_drift} >= {"error body", "status body", "reference size"}
