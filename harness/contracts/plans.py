"""Scenario plans, derived from the specs: a success scenario per endpoint and one per documented
error status, so coverage of the documents is by construction rather than by hand.

A plan says what to send and how to provoke the answer it expects. Errors are provoked the way a
real client would meet them where that is possible (a wrong key for 401, an out-of-range parameter for
400, an unknown id for 404) and with the sandbox's fault header otherwise (403, 429, 5xx): those plans
cannot run against a live provider and are skipped there with that reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from harness.core.audio import pcm_layout, writable
from harness.core.params import ParamKind, ParamSpec, params_of
from harness.core.protocols.http_speech import Format, SpeechService, Synthesis, in_format
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.spec import DOCUMENTS, Endpoint, Evidence, Provider, RequestVariant, Role, SynthesisInput, Upload
from harness.core.transport import path_fields

SAMPLE_TEXT = "The quick brown fox jumps over the lazy dog."
UNKNOWN_ID = "does-not-exist-0000"


class KeyCase(StrEnum):
    VALID = "valid"
    MISSING = "missing"
    INVALID = "invalid"
    BROKE = "broke"  # a valid key whose balance is spent (sandbox only)


@dataclass(frozen=True, slots=True)
class PlanContext:
    """What a target offers a plan: reference voices it can fetch or that can be uploaded."""

    reference_url: str
    reference_audio: Upload


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioPlan:
    name: str  # "pixazo/xtts-v2.generate/202-success"; also the fixture's path
    provider: str
    endpoint: str  # key
    expect_status: int
    payload: Callable[[PlanContext], dict[str, Any] | None]
    path_params: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    auth: KeyCase = KeyCase.VALID
    fault: str | None = None  # the sandbox fault to request
    raw: bool = False  # send the payload unvalidated (it is deliberately wrong)
    follow_job: bool = False  # poll the job to its end and download the media
    live_skip: str = ""  # why this plan cannot run against a live provider
    evidence: Evidence = DOCUMENTS  # what the plan's request rests on: the documents, or a client library
    audio: AudioSpec | None = None  # the audio the answer must carry (a format check): codec, rate, container
    imitation_gap: str = ""  # why the sandbox cannot stand in for the provider here: checked live only

    @property
    def label(self) -> str:
        return self.name.rsplit("/", 1)[-1]


def _uploads_filled(endpoint: Endpoint, payload: dict[str, Any], context: PlanContext) -> dict[str, Any]:
    """Required file parameters get the target's reference voice; documented file names become it too."""
    if endpoint.request is None:
        return payload
    for spec in params_of(endpoint.request):
        if spec.kind is ParamKind.FILE and (spec.required or isinstance(payload.get(spec.name), str)):
            payload[spec.name] = context.reference_audio
    return payload


def success_payload(provider: Provider, endpoint: Endpoint) -> Callable[[PlanContext], dict[str, Any] | None]:
    offering = next((o for o in provider.offerings if o.endpoint == endpoint.key), None)

    def build(context: PlanContext) -> dict[str, Any] | None:
        if endpoint.request is None:
            return None
        if offering is not None:
            given = SynthesisInput(
                SAMPLE_TEXT, reference_url=context.reference_url, reference_audio=context.reference_audio
            )
            return offering.build(given)
        base = {k: v for k, v in (endpoint.example or {}).items() if k not in path_fields(endpoint.path)}
        return _uploads_filled(endpoint, dict(base), context)

    return build


def _out_of_range(spec: ParamSpec) -> Any:
    if spec.le is not None:
        return spec.le + 1 if spec.kind is ParamKind.INTEGER else spec.le + 0.5
    if spec.lt is not None:
        return spec.lt + 1
    if spec.ge is not None:
        return spec.ge - 1 if spec.kind is ParamKind.INTEGER else spec.ge - 0.5
    if spec.max_length is not None and spec.kind is ParamKind.STRING:
        return "x" * (spec.max_length + 1)
    if spec.min_length and spec.kind is ParamKind.STRING:
        return ""
    if spec.kind is ParamKind.ENUM:
        return "not-a-documented-value"
    return None


def invalid_payload(provider: Provider, endpoint: Endpoint) -> Callable[[PlanContext], dict[str, Any] | None]:
    """A payload the documents forbid, chosen from the declared ranges: the first violable parameter."""
    valid = success_payload(provider, endpoint)

    def build(context: PlanContext) -> dict[str, Any] | None:
        payload = dict(valid(context) or {})
        if endpoint.request is None:
            return payload
        # A field that travels in the path is filled from the valid path (the model of a
        # /models/{model}:generateContent): breaking it in the payload would break nothing that is sent.
        in_path = set(path_fields(endpoint.path))
        specs = [s for s in params_of(endpoint.request) if s.name not in in_path]
        for spec in sorted(specs, key=lambda s: (s.kind is not ParamKind.STRING, not s.required)):
            bad = _out_of_range(spec)
            if bad is not None:
                payload[spec.name] = bad
                return payload
        required = [s.name for s in specs if s.required]
        if required:
            payload.pop(required[0], None)
        return payload

    return build


def _variant_payload(endpoint: Endpoint, variant: RequestVariant) -> Callable[[PlanContext], dict[str, Any] | None]:
    def build(context: PlanContext) -> dict[str, Any] | None:
        return _uploads_filled(endpoint, dict(variant.example or {}), context)

    return build


def _variant_plans(
    provider: Provider, endpoint: Endpoint, base: str, path: dict[str, str], query: dict[str, str]
) -> list[ScenarioPlan]:
    """One success scenario per request shape other evidence shows (`RequestVariant`): the client
    library's form of the request must work too, and is reported as drift where it does."""
    return [
        ScenarioPlan(
            name=f"{base}/{endpoint.success_status}-success-{variant.evidence.source.value}",
            provider=provider.name,
            endpoint=endpoint.key,
            expect_status=endpoint.success_status,
            payload=_variant_payload(endpoint, variant),
            path_params=path,
            query=query,
            follow_job=endpoint.role is Role.SUBMIT and endpoint.job is not None,
            evidence=variant.evidence,
        )
        for variant in endpoint.request_variants
        if variant.example is not None
    ]


def _fetched_in_jobs(provider: Provider, endpoint: Endpoint) -> bool:
    return any(e.job is not None and e.job.media_endpoint == endpoint.key for e in provider.endpoints)


def _status_param(provider: Provider, endpoint: Endpoint) -> str | None:
    for submit in provider.endpoints:
        if submit.job is not None and submit.job.status_endpoint == endpoint.key:
            return submit.job.status_param
    return None


def _path_values(endpoint: Endpoint) -> dict[str, str]:
    example = endpoint.example or {}
    return {name: str(example.get(name, UNKNOWN_ID)) for name in path_fields(endpoint.path)}


def _error_plan(
    provider: Provider,
    endpoint: Endpoint,
    status: int,
    base: str,
    valid_path: dict[str, str],
    valid_query: dict[str, str],
) -> ScenarioPlan:
    payload = success_payload(provider, endpoint)
    common: dict[str, Any] = {
        "provider": provider.name,
        "endpoint": endpoint.key,
        "expect_status": status,
        "path_params": valid_path,
        "query": valid_query,
        "evidence": endpoint.evidence,
    }
    if status == 401 and endpoint.auth_required:
        if provider.auth.invalid_status != 401:  # a wrong key is another status there: 401 is a missing one
            return ScenarioPlan(name=f"{base}/401-missing-key", payload=payload, auth=KeyCase.MISSING, **common)
        return ScenarioPlan(name=f"{base}/401-invalid-key", payload=payload, auth=KeyCase.INVALID, **common)
    if status == provider.auth.invalid_status and status != 400 and endpoint.auth_required:
        return ScenarioPlan(
            name=f"{base}/{status}-invalid-key", payload=payload, auth=KeyCase.INVALID, **common
        )  # AWS: 403
    if status == 402:
        return ScenarioPlan(
            name=f"{base}/402-balance-spent",
            payload=payload,
            auth=KeyCase.BROKE,
            live_skip="a spent balance cannot be provoked on a live account",
            **common,
        )
    if status == 400 and endpoint.request is not None:
        return ScenarioPlan(
            name=f"{base}/400-invalid-parameter", payload=invalid_payload(provider, endpoint), raw=True, **common
        )
    status_param = _status_param(provider, endpoint)
    if status == 404 and status_param is not None:
        in_path = status_param in path_fields(endpoint.path)
        return ScenarioPlan(
            name=f"{base}/404-unknown-id",
            payload=payload,
            **{
                **common,
                "path_params": {status_param: UNKNOWN_ID} if in_path else valid_path,
                "query": valid_query if in_path else {status_param: UNKNOWN_ID},
            },
        )
    return ScenarioPlan(
        name=f"{base}/{status}-fault",
        payload=payload,
        fault=f"http-{status}",
        live_skip=f"a {status} cannot be provoked on demand against a live provider",
        **common,
    )


def _format_plans(
    provider: Provider, endpoint: Endpoint, base: str, path: dict[str, str], query: dict[str, str]
) -> list[ScenarioPlan]:
    """One success scenario per output format a speech family endpoint documents, each answer's audio
    checked to be that format (codec, rate, container). A format the harness's own writer cannot produce is
    checked against the provider only: the sandbox cannot imitate it (`imitation_gap`)."""
    service = provider.family
    if not isinstance(service, SpeechService):
        return []
    try:
        synthesis = service.synthesis(endpoint.key)
    except KeyError:
        return []
    # A route only a run that names it benchmarks (`named_only`: its timing marks) shares its formats with the model's
    # other route, which checks them: not checked twice.
    offering = next((o for o in provider.offerings if o.endpoint == endpoint.key and not o.named_only), None)
    if offering is None or (synthesis.slots.format is None and not any(f.sets for f in synthesis.formats)):
        return []
    plans = []
    for fmt in synthesis.formats:
        if fmt.spec.container == "raw" and writable(fmt.spec.codec, "raw") and pcm_layout(fmt.media_type) is None:
            continue  # headerless samples whose media type says nothing of their layout: no check can read them
        gap = (
            ""
            if writable(fmt.spec.codec, fmt.spec.container)
            else (f"the sandbox cannot write {fmt.spec}: {fmt.name} is checked against {provider.name} itself only")
        )
        plans.append(
            ScenarioPlan(
                name=f"{base}/{endpoint.success_status}-format-{slug(fmt.name)}",
                provider=provider.name,
                endpoint=endpoint.key,
                expect_status=endpoint.success_status,
                payload=_in_format(offering.build, synthesis, fmt),
                path_params=path,
                query=query,
                audio=fmt.spec,
                imitation_gap=gap,
            )
        )
    return plans


def _in_format(
    build: Callable[[SynthesisInput], dict[str, Any]], synthesis: Synthesis, fmt: Format
) -> Callable[[PlanContext], dict[str, Any] | None]:
    def payload(context: PlanContext) -> dict[str, Any] | None:
        return in_format(synthesis, build(SynthesisInput(SAMPLE_TEXT, reference_url=context.reference_url)), fmt)

    return payload


def slug(name: str) -> str:
    """A format's name as a fixture file name part: `riff-24khz-16bit-mono-pcm`, `ogg_vorbis`, `LINEAR16`."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "format"


def plans_for(provider: Provider) -> list[ScenarioPlan]:
    """Every scenario the documents call for, for one provider."""
    plans: list[ScenarioPlan] = []
    for endpoint in provider.endpoints:
        if endpoint.role is Role.CALLBACK:
            continue  # callbacks are checked from the documents' examples and the sandbox's webhook tests
        base = f"{provider.name}/{endpoint.key}"
        path = _path_values(endpoint)
        status_param = _status_param(provider, endpoint)
        query = {status_param: UNKNOWN_ID} if status_param and status_param not in path else {}
        if endpoint.role is Role.STATUS or _fetched_in_jobs(provider, endpoint):
            # Its success path is exercised inside every job scenario of the submit endpoints.
            pass
        else:
            plans.append(
                ScenarioPlan(
                    name=f"{base}/{endpoint.success_status}-success",
                    provider=provider.name,
                    endpoint=endpoint.key,
                    expect_status=endpoint.success_status,
                    payload=success_payload(provider, endpoint),
                    path_params=path,
                    query=query,
                    follow_job=endpoint.role is Role.SUBMIT and endpoint.job is not None,
                    evidence=endpoint.evidence,
                )
            )
            plans += _variant_plans(provider, endpoint, base, path, query)
            plans += _format_plans(provider, endpoint, base, path, query)
        for response in endpoint.responses:
            if response.status >= 400:
                plans.append(_error_plan(provider, endpoint, response.status, base, path, query))
    return plans
