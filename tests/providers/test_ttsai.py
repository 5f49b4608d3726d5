"""The TTS.ai spec against its own document: the examples pass, what the document forbids fails,
and prices follow the document's character table. The document is read through its catalogue
(fixtures/docs/ttsai.json), which quotes it."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from importlib.metadata import entry_points
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.contracts.suite.catalogue import documents, examples, passages
from harness.core.errors import RequestValidationError
from harness.core.params import ParamKind, params_of
from harness.core.spec import BodyKind, Cost, CostUnit, EvidenceSource, Role, SynthesisInput, Upload
from harness.core.validate import check_json, check_request, check_request_json, check_response
from harness.providers.ttsai import PROVIDER
from harness.providers.ttsai.models.error_bodies import ERROR_CODES
from harness.providers.ttsai.models.speech import BATCH_MAX_ITEMS, JOB_LIFECYCLE
from harness.providers.ttsai.models.uploads import MIB, UPLOAD_LIMITS, silent_wav, wav_seconds
from harness.providers.ttsai.pricing import MODEL_TIERS, PLAN_LIMITS, Tier

(DOCUMENT,) = documents("ttsai")
SENTENCE = "The quick brown fox jumps over the lazy dog."
QUEUED = {
    "uuid": "77b71db532874ce98e84a69a2d740d4c",
    "job_id": "f21316bb-aefa-480d-8523-701d1e3184ce",
    "status": "queued",
    "credits_used": 11,
    "credits_remaining": 15000,
}
RATE_HEADERS = {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "59", "X-RateLimit-Reset": "1700000000"}
MP3_BYTES = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\0" * 64


def _wav_upload(name: str = "reference.wav", seconds: float = 1.0) -> Upload:
    return Upload(filename=name, content=silent_wav(seconds), content_type="audio/wav")


def _ep(key: str) -> Any:
    return PROVIDER.endpoint(key)


def _pointers(key: str, status: int, body: Any) -> set[str]:
    return {v.pointer for v in check_json(_ep(key), status, body).violations}


def _request_pointers(key: str, body: dict[str, Any]) -> set[str]:
    return {v.pointer for v in check_request_json(_ep(key), body).violations}


# --- the provider as registered -------------------------------------------------------------------


def test_provider_is_registered_under_its_entry_point() -> None:
    (entry,) = [e for e in entry_points(group="tts_harness.providers") if e.name == "ttsai"]
    assert entry.load() is PROVIDER


def test_hosts_auth_and_rate_limit_headers() -> None:
    assert PROVIDER.hosts == {"api": "https://api.tts.ai", "web": "https://tts.ai"}
    assert PROVIDER.auth.header_value("sk-tts-x") == "Bearer sk-tts-x"
    assert PROVIDER.rate_limit_headers == ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


def test_keys_and_signatures_are_unique_and_hosts_known() -> None:
    keys = [ep.key for ep in PROVIDER.endpoints]
    # Per host: the OpenAI route is on the API host by the document and on the web host by the client.
    signatures = [(ep.host, ep.signature) for ep in PROVIDER.endpoints]
    assert len(set(keys)) == len(keys) and len(set(signatures)) == len(signatures)
    assert PROVIDER.endpoint("POST /v1/audio/speech").key == "audio.speech"  # a signature names the document's
    for ep in PROVIDER.endpoints:
        assert ep.host in (*PROVIDER.hosts, "user"), ep.key
        assert ep.doc == DOCUMENT


DOCUMENTED = [ep for ep in PROVIDER.endpoints if ep.evidence.source is EvidenceSource.DOCS]
WRITTEN_PATHS = {
    "POST /v1/tts/",
    "GET /v1/speech/results/",
    "POST /v1/tts/stream/",
    "POST /v1/stt/",
    "POST /v1/tts/clone/",
    "POST /v1/voice-convert/",
    "POST /v1/audio/enhance/",
    "GET /v1/tts/batch/result/",
    "GET /v1/voices/",
    "POST /api/v1/user-voices/",
    "GET /api/v1/user-voices/",
    "DELETE /api/v1/user-voices/",
    "POST /api/v1/tts/",
    "POST /api/v1/user-voices/{public_id}/archive/",
    "POST /api/v1/user-voices/{public_id}/reactivate/",
    "POST {webhook_url}",
}


def test_paths_not_written_in_the_document_are_marked_inferred() -> None:
    quoted = {passage["endpoint"]: passage["text"] for passage in passages("ttsai")}
    assert set(quoted) == WRITTEN_PATHS  # the catalogue quotes where the document writes each path
    for ep in DOCUMENTED:
        assert ep.inferred == (ep.signature not in WRITTEN_PATHS), ep.signature
        if not ep.inferred:
            # A template's fixed parts as written; the quote shows a value in place of each {name}.
            for fixed in re.split(r"\{[^}]*\}", ep.path):
                assert fixed in quoted[ep.signature], (ep.signature, fixed)


def test_every_documented_service_has_an_endpoint() -> None:
    keys = {ep.key for ep in DOCUMENTED}
    assert keys == {
        "tts.generate",
        "speech.results",
        "tts.stream",
        "audio.speech",
        "tts.clone",
        "tts.batch",
        "tts.batch.result",
        "saved-voice.tts",
        "webhook.task",
        "stt.transcribe",
        "voice.convert",
        "speech.translate",
        "speech.sts",
        "audio.enhance",
        "audio.separate",
        "audio.remove-echo",
        "audio.analyze",
        "audio.convert",
        "voice-chat",
        "voice.embed",
        "health",
        "models.list",
        "voices.list",
        "saved-voices.upload",
        "saved-voices.list",
        "saved-voices.delete",
        "saved-voices.archive",
        "saved-voices.reactivate",
    }


def test_only_the_documented_open_endpoints_skip_auth() -> None:
    open_keys = {ep.key for ep in DOCUMENTED if not ep.auth_required}
    assert open_keys == {"tts.generate", "speech.results", "health", "webhook.task"}


def test_what_the_official_client_calls_is_declared_as_sdk_evidence() -> None:
    """ttsai 0.1.0's calls the document never shows (`endpoints/sdk.py`), each naming the client method."""
    sdk = {ep.key: ep for ep in PROVIDER.endpoints if ep.evidence.source is EvidenceSource.SDK}
    assert {(ep.host, ep.signature) for ep in sdk.values()} == {
        ("web", "POST /v1/audio/speech"),
        ("api", "GET /static/downloads/{uuid}/tts_output.wav"),
        ("web", "GET /api/v1/models/"),
        ("web", "GET /api/v1/voices/"),
        ("web", "POST /api/v1/stt/"),
        ("web", "POST /api/v1/voice-clone/"),
        ("web", "POST /api/v1/tts/batch/"),
        ("web", "GET /api/v1/tts/batch/result/"),
    }
    assert all(
        ep.evidence.library == "ttsai==0.1.0" and ep.evidence.call.startswith("TTSClient.") for ep in sdk.values()
    )
    assert {ep.key for ep in sdk.values() if not ep.auth_required} == {"sdk.download"}  # fetched like result_url
    (variant,) = PROVIDER.endpoint("saved-voice.tts").request_variants
    assert variant.evidence.call == "TTSClient.generate_async"


def test_upload_endpoints_and_413_go_together() -> None:
    for ep in PROVIDER.endpoints:
        has_file = ep.request is not None and any(p.kind is ParamKind.FILE for p in params_of(ep.request))
        assert has_file == (ep.body_kind is BodyKind.MULTIPART), ep.key
        assert (413 in ep.statuses) == has_file, ep.key


@pytest.mark.parametrize("ep", [ep for ep in PROVIDER.endpoints if ep.request is not None], ids=lambda e: e.key)
def test_every_example_request_is_valid(ep: Any) -> None:
    assert ep.example is not None or ep.role is Role.CALLBACK, ep.key
    if ep.example is not None:
        check_request(ep, ep.example)


def test_path_templates_have_example_values() -> None:
    for ep in PROVIDER.endpoints:
        if "{public_id}" in ep.path:
            assert ep.example == {"public_id": "uv_a1b2c3d4e5f6"}, ep.key


# --- the documentation catalogue ------------------------------------------------------------------


def _check_example(example: dict[str, Any]) -> None:
    ep = PROVIDER.endpoint(example["endpoint"])
    body = example["body"]
    kind = example["kind"]
    if kind == "response":
        verdict = check_json(ep, example["status"], body)
        assert verdict.ok, [str(v) for v in verdict.violations]
    elif kind == "lifecycle":
        assert ep.lifecycle is not None and not ep.lifecycle.check_sequence(body)
        for step in body:
            assert check_json(ep, ep.success_status, step).ok
    elif "parts" in example:
        # Form fields beside file parts: text on the wire, as a multipart request carries them.
        parts = {name: _wav_upload(filename) for name, filename in example["parts"].items()}
        check_request(ep, {**body, **parts}, from_wire=True)
    else:
        assert check_request_json(ep, body).ok, [str(v) for v in check_request_json(ep, body).violations]


@pytest.mark.parametrize("example", examples("ttsai"), ids=lambda e: f"{e['kind']}-{e['endpoint']}")
def test_catalogue_example_is_accepted(example: dict[str, Any]) -> None:
    assert example["doc"] == DOCUMENT
    _check_example(example)


def test_catalogue_covers_every_documented_body_once() -> None:
    catalogued = examples("ttsai")
    bodies = [json.dumps(e["body"], sort_keys=True) + e["kind"] for e in catalogued]
    assert len(set(bodies)) == len(bodies)
    answered = {e["endpoint"] for e in catalogued if e["kind"] == "response"}
    assert answered == {
        "POST /v1/tts/",
        "GET /v1/speech/results/",
        "POST /v1/stt/",
        "POST /v1/speech/translate/",
        "POST /v1/audio/analyze/",
        "POST /v1/voice-chat/",
        "POST /v1/tts/batch/",
        "POST /v1/voice-embed/",
        "GET /v1/health/",
        "GET /v1/models/",
        "GET /v1/voices/",
        "POST /api/v1/user-voices/",
    }
    assert sum(e["kind"] == "request" for e in catalogued) == 7
    assert sum(e["kind"] == "callback" for e in catalogued) == 1


# --- the TTS job: two answer forms, lifecycle, drift ----------------------------------------------


def test_queued_answer_passes_without_drift_and_audio_answer_is_drift() -> None:
    tts = _ep("tts.generate")
    queued = check_response(
        PROVIDER, tts, 200, {"Content-Type": "application/json", **RATE_HEADERS}, json.dumps(QUEUED).encode()
    )
    assert queued.ok and not queued.drift
    audio = check_response(PROVIDER, tts, 200, {"Content-Type": "audio/mpeg", **RATE_HEADERS}, MP3_BYTES)
    assert audio.ok
    assert any("Returns audio file" in d.note for d in audio.drift)


def test_every_answer_needs_the_rate_limit_headers() -> None:
    headers = {"Content-Type": "application/json", "X-RateLimit-Limit": "60", "X-RateLimit-Reset": "1"}
    verdict = check_response(PROVIDER, _ep("tts.generate"), 200, headers, json.dumps(QUEUED).encode())
    assert [v.pointer for v in verdict.violations] == ["headers/X-RateLimit-Remaining"]


@pytest.mark.parametrize(
    ("key", "body", "pointer"),
    [
        ("tts.generate", {k: v for k, v in QUEUED.items() if k != "uuid"}, "/uuid"),
        ("tts.generate", {**QUEUED, "credits_used": "11"}, "/credits_used"),
        ("tts.generate", {**QUEUED, "status": "done"}, "/status"),
        ("tts.generate", {**QUEUED, "status": "processing"}, "/status"),  # a submit answer starts queued
        ("speech.results", {"status": "completed"}, "/result_url"),
        ("speech.results", {"status": "finished", "result_url": "u"}, "/status"),
        ("stt.transcribe", {"text": "x", "language": "en", "duration": "3.5"}, "/duration"),
        (
            "stt.transcribe",
            {"text": "x", "language": "en", "duration": 1, "segments": [{"start": 0}]},
            "/segments/0/end",
        ),
        ("voices.list", {"voices": [], "total": 1.5}, "/total"),
        (
            "models.list",
            {
                "models": [
                    {
                        "id": "k",
                        "name": "K",
                        "type": "tts",
                        "tier": "gold",
                        "languages": [],
                        "supports_cloning": False,
                        "supports_streaming": True,
                        "credits_per_1k_chars": 2,
                    }
                ]
            },
            "/models/0/tier",
        ),
        ("tts.batch", {"batch_id": "b", "total": 3, "completed": 0, "status": "completed"}, "/status"),
        (
            "saved-voices.upload",
            {
                "public_id": "uv_1",
                "id": "42",
                "name": "n",
                "model_name": "m",
                "language": "en",
                "reference_audio_url": "u",
                "storage_status": "active",
                "created_at": "2026-04-17T03:45:00+00:00",
            },
            "/id",
        ),
    ],
)
def test_broken_answers_are_located(key: str, body: dict[str, Any], pointer: str) -> None:
    assert pointer in _pointers(key, 200, body)


def test_results_lifecycle_forbids_going_back_and_leaving_terminal_states() -> None:
    done = {"status": "completed", "result_url": "https://api.tts.ai/static/downloads/x/output.mp3"}
    assert not JOB_LIFECYCLE.check_sequence([{"status": "queued"}, done])  # skipping processing is fine
    assert JOB_LIFECYCLE.check_sequence([done, {"status": "processing"}])
    assert JOB_LIFECYCLE.check_sequence([{"status": "processing"}, {"status": "queued"}])


def test_job_bindings_point_at_real_endpoints() -> None:
    for ep in PROVIDER.by_role(Role.SUBMIT):
        assert ep.job is not None and ep.lifecycle is not None
        status = PROVIDER.endpoint(ep.job.status_endpoint)
        assert status.role is Role.STATUS
        assert status.request is not None and ep.job.status_param in status.request.model_fields
    assert _ep("saved-voice.tts").job == _ep("tts.generate").job  # web-host jobs poll the api host


def test_undocumented_fields_are_drift_not_failures() -> None:
    verdict = check_json(_ep("speech.results"), 200, {"status": "processing", "progress": 40})
    assert verdict.ok and [d.pointer for d in verdict.drift] == ["/progress"]


def test_webhook_payload_is_a_callback_with_timestamps() -> None:
    webhook = _ep("webhook.task")
    assert webhook.role is Role.CALLBACK and webhook.timestamp_fields == ("/created_at", "/completed_at")
    example = next(e["body"] for e in examples("ttsai") if e["kind"] == "callback")
    with pytest.raises(RequestValidationError, match="status"):
        check_request(webhook, {**example, "status": "completed"})


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(ERROR_CODES))
def test_each_status_accepts_only_its_own_code(status: int) -> None:
    ep = next(ep for ep in PROVIDER.endpoints if status in ep.statuses)
    code = ERROR_CODES[status]
    assert check_json(ep, status, {"error": {"code": code, "message": "m"}}).ok
    wrong = next(c for c in ERROR_CODES.values() if c != code)
    assert _pointers(ep.key, status, {"error": {"code": wrong, "message": "m"}}) == {"/error/code"}
    assert _pointers(ep.key, status, {"error": {"code": code}}) == {"/error/message"}


def test_undocumented_status_is_a_violation() -> None:
    verdict = check_json(_ep("health"), 401, {"error": {"code": "unauthorized", "message": "m"}})
    assert [v.rule for v in verdict.violations] == ["status"]


def test_every_endpoint_declares_errors_except_the_callback() -> None:
    for ep in PROVIDER.endpoints:
        errors = [s for s in ep.statuses if s >= 400]
        assert bool(errors) == (ep.role is not Role.CALLBACK), ep.key
        assert {429, 500} <= set(errors) or ep.role is Role.CALLBACK, ep.key


# --- requests the document forbids ----------------------------------------------------------------

TTS_BASE = {"model": "kokoro", "text": "Hello from TTS.ai!", "voice": "af_bella"}


@pytest.mark.parametrize(
    ("key", "body", "pointer"),
    [
        ("tts.generate", {**TTS_BASE, "speed": 2.5}, "/speed"),
        ("tts.generate", {**TTS_BASE, "speed": 0.4}, "/speed"),
        ("tts.generate", {**TTS_BASE, "format": "aac"}, "/format"),
        ("tts.generate", {**TTS_BASE, "text": "a" * 100_001}, "/text"),
        ("tts.generate", {**TTS_BASE, "text": ""}, "/text"),
        ("tts.generate", {k: v for k, v in TTS_BASE.items() if k != "voice"}, "/voice"),
        ("tts.generate", {**TTS_BASE, "stream": "yes"}, "/stream"),
        ("tts.generate", {**TTS_BASE, "pitch": 2}, "/pitch"),
        ("tts.stream", {**TTS_BASE, "stream": True}, "/stream"),
        (
            "audio.speech",
            {"model": "kokoro", "input": "x", "voice": "af_bella", "response_format": "ogg"},
            "/response_format",
        ),
        ("audio.speech", {"model": "kokoro", "input": "x", "voice": "af_bella", "speed": 4.0}, "/speed"),
        ("tts.batch", {"texts": [{"text": "x"}] * (BATCH_MAX_ITEMS + 1)}, "/texts"),
        ("tts.batch", {"texts": []}, "/texts"),
        ("tts.batch", {"texts": [{"text": "x", "speed": 1}]}, "/texts/0/speed"),
        ("saved-voice.tts", {"text": "Hello"}, "/user_voice_id"),
        ("voices.list", {"gender": "other"}, "/gender"),
        ("speech.results", {}, "/uuid"),
    ],
)
def test_json_requests_outside_the_document_are_located(key: str, body: dict[str, Any], pointer: str) -> None:
    assert pointer in _request_pointers(key, body)


def test_refusal_names_the_documented_range() -> None:
    with pytest.raises(RequestValidationError, match=r"'speed' must be within 0\.5–2\.0"):
        check_request(_ep("tts.generate"), {**TTS_BASE, "speed": 3})


@settings(max_examples=60, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-10, max_value=10))
def test_speed_is_accepted_exactly_within_its_range(speed: float) -> None:
    ok = not _request_pointers("tts.generate", {**TTS_BASE, "speed": speed})
    assert ok == (0.5 <= speed <= 2.0)


AUDIO_FIELDS: dict[str, tuple[str, dict[str, Any]]] = {
    "audio.enhance": ("file", {}),
    "audio.separate": ("file", {}),
    "audio.remove-echo": ("file", {}),
    "audio.convert": ("file", {"format": "mp3"}),
    "speech.sts": ("file", {"voice": "af_bella"}),
}


@pytest.mark.parametrize(
    ("key", "field", "value"),
    [
        ("audio.enhance", "strength", 4),
        ("audio.enhance", "strength", 0),
        ("audio.separate", "stems", 3),
        ("audio.separate", "model", "mdx"),
        ("audio.remove-echo", "intensity", 6),
        ("audio.remove-echo", "type", "hum"),
        ("audio.convert", "bitrate", 96),
        ("audio.convert", "sample_rate", 16000),
        ("audio.convert", "channels", "quad"),
        ("audio.convert", "format", "opus"),
        ("speech.sts", "emotion", "bored"),
        ("speech.sts", "speed", 2.1),
    ],
)
def test_audio_tool_parameters_outside_the_document_are_refused(key: str, field: str, value: Any) -> None:
    file_field, required = AUDIO_FIELDS[key]
    base = {file_field: _wav_upload(), **required}
    check_request(_ep(key), base)  # the base is valid
    with pytest.raises(RequestValidationError, match=field):
        check_request(_ep(key), {**base, field: value})


def test_form_fields_arrive_as_text_and_are_read_as_their_values() -> None:
    convert = check_request(
        _ep("audio.convert"),
        {"file": _wav_upload(), "format": "mp3", "bitrate": "192", "sample_rate": "44100"},
        from_wire=True,
    )
    assert convert.model_dump()["bitrate"] == 192 and convert.model_dump()["sample_rate"] == 44100
    stt = check_request(_ep("stt.transcribe"), {"file": _wav_upload(), "timestamps": "true"}, from_wire=True)
    assert stt.model_dump()["timestamps"] is True


def test_upload_size_limits_are_enforced_per_endpoint() -> None:
    assert UPLOAD_LIMITS == {
        "stt": 100 * MIB,
        "clone": 20 * MIB,
        "voice-convert": 50 * MIB,
        "translate": 100 * MIB,
        "speech-to-speech": 50 * MIB,
    }
    clone = _ep("tts.clone")
    limit = UPLOAD_LIMITS["clone"]
    at_limit = Upload(filename="reference.wav", content=b"\0" * limit)
    check_request(clone, {"reference_audio": at_limit, "text": SENTENCE})
    over = Upload(filename="reference.wav", content=b"\0" * (limit + 1))
    pointers = _request_pointers("tts.clone", {"reference_audio": over, "text": SENTENCE})
    assert pointers == {"/reference_audio"}
    verdict = check_request_json(clone, {"reference_audio": over, "text": SENTENCE})
    assert "documented limit is 20 MB" in verdict.violations[0].expected


@pytest.mark.parametrize(
    ("key", "body", "pointer"),
    [
        ("stt.transcribe", {"file": Upload(filename="notes.txt", content=b"x")}, "/file"),
        ("stt.transcribe", {"file": Upload(filename="a.wav", content=b"")}, "/file"),
        ("voice.convert", {"file": Upload(filename="a.ogg", content=b"x"), "target_voice": "af_bella"}, "/file"),
        ("voice.convert", {"file": Upload(filename="a.wav", content=b"x")}, "/target_voice"),
        ("voice.embed", {"file": Upload(filename="a.m4a", content=b"x")}, "/file"),
        ("speech.translate", {"file": Upload(filename="a.wav", content=b"x")}, "/target_language"),
        ("tts.clone", {"text": SENTENCE}, "/reference_audio"),
        ("voice-chat", {"voice": "af_bella"}, ""),
    ],
)
def test_multipart_requests_outside_the_document_are_located(key: str, body: dict[str, Any], pointer: str) -> None:
    assert pointer in _request_pointers(key, body)


def test_uploads_without_an_extension_pass_the_format_check() -> None:
    check_request(_ep("stt.transcribe"), {"file": Upload(filename="blob", content=b"x")})


def test_saved_voice_upload_checks_duration_and_consent() -> None:
    upload = _ep("saved-voices.upload")
    base = {"file": _wav_upload(seconds=5.0), "name": "My Narrator", "consent_confirmed": True}
    check_request(upload, base)
    check_request(upload, {**base, "file": _wav_upload(seconds=30.0)})
    assert wav_seconds(silent_wav(5.0)) == 5.0
    for seconds in (4.9, 30.5):
        assert _request_pointers("saved-voices.upload", {**base, "file": _wav_upload(seconds=seconds)}) == {"/file"}
    for refusal in ("false", "0", "", False):
        assert _request_pointers("saved-voices.upload", {**base, "consent_confirmed": refusal}) == {
            "/consent_confirmed"
        }
    assert "/consent_confirmed" in _request_pointers("saved-voices.upload", {"file": base["file"], "name": "n"})
    check_request(upload, {**base, "consent_confirmed": "yes"})


# --- offerings ------------------------------------------------------------------------------------


def test_offerings_cover_every_tier_and_cloning() -> None:
    names = {o.name: o for o in PROVIDER.offerings}
    assert {"kokoro", "piper", "chatterbox", "clone-chatterbox"} <= set(names)
    assert {MODEL_TIERS[n] for n in ("kokoro", "piper", "chatterbox")} == {Tier.STANDARD, Tier.FREE, Tier.PREMIUM}
    assert names["clone-chatterbox"].clones and names["clone-chatterbox"].endpoint == "tts.clone"
    assert all(names[n].endpoint == "tts.generate" and not names[n].clones for n in ("kokoro", "piper", "chatterbox"))


@pytest.mark.parametrize("offering", PROVIDER.offerings, ids=lambda o: o.name)
def test_offerings_build_valid_requests(offering: Any) -> None:
    ep = PROVIDER.endpoint(offering.endpoint)
    reference = _wav_upload("reference.wav", seconds=10.0) if offering.clones else None
    for audio_format in ("wav", "mp3", "ogg"):
        body = offering.build(SynthesisInput(SENTENCE, reference_audio=reference, audio_format=audio_format))
        model = check_request(ep, body)
        assert model.model_dump()["text"] == SENTENCE
    if offering.clones:
        assert body["reference_audio"] is reference
        with pytest.raises(RequestValidationError, match="reference_audio"):
            check_request(ep, offering.build(SynthesisInput(SENTENCE)))


# --- prices ---------------------------------------------------------------------------------------


def _chars(amount: int) -> Cost:
    return Cost(Decimal(amount), CostUnit.CHARACTERS)


def _price(key: str, params: dict[str, Any]) -> Cost:
    price = _ep(key).price
    assert price is not None, key
    return price(params)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"model": "kokoro", "text": "a" * 1000}, 2000),
        ({"model": "piper", "text": "a" * 1000}, 1000),
        ({"model": "chatterbox", "text": "a" * 1000}, 4000),
        ({"model": "kokoro", "text": "Hello from TTS.ai! This is a test."}, 68),
        ({"model": "piper", "text": "a"}, 1),  # 1.0 exactly
        ({"model": "kokoro", "text": "a"}, 2),
        ({"model": "vits", "text": "abc"}, 3),
        ({"model": "some-new-model", "text": "a" * 1000}, 4000),  # unknown: the premium worst case
        ({"text": "a" * 1000}, 2000),  # auto-pick with no language: kokoro
        ({"text": "a" * 1000, "language": "en"}, 2000),
        ({"text": "a" * 1000, "language": "pl"}, 1000),  # auto-pick: piper
    ],
)
def test_tts_prices_follow_the_tier_table(params: dict[str, Any], expected: int) -> None:
    assert _price("tts.generate", params) == _chars(expected)
    assert _price("tts.stream", params) == _chars(expected)


def test_openai_route_cloning_saved_voice_and_batch_prices() -> None:
    assert _price("audio.speech", {"model": "chatterbox", "input": "a" * 500}) == _chars(2000)
    assert _price("tts.clone", {"text": "a" * 1000, "model": "cosyvoice2"}) == _chars(4000)
    assert _price("saved-voice.tts", {"text": "a" * 250}) == _chars(1000)
    batch = {"texts": [{"text": "a" * 1000, "model": "piper"}, {"text": "a" * 1000, "model": "chatterbox"}]}
    assert _price("tts.batch", batch) == _chars(5000)


def test_per_minute_prices_measure_wav_uploads_and_bound_the_rest() -> None:
    ninety_seconds = _wav_upload("long.wav", seconds=90.0)
    assert _price("stt.transcribe", {"file": ninety_seconds}) == _chars(4000)  # 2 started minutes
    assert _price("stt.transcribe", {"file": _wav_upload(seconds=3.5)}) == _chars(2000)
    assert _price("voice.convert", {"file": ninety_seconds}) == _chars(6000)
    assert _price("audio.enhance", {"file": ninety_seconds}) == _chars(4000)
    assert _price("audio.separate", {"file": ninety_seconds}) == _chars(8000)
    assert _price("speech.translate", {"file": ninety_seconds}) == _chars(10000)
    # 61,000 bytes of MP3: at the worst-case 1,000 bytes a second, 61 s, so two minutes.
    mp3 = Upload(filename="a.mp3", content=b"\xff\xfb" + b"\0" * 60_998)
    assert _price("stt.transcribe", {"file": mp3}) == _chars(4000)
    # Nothing to measure: the largest allowed file at the worst-case bitrate.
    assert _price("stt.transcribe", {}) == _chars(2000 * 1748)


def test_flat_and_free_prices() -> None:
    assert _price("voice-chat", {"text": "hi"}) == _chars(3000)
    assert _price("audio.analyze", {}) == _chars(0)
    assert _price("audio.convert", {}) == _chars(0)
    assert _price("saved-voices.archive", {}) == _chars(0)
    unpriced = {ep.key for ep in PROVIDER.endpoints if ep.price is None}
    assert {"speech.sts", "audio.remove-echo", "voice.embed", "saved-voices.upload"} <= unpriced


def test_plan_limits_and_tiers_are_exported() -> None:
    assert {p: (r.requests_per_minute, r.concurrent, r.max_text_chars) for p, r in PLAN_LIMITS.items()} == {
        "Free": (10, 2, 500),
        "Starter": (30, 3, 100_000),
        "Pro": (60, 5, 100_000),
        "Business+": (300, 20, 50_000),
    }
    assert MODEL_TIERS["kokoro"] is Tier.STANDARD and MODEL_TIERS["melotts"] is Tier.FREE


def test_contradictions_are_recorded() -> None:
    topics = {d.topic for d in PROVIDER.doc_drift}
    assert {
        "tts response",
        "kokoro tier",
        "credit units",
        "queued credits_used",
        "text limits",
        "timestamps",
        "anonymous access",
    } <= topics
