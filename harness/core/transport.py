"""Turning a declared endpoint and a payload into an HTTP request, and an answer into a classified
outcome. Pure functions over httpx types, shared by the contract suite, the sandbox's tests and the
benchmark runner (sync or async clients alike).

The request is validated against the endpoint's documented ranges first: a bad parameter raises
`RequestValidationError` and no request object is ever built, so nothing can be sent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from string import Formatter
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import BaseModel

from harness.core.errors import ProtocolError, ProviderError, error_for_status
from harness.core.redact import Redactor
from harness.core.retry import parse_retry_after
from harness.core.spec import BodyKind, Endpoint, Provider, Upload
from harness.core.target import region_of
from harness.core.validate import check_request


def path_fields(template: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in Formatter().parse(template) if name)


def render_path(endpoint: Endpoint, path_params: Mapping[str, str]) -> str:
    missing = [name for name in path_fields(endpoint.path) if name not in path_params]
    if missing:
        raise ValueError(f"{endpoint.signature} needs path parameter(s) {', '.join(missing)}")
    return endpoint.path.format(**{k: quote(str(v), safe="") for k, v in path_params.items()})


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def wire_payload(model: BaseModel) -> dict[str, Any]:
    """What goes on the wire: the fields the caller set, by their documented names."""
    return model.model_dump(by_alias=True, exclude_unset=True)


def build_request(
    provider: Provider,
    endpoint: Endpoint,
    base_url: str,
    payload: Mapping[str, Any] | None = None,
    *,
    key: str | None = None,
    path_params: Mapping[str, str] | None = None,
    query: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    validate: bool = True,
    region: str = "",
) -> httpx.Request:
    """An `httpx.Request` for one call; `validate=False` only to send deliberately bad requests.

    The request model's fields travel where the endpoint says (`placed`): the path, the query string,
    headers, and the rest in the body as JSON, a form, a query string or a text document (SSML). The key
    travels as its provider's `Auth` says: a header, a query parameter, or a signature over the finished
    request (`region`: the signer's, for a provider with regions)."""
    body: dict[str, Any] = {}
    if endpoint.request is not None and payload is not None:
        body = wire_payload(check_request(endpoint, payload)) if validate else dict(payload)
        if validate and endpoint.body_kind is BodyKind.TEXT:  # a document is made whole: defaults included
            body = check_request(endpoint, payload).model_dump(by_alias=True, exclude_none=True)
    path_values, query_values, header_values, body = placed(endpoint, body)
    url = base_url.rstrip("/") + render_path(endpoint, {**path_values, **(path_params or {})})
    all_headers: dict[str, str] = {}
    auth = provider.auth
    params = {k: _form_value(v) for k, v in {**query_values, **(query or {})}.items() if v is not None}
    if key is not None and auth.signer is None:
        if auth.query:
            params[auth.query] = key
        else:
            all_headers[auth.header] = auth.header_value(key)
    all_headers.update(header_values)
    all_headers.update(headers or {})
    request = _request(endpoint, url, params, body, all_headers)
    if key is not None and auth.signer is not None:
        auth.signer.sign(request, key, region or region_of(provider))
    return request


def placed(
    endpoint: Endpoint, fields: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, Any], dict[str, str], dict[str, Any]]:
    """A request's fields split by where they travel: (path, query, headers, body)."""
    in_path = set(path_fields(endpoint.path))
    path = {name: str(value) for name, value in fields.items() if name in in_path}
    query = {name: value for name, value in fields.items() if name in endpoint.query_fields}
    headers = {
        endpoint.header_fields[name]: _form_value(value)
        for name, value in fields.items()
        if name in endpoint.header_fields and value is not None
    }
    taken = in_path | set(endpoint.query_fields) | set(endpoint.header_fields)
    return path, query, headers, {name: value for name, value in fields.items() if name not in taken}


def _request(
    endpoint: Endpoint, url: str, params: dict[str, str], body: dict[str, Any], headers: dict[str, str]
) -> httpx.Request:
    if endpoint.body_kind is BodyKind.JSON:
        return httpx.Request(endpoint.method, url, params=params, json=body, headers=headers)
    if endpoint.body_kind is BodyKind.MULTIPART:
        return httpx.Request(endpoint.method, url, params=params, files=_multipart(body), headers=headers)
    if endpoint.body_kind is BodyKind.TEXT and endpoint.text_body is not None:
        document = endpoint.text_body.render(body)
        return httpx.Request(
            endpoint.method,
            url,
            params=params,
            content=document.encode("utf-8"),
            headers={"Content-Type": endpoint.text_body.content_type, **headers},
        )
    if endpoint.body_kind is BodyKind.QUERY:
        params |= {k: _form_value(v) for k, v in body.items() if v is not None}
    return httpx.Request(endpoint.method, url, params=params, headers=headers)


def _multipart(body: Mapping[str, Any]) -> list[tuple[str, tuple[str | None, bytes, str | None]]]:
    """Every field as a multipart part (httpx would send plain form encoding if no file were present,
    and these endpoints document multipart/form-data)."""
    parts: list[tuple[str, tuple[str | None, bytes, str | None]]] = []
    for name, value in body.items():
        if value is None:
            continue
        if isinstance(value, Upload):
            parts.append((name, (value.filename, value.content, value.content_type)))
        elif isinstance(value, Mapping) and {"filename", "content"} <= value.keys():
            parts.append((name, (value["filename"], value["content"], value.get("content_type"))))
        else:
            parts.append((name, (None, _form_value(value).encode(), None)))
    return parts


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The answer's Retry-After in seconds, as the one retry policy reads it (seconds or an HTTP-date)."""
    return parse_retry_after(response.headers.get("retry-after"))


def error_of(response: httpx.Response, secrets: tuple[str, ...] = ()) -> ProviderError | None:
    """The classified error an answer represents, or None for a success status."""
    if response.status_code < 400:
        return None
    snippet = Redactor(secrets).cut(response.text, 300)  # redact first: a cut can split a key
    message = f"{response.request.method} {response.request.url.path} answered {response.status_code}: {snippet}"
    return error_for_status(response.status_code, message, retry_after_seconds(response))


def json_of(response: httpx.Response, secrets: tuple[str, ...] = ()) -> Any:
    """The body as JSON, or a ProtocolError that says what came instead."""
    try:
        return response.json()
    except ValueError:
        head = Redactor(secrets).cut(response.text, 120)
        content_type = response.headers.get("content-type", "none")
        raise ProtocolError(
            f"{response.request.url.path}: expected JSON, got {content_type}: {head!r}", status=response.status_code
        ) from None
