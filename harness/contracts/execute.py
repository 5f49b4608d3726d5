"""Running one plan: send, validate every answer as it arrives, follow a job to its end, fetch media.

The outcome holds every HTTP exchange (for recording) and every finding (for the test's assertion).
Polling here is for conformance, not timing: it stops at a terminal state or a deadline.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from harness.contracts.plans import KeyCase, PlanContext, ScenarioPlan
from harness.contracts.targets import FAULT_HEADER, ContractTarget, reference_upload
from harness.core.audio import RAW_SAMPLE_BYTES, AudioDecodeError, container_kinds, contradicts, inspect
from harness.core.audio_fields import AudioFieldError, carrier, json_audio, ndjson_audio
from harness.core.drift import resolve
from harness.core.protocols.http_speech import asked_media_type, label_documented
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.retry import RetryPolicy
from harness.core.spec import Endpoint, EventStreamBody, JsonBody, NdjsonBody, Provider
from harness.core.sse import audio_events
from harness.core.target import TargetKind
from harness.core.transport import build_request, path_fields
from harness.core.validate import check_response, media_type_of, request_drift, soft_limit_warnings
from harness.core.verdict import Drift, Verdict, Violation

POLL_DEADLINE_S = 60.0
CONFORMANCE_POLLING = RetryPolicy(first_s=0.005, cap_s=0.5, source="contract suite: status polls")
WRONG_KEY = "wrong-key-for-contract-test"


@dataclass(slots=True)
class PlanOutcome:
    plan: ScenarioPlan
    exchanges: list[tuple[str, httpx.Request, httpx.Response]] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    drift: list[Drift] = field(default_factory=list)

    def add(self, verdict: Verdict, where: str) -> None:
        self.violations.extend(Violation(f"{where}{v.pointer}", v.expected, v.got, v.rule) for v in verdict.violations)
        self.drift.extend(Drift(f"{where}{d.pointer}", d.note, d.kind) for d in verdict.drift)


def _key(plan: ScenarioPlan, target: ContractTarget) -> str | None:
    if plan.auth is KeyCase.MISSING:
        return None
    if plan.auth is KeyCase.INVALID:
        return WRONG_KEY
    if plan.auth is KeyCase.BROKE:
        return target.broke_keys.get(plan.provider)
    return target.key_for(plan.provider)


def _send(
    client: httpx.Client,
    outcome: PlanOutcome,
    endpoint_key: str,
    request: httpx.Request,
    follow_redirects: bool = False,
) -> httpx.Response:
    request.read()  # multipart bodies are streams; materialise them so the exchange can be recorded
    response = client.send(request, follow_redirects=follow_redirects)
    response.read()
    outcome.exchanges.append((endpoint_key, request, response))
    return response


def _check(
    provider: Provider,
    endpoint: Endpoint,
    response: httpx.Response,
    outcome: PlanOutcome,
    where: str,
    payload: Any = None,
) -> None:
    asked = asked_media_type(provider, endpoint, payload) if isinstance(payload, Mapping) else None
    exact = label_documented(provider, endpoint, payload) if isinstance(payload, Mapping) else False
    verdict = check_response(
        provider, endpoint, response.status_code, response.headers, response.content, asked=asked, exact_label=exact
    )
    outcome.add(verdict, where)


def run_plan(provider: Provider, plan: ScenarioPlan, target: ContractTarget, client: httpx.Client) -> PlanOutcome:
    outcome = PlanOutcome(plan)
    endpoint = provider.endpoint(plan.endpoint)
    context = PlanContext(target.reference_url, reference_upload())
    headers = {FAULT_HEADER: plan.fault} if plan.fault else {}
    payload = plan.payload(context)
    if payload is not None and not plan.raw:
        outcome.drift.extend(soft_limit_warnings(endpoint, payload))
        outcome.drift.extend(request_drift(endpoint, payload))  # a client library's shape of the request
    request = build_request(
        provider,
        endpoint,
        target.base_url(provider.name, endpoint.host),
        payload,
        key=_key(plan, target),
        path_params=plan.path_params,
        query=plan.query,
        headers=headers,
        validate=not plan.raw,
    )
    response = _send(client, outcome, endpoint.key, request)
    if response.status_code != plan.expect_status:
        outcome.violations.append(
            Violation("", f"status {plan.expect_status} ({plan.label})", str(response.status_code), "status")
        )
    _check(provider, endpoint, response, outcome, f"{endpoint.key}", payload)
    if plan.audio is not None and response.status_code == plan.expect_status:
        outcome.violations.extend(check_format(endpoint, response, plan.audio))
    if plan.follow_job and response.status_code == endpoint.success_status and outcome.violations == []:
        _follow(provider, endpoint, response.json(), target, client, outcome)
    return outcome


def _follow(
    provider: Provider,
    submit: Endpoint,
    accepted: Any,
    target: ContractTarget,
    client: httpx.Client,
    outcome: PlanOutcome,
) -> None:
    binding = submit.job
    lifecycle = submit.lifecycle
    assert binding is not None and lifecycle is not None
    status_endpoint = provider.endpoint(binding.status_endpoint)
    found, job_id = resolve(accepted, binding.id_pointer)
    if not found:
        outcome.violations.append(Violation(binding.id_pointer, "the job id", "missing", "schema"))
        return
    in_path = "{" + binding.status_param + "}" in status_endpoint.path
    bodies: list[Any] = []
    deadline = time.monotonic() + POLL_DEADLINE_S
    while True:
        request = build_request(
            provider,
            status_endpoint,
            target.base_url(provider.name, status_endpoint.host),
            key=target.key_for(provider.name),
            path_params={binding.status_param: str(job_id)} if in_path else {},
            query={} if in_path else {binding.status_param: str(job_id)},
        )
        response = _send(client, outcome, status_endpoint.key, request)
        _check(provider, status_endpoint, response, outcome, f"{status_endpoint.key}[{len(bodies)}]")
        if response.status_code != 200:
            return
        body = response.json()
        bodies.append(body)
        if body.get(lifecycle.status_field) in lifecycle.terminal or time.monotonic() > deadline:
            break
        if target.kind is not TargetKind.REPLAY:
            # conformance polling, not timing: a short backoff bounded by the deadline
            time.sleep(CONFORMANCE_POLLING.backoff(len(bodies)))
    for violation in lifecycle.check_sequence(bodies):
        outcome.violations.append(
            Violation(f"{status_endpoint.key}{violation.pointer}", violation.expected, violation.got, "lifecycle")
        )
    final = bodies[-1]
    if final.get(lifecycle.status_field) not in lifecycle.terminal:
        outcome.violations.append(
            Violation(status_endpoint.key, "a terminal state", repr(final.get(lifecycle.status_field)), "lifecycle")
        )
    elif final.get(lifecycle.status_field) in lifecycle.success:
        _fetch_media(binding.media_pointer, binding.media_type_pointer, final, client, outcome)
        if binding.media_endpoint is not None:
            _fetch_by_id(provider, provider.endpoint(binding.media_endpoint), str(job_id), target, client, outcome)


def _fetch_by_id(
    provider: Provider,
    endpoint: Endpoint,
    job_id: str,
    target: ContractTarget,
    client: httpx.Client,
    outcome: PlanOutcome,
) -> None:
    """The finished job's audio where a client library fetches it by id (`JobBinding.media_endpoint`)."""
    (field_name,) = path_fields(endpoint.path)
    request = build_request(
        provider,
        endpoint,
        target.base_url(provider.name, endpoint.host),
        key=target.key_for(provider.name),
        path_params={field_name: job_id},
    )
    response = _send(client, outcome, endpoint.key, request)
    _check(provider, endpoint, response, outcome, endpoint.key)
    if response.status_code != endpoint.success_status:
        outcome.violations.append(
            Violation(
                endpoint.key, f"{endpoint.success_status} with the job's audio", str(response.status_code), "status"
            )
        )


def _fetch_media(
    media_pointer: str, type_pointer: str | None, body: Any, client: httpx.Client, outcome: PlanOutcome
) -> None:
    found, url = resolve(body, media_pointer)
    if not found or not isinstance(url, str):
        outcome.violations.append(Violation(media_pointer, "a media URL", repr(url), "schema"))
        return
    # Media may live behind a redirect (signed storage URLs); the client's CredentialGuard keeps keys home.
    response = _send(client, outcome, "media", httpx.Request("GET", url), follow_redirects=True)
    if response.status_code != 200:
        outcome.violations.append(Violation("media", "200 for the media URL", str(response.status_code), "status"))
        return
    declared = resolve(body, type_pointer)[1] if type_pointer else None
    outcome.violations.extend(check_audio(response.content, declared or response.headers.get("content-type")))


def carried_audio(content: bytes, carried: JsonBody | EventStreamBody | NdjsonBody | None) -> bytes:
    """The audio an answer carries: at its JSON pointer, joined from its events or lines, else the body itself."""
    if isinstance(carried, JsonBody) and carried.audio is not None:
        return json_audio(content, carried.audio)
    if isinstance(carried, EventStreamBody) and carried.audio is not None:
        return b"".join(audio for _, audio in audio_events(content, carried.audio))
    if isinstance(carried, NdjsonBody) and carried.audio is not None:
        return b"".join(audio for _, audio in ndjson_audio(content, carried.audio))
    return content


def check_format(endpoint: Endpoint, response: httpx.Response, spec: AudioSpec) -> list[Violation]:
    """The answer's audio is the format asked for: its codec (from its header, where it has one) and its
    sample rate (a headerless answer is taken at the rate the format names: its length must still be whole
    samples). Where the audio stack is not installed, only what the bytes' headers say is checked."""
    carried = carrier(endpoint.response_for(response.status_code))
    try:
        audio = carried_audio(response.content, carried)
    except AudioFieldError as error:
        return [Violation("audio", f"{spec}", str(error), "protocol")]
    if spec.container == "raw":
        width = RAW_SAMPLE_BYTES.get(spec.codec, 1)
        if not audio or len(audio) % width:
            return [Violation("audio", f"{spec}", f"{len(audio)} bytes: not whole {width}-byte samples", "protocol")]
        return []
    info = inspect(audio)
    expected = container_kinds(spec.container, spec.codec)
    if expected and info.kind not in expected:
        return [Violation("audio", f"{spec}", f"{info.kind or 'bytes of no known audio format'}", "content-type")]
    if info.sample_rate is not None and spec.container != "ogg" and info.sample_rate != spec.sample_rate:
        # Opus always runs at 48 kHz inside; its header keeps the input rate only as a hint.
        return [Violation("audio", f"{spec.sample_rate} Hz", f"{info.sample_rate} Hz", "protocol")]
    return []


def check_audio(data: bytes, declared: str | None) -> list[Violation]:
    """The bytes are whole audio (`harness.core.audio`), of the declared type when one is declared, and
    decode (the one decoder, where the audio stack is installed)."""
    info = inspect(data, declared)
    if info.kind is None:
        return [Violation("media", "decodable audio", f"{len(data)} bytes of no known audio format", "protocol")]
    if contradicts(declared, info.kind) and media_type_of(declared).startswith("audio/"):
        return [Violation("media", f"{media_type_of(declared)} audio (declared)", str(info.media_type), "content-type")]
    if info.problem is not None:
        return [Violation("media", "whole audio", info.problem, "protocol")]
    try:
        from harness.speech import decode_audio
    except ImportError:  # the core install has no audio stack: the headers are all we can check
        return []
    try:
        decoded = decode_audio(data, declared)
    except AudioDecodeError as error:
        return [Violation("media", "decodable audio", f"{info.media_type} that does not decode ({error})", "protocol")]
    if decoded.frames <= 0:
        return [Violation("media", "audio with at least one frame", "0 frames", "protocol")]
    return []
