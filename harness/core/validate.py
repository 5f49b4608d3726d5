"""Checking requests and responses against an endpoint's declaration.

Requests are checked before they are sent: a parameter outside its documented range raises
`RequestValidationError` naming the parameter and the range, and nothing goes on the wire.
Responses are checked as they arrive: status within the documented set, content type, documented
headers, body schema (strict types: `"1"` is not a number), lifecycle rules (a failure state says why
when the documents name the field), server timestamps in a documented form (a value none of them
parses would silently lose the server-side latency), and drift.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from harness.core.audio import (
    LabelVerdict,
    contradicts,
    declares,
    judge_label,
    names_a_format,
    sniff,
    sniff_media_type,
)
from harness.core.audio import media_type as audio_media_type
from harness.core.audio_fields import AudioFieldError, json_audio
from harness.core.drift import resolve, timestamp_drift, unknown_fields, variant_drift
from harness.core.errors import RequestValidationError
from harness.core.params import ParamSpec, params_of, soft_limit_breaches
from harness.core.spec import (
    AudioAt,
    AudioBody,
    BodyKind,
    Endpoint,
    EventStreamBody,
    JsonBody,
    NdjsonBody,
    PlainTextBody,
    Provider,
    Role,
    UnknownInput,
)
from harness.core.stream_events import ndjson_events, sse_events
from harness.core.timestamps import parse_timestamp
from harness.core.verdict import Drift, Verdict, Violation, pointer

_GOT_LIMIT = 80


def _short(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        return f"{len(value)} bytes"
    if isinstance(value, BaseModel):
        return f"{type(value).__name__} ({len(value.model_dump_json(exclude={'content'}))} chars of fields)"
    if isinstance(value, dict) and len(str(value)) > 4 * _GOT_LIMIT:
        return f"an object with keys {', '.join(map(str, list(value)[:8]))}"
    text = "missing" if value is _MISSING else repr(value)
    return text if len(text) <= _GOT_LIMIT else text[: _GOT_LIMIT - 1] + "…"


_MISSING = object()


def violations_from(error: ValidationError, prefix: str = "") -> list[Violation]:
    """pydantic errors as located violations."""
    found = []
    for item in error.errors(include_url=False):
        where = prefix + pointer(*item["loc"])
        if item["type"] == "missing":
            found.append(Violation(where, "a required field", "missing"))
        else:
            found.append(Violation(where, item["msg"].replace("Input should be", "").strip(), _short(item["input"])))
    return found


def _strict_for(endpoint: Endpoint, from_wire: bool) -> bool:
    # Form fields and query strings are text on the wire; only JSON carries types.
    return not (from_wire and endpoint.body_kind in (BodyKind.MULTIPART, BodyKind.QUERY))


def check_request(endpoint: Endpoint, payload: Mapping[str, Any], *, from_wire: bool = False) -> BaseModel:
    """The validated request model, or `RequestValidationError` naming each bad parameter's range.

    A payload the documented model refuses but a `RequestVariant` accepts is that variant's model (the
    caller reports it with `request_drift`); the refusal names the documented model's problems."""
    if endpoint.request is None:
        raise RequestValidationError(endpoint.signature, ["this endpoint takes no parameters"])
    strict = _strict_for(endpoint, from_wire)
    try:
        return endpoint.request.model_validate(dict(payload), strict=strict)
    except ValidationError as error:
        for variant in endpoint.request_variants:
            try:
                return variant.model.model_validate(dict(payload), strict=strict)
            except ValidationError:
                continue
        specs = {spec.name: spec for spec in params_of(endpoint.request)}
        raise RequestValidationError(endpoint.signature, _describe(error, specs)) from None


def check_wire_request(endpoint: Endpoint, payload: Mapping[str, Any]) -> tuple[BaseModel, tuple[str, ...]]:
    """A request as the provider takes it off the wire (the imitation's check): the validated model, and the
    fields its documents do not list that were set aside — where the declaration says the provider ignores them,
    or its documents are silent (`UnknownInput`). Where they say it refuses them, or anything else is wrong,
    `RequestValidationError` as `check_request` raises it."""
    try:
        return check_request(endpoint, payload, from_wire=True), ()
    except RequestValidationError:
        if endpoint.unknown_input is UnknownInput.REFUSED:
            raise
        assert endpoint.request is not None
        trimmed, unknown = set_aside_unknown(endpoint.request, payload, strict=_strict_for(endpoint, True))
        if not unknown:
            raise
    return check_request(endpoint, trimmed, from_wire=True), unknown


def set_aside_unknown(model: type[BaseModel], payload: Any, *, strict: bool = True) -> tuple[Any, tuple[str, ...]]:
    """`payload` without the fields `model` does not list (nested ones included), and their dotted names; the
    payload itself where there are none. The one reading of "a field the documents do not list", for request
    bodies and socket messages alike."""
    try:
        model.model_validate(payload, strict=strict)
    except ValidationError as error:
        unknown = [
            _in_payload(payload, tuple(item["loc"]))
            for item in error.errors(include_url=False)
            if item["type"] == "extra_forbidden"
        ]
        if unknown:
            return _without(payload, unknown), tuple(".".join(str(part) for part in where) for where in unknown)
    return payload, ()


def _in_payload(payload: Any, location: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """A validation error's location as a path through the payload: a tagged union's tag, which pydantic puts in the
    location (`output_format.mp3.encoding`), is no key of the object and is left out (`output_format.encoding`)."""
    found: list[str | int] = []
    here = payload
    for index, part in enumerate(location):
        last = index == len(location) - 1
        if isinstance(here, Mapping) and part not in here and not last:
            continue  # a union's tag
        found.append(part)
        here = (
            here.get(part)
            if isinstance(here, Mapping)
            else (here[part] if isinstance(here, list) and isinstance(part, int) and part < len(here) else None)
        )
    return tuple(found)


def _without(payload: Any, locations: list[tuple[str | int, ...]]) -> Any:
    """A copy of `payload` with the fields at `locations` left out (nested objects and lists included)."""
    here = {location[0] for location in locations if len(location) == 1}
    deeper: dict[str | int, list[tuple[str | int, ...]]] = {}
    for location in locations:
        if len(location) > 1:
            deeper.setdefault(location[0], []).append(location[1:])
    if isinstance(payload, Mapping):
        return {
            key: _without(value, deeper[key]) if key in deeper else value
            for key, value in payload.items()
            if key not in here
        }
    if isinstance(payload, list):
        return [_without(value, deeper[index]) if index in deeper else value for index, value in enumerate(payload)]
    return payload


def request_drift(endpoint: Endpoint, payload: Mapping[str, Any]) -> tuple[Drift, ...]:
    """A payload in a variant's shape (valid only as a `RequestVariant`): accepted, and this says so."""
    if endpoint.request is None or not endpoint.request_variants:
        return ()
    try:
        parsed = check_request(endpoint, payload)
    except RequestValidationError:
        return ()
    return tuple(
        Drift("", f"{variant.note} [{variant.evidence}]", "request-variant")
        for variant in endpoint.request_variants
        if type(parsed) is variant.model
    )


def _describe(error: ValidationError, specs: Mapping[str, ParamSpec]) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        loc = item["loc"]
        name = str(loc[0]) if loc else ""
        spec = specs.get(name)
        where = ".".join(str(p) for p in loc) or "body"
        if item["type"] == "missing":
            problems.append(f"parameter {where!r} is required")
        elif spec is not None and len(loc) == 1 and item["type"] not in ("value_error", "assertion_error"):
            cited = f'documented: "{spec.words}"' if spec.words else "documented"
            problems.append(f"parameter {name!r} must be {spec.describe()} ({cited}); got {_short(item['input'])}")
        else:
            problems.append(f"parameter {where!r}: {item['msg']}; got {_short(item['input'])}")
    return problems


def soft_limit_warnings(endpoint: Endpoint, payload: Mapping[str, Any]) -> tuple[Drift, ...]:
    """A valid request that goes beyond what the documents only recommend: sent, and flagged.

    Each warning quotes the document ("max 500 characters recommended") so a reader can judge it.
    """
    if endpoint.request is None:
        return ()
    warnings = []
    for spec, limit, value in soft_limit_breaches(endpoint.request, payload):
        size = (
            f"{len(value)} {'characters' if isinstance(value, str) else 'items'}"
            if isinstance(value, (str, list, tuple))
            else repr(value)
        )
        warnings.append(
            Drift(
                pointer(spec.name),
                f"{size}, beyond the documents' recommendation {limit.citation()}: sent anyway",
                "soft-limit",
            )
        )
    return tuple(warnings)


def check_request_json(endpoint: Endpoint, payload: Any) -> Verdict:
    """A request body as data (for the CLI): violations instead of an exception."""
    if endpoint.request is None:
        return Verdict((Violation("", "no request body", _short(payload)),))
    if not isinstance(payload, Mapping):
        return Verdict((Violation("", "a JSON object", type(payload).__name__),))
    try:
        model = endpoint.request.model_validate(dict(payload), strict=True)
    except ValidationError as error:
        return Verdict(tuple(violations_from(error)))
    return Verdict(drift=tuple(unknown_fields(model)))


def check_json(endpoint: Endpoint, status: int, data: Any) -> Verdict:
    """A JSON response body for a given status: schema, lifecycle and drift."""
    response = endpoint.response_for(status)
    if response is None:
        return Verdict((Violation("", f"a documented status ({_statuses(endpoint)})", str(status), "status"),))
    json_bodies = [(i, b) for i, b in enumerate(response.bodies) if isinstance(b, JsonBody)]
    if not json_bodies:
        return Verdict((Violation("", "a non-JSON body (" + _kinds(response.bodies) + ")", "JSON", "protocol"),))
    best: Verdict | None = None
    for index, body in json_bodies:
        verdict = _check_model(endpoint, status, body.model, data)
        if verdict.ok:
            if index > 0 and response.drift_note:
                verdict = verdict + Verdict(drift=(Drift("", response.drift_note),))
            return verdict
        if best is None or len(verdict.violations) < len(best.violations):
            best = verdict
    assert best is not None
    return best


def _check_model(endpoint: Endpoint, status: int, model: type[BaseModel], data: Any) -> Verdict:
    try:
        parsed = model.model_validate(data, strict=True)
    except ValidationError as error:
        # The unknown fields still matter here: one next to a missing field is most likely its new name.
        return Verdict(tuple(_dedupe(violations_from(error))), tuple(unknown_keys(model, data)))
    violations: list[Violation] = []
    lifecycle = endpoint.lifecycle
    checks_lifecycle = endpoint.role in (Role.SUBMIT, Role.STATUS, Role.CALLBACK) and status < 400
    if lifecycle is not None and checks_lifecycle and isinstance(data, Mapping) and lifecycle.status_field in data:
        violations.extend(lifecycle.check_body(data))
        if endpoint.role is Role.SUBMIT and data.get(lifecycle.status_field) not in lifecycle.initial:
            violations.append(
                Violation(
                    pointer(lifecycle.status_field),
                    "an initial state: " + ", ".join(sorted(lifecycle.initial)),
                    repr(data.get(lifecycle.status_field)),
                    "lifecycle",
                )
            )
    violations.extend(timestamp_violations(data, endpoint.timestamp_fields))
    drift = unknown_fields(parsed) + timestamp_drift(data, endpoint.timestamp_fields)
    drift += variant_drift(data, endpoint.variants)
    return Verdict(tuple(violations), tuple(drift))


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, directly, optionally or as list items."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def unknown_keys(model: type[BaseModel], data: Any, prefix: str = "") -> list[Drift]:
    """Fields the documents never mention, found without a successful parse (the body may be invalid)."""
    if not isinstance(data, Mapping):
        return []
    fields = {info.alias or name: info for name, info in model.model_fields.items()}
    found = [
        Drift(prefix + pointer(key), "field not in the documents", "unknown-field")
        for key in data
        if key not in fields and model.model_config.get("extra") == "allow"
    ]
    for key, info in fields.items():
        inner = _model_in(info.annotation)
        value = data.get(key)
        if inner is None or value is None:
            continue
        if isinstance(value, list):
            for index, item in enumerate(value):
                found += unknown_keys(inner, item, prefix + pointer(key, index))
        else:
            found += unknown_keys(inner, value, prefix + pointer(key))
    return found


def timestamp_violations(data: Any, pointers: tuple[str, ...]) -> list[Violation]:
    """Server timestamps that no documented form parses (null and absent are allowed: optional)."""
    found = []
    for where in pointers:
        present, value = resolve(data, where)
        if present and value is not None and (not isinstance(value, str) or parse_timestamp(value) is None):
            found.append(
                Violation(
                    where,
                    "a timestamp in a documented form (ISO 8601 or 'YYYY-MM-DD HH:MM:SS')",
                    _short(value),
                    "timestamp",
                )
            )
    return found


def _dedupe(violations: list[Violation]) -> list[Violation]:
    seen: set[str] = set()
    kept = []
    for v in violations:
        if v.pointer not in seen:
            seen.add(v.pointer)
            kept.append(v)
    return kept


def _statuses(endpoint: Endpoint) -> str:
    return ", ".join(str(s) for s in endpoint.statuses)


def _kinds(bodies: tuple[object, ...]) -> str:
    return ", ".join(type(b).__name__ for b in bodies)


def media_type_of(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def sniff_audio(body: bytes) -> str | None:
    """The audio media type a body's bytes announce, or None (`harness.core.audio` reads them)."""
    return sniff_media_type(body)


def check_response(
    provider: Provider,
    endpoint: Endpoint,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    asked: str | None = None,
    exact_label: bool = False,
) -> Verdict:
    """A whole HTTP answer: status, content type, documented headers, then the body. `asked`: the media type the
    request asked for where the answer's audio cannot say it (headerless samples carried as text in a JSON answer
    shared by several formats: `http_speech.asked_media_type`); `exact_label`: the provider documents the exact
    Content-Type of the format asked for (`http_speech.label_documented`)."""
    lower_headers = {k.lower(): v for k, v in headers.items()}
    response = endpoint.response_for(status)
    if response is None:
        return Verdict((Violation("", f"a documented status ({_statuses(endpoint)})", str(status), "status"),))
    header_violations = [
        Violation(f"headers/{name}", f"header {name} (documented for {status})", "missing", "header")
        for name in (*response.headers, *provider.rate_limit_headers)
        if name.lower() not in lower_headers
    ]
    media_type = media_type_of(lower_headers.get("content-type"))
    verdict = _check_body(endpoint, status, media_type, body, asked, exact_label)
    return Verdict(tuple(header_violations)) + verdict


def _check_body(
    endpoint: Endpoint, status: int, media_type: str, body: bytes, asked: str | None = None, exact_label: bool = False
) -> Verdict:
    response = endpoint.response_for(status)
    assert response is not None
    if not response.bodies:  # the documents show an empty body
        if body.strip():
            return Verdict((Violation("", "an empty body", f"{len(body)} bytes", "protocol"),))
        return Verdict()
    for index, alternative in enumerate(response.bodies):
        if media_type not in alternative.content_types:
            continue
        drift = (Drift("", response.drift_note),) if index > 0 and response.drift_note else ()
        if isinstance(alternative, JsonBody):
            verdict = _check_json_bytes(endpoint, status, body)
            if alternative.audio is not None and verdict.ok:
                verdict = verdict + _check_carried_audio(body, alternative.audio, asked)
            return verdict
        if isinstance(alternative, AudioBody):
            return _check_audio_bytes(media_type, body) + Verdict(drift=drift)
        if isinstance(alternative, EventStreamBody | NdjsonBody):
            return Verdict(drift=drift)
        if isinstance(alternative, PlainTextBody):
            if not body.strip():
                return Verdict((Violation("", "non-empty text", "an empty body", "protocol"),))
            return Verdict(drift=drift)
    named = _another_name(response.bodies, media_type, body, asked, exact_label)
    if named is not None:
        return named
    declared = sorted({ct for alt in response.bodies for ct in alt.content_types})
    content_type_violation = Violation(
        "headers/content-type", "one of " + ", ".join(declared), media_type or "none", "content-type"
    )
    # Say what the body really is, so a mislabelled but valid body is not mistaken for garbage.
    if any(isinstance(alt, JsonBody) for alt in response.bodies):
        try:
            data = json.loads(body)
        except ValueError:
            pass
        else:
            return Verdict((content_type_violation,)) + check_json(endpoint, status, data)
    return Verdict((content_type_violation,))


def _another_name(
    bodies: tuple[Any, ...], media_type: str, body: bytes, asked: str | None, exact_label: bool
) -> Verdict | None:
    """An audio answer whose Content-Type is not among the documented ones, judged by the one label rule the family
    checks ask (`core.audio.judge_label`): an alias of a documented type, or a generic label for headerless samples,
    is right; the same bytes by another name a finding (the bytes decide). None where no documented type takes it."""
    for alternative in bodies:
        if not isinstance(alternative, AudioBody):
            continue
        for documented in alternative.content_types:
            if not names_a_format(documented):
                continue  # a generic type takes only itself (matched above)
            read_as = asked if asked and not names_a_format(media_type) else media_type
            kind = sniff(body, read_as) if body else None
            verdict = judge_label(
                documented, media_type, exact=exact_label, bytes_right=kind is not None and declares(documented, kind)
            )
            if verdict is LabelVerdict.RIGHT:
                return _check_audio_bytes(read_as, body)
            if verdict is LabelVerdict.ANOTHER_NAME:
                return _check_audio_bytes(media_type, body) + Verdict(
                    drift=(
                        Drift(
                            "headers/content-type",
                            f"{media_type}, another name of the same bytes as the documented {documented}",
                            "content-type",
                        ),
                    )
                )
    return None


def _check_json_bytes(endpoint: Endpoint, status: int, body: bytes) -> Verdict:
    try:
        data = json.loads(body)
    except ValueError as error:
        return Verdict((Violation("", "a JSON body", f"malformed JSON ({error})", "protocol"),))
    return check_json(endpoint, status, data)


def _check_carried_audio(body: bytes, where: AudioAt, asked: str | None = None) -> Verdict:
    """A JSON answer's audio field: text in its declared encoding that decodes to audio a reader knows (headerless
    samples as the field declares them, else as the request asked for them)."""
    try:
        audio = json_audio(body, where)
    except AudioFieldError as error:
        return Verdict((Violation(where.pointer, f"{where.encoding} audio", str(error), "protocol"),))
    if not audio:
        return Verdict((Violation(where.pointer, f"{where.encoding} audio", "an empty string", "protocol"),))
    if sniff(audio, where.media_type or asked) is None:
        return Verdict(
            (
                Violation(
                    where.pointer, f"{where.encoding} audio", "bytes that are not a known audio format", "protocol"
                ),
            )
        )
    return Verdict()


def _check_audio_bytes(media_type: str, body: bytes) -> Verdict:
    if not body:
        return Verdict((Violation("", f"{media_type} audio", "an empty body", "protocol"),))
    kind = sniff(body, media_type)
    if kind is None:
        return Verdict((Violation("", f"{media_type} audio", "bytes that are not a known audio format", "protocol"),))
    if contradicts(media_type, kind):
        return Verdict((Violation("", f"{media_type} audio", f"{audio_media_type(kind)} audio", "content-type"),))
    return Verdict()


def check_events(carried: EventStreamBody | NdjsonBody, body: bytes, *, lines: bool = False) -> Verdict:
    """Each event of a streamed answer (SSE, or NDJSON `lines`) whose data is a JSON object, held against the
    declared `event_model`: a violation where an event breaks it (its pointer `/events/N/...`, N counting the events
    with data), drift where it carries a field the documents do not. Nothing is judged without a model; what is not
    JSON, the order and the end are the one stream reader's (`harness.core.stream_events.read_stream`)."""
    model = carried.event_model
    if model is None:
        return Verdict()
    violations: list[Violation] = []
    drift: list[Drift] = []
    for index, event in enumerate(e for e in (ndjson_events(body) if lines else sse_events(body)) if e.data):
        try:
            document = json.loads(b"\n".join(event.data))
        except ValueError:
            continue
        if not isinstance(document, Mapping):
            continue
        where = pointer("events", index)
        try:
            model.model_validate(document)
        except ValidationError as error:
            violations += violations_from(error, where)
        drift += unknown_keys(model, document, where)
    return Verdict(tuple(violations), tuple(drift))
