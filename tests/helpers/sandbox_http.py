"""Talking to a running sandbox as its tests do: send a documented request, check the answer against the
spec, walk a job to its end on the manual clock, run a documented curl line."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from harness.core.registry import providers
from harness.core.spec import BodyKind, Provider, Upload
from harness.core.transport import path_fields
from harness.core.validate import check_response
from harness.sandbox import Sandbox
from tests.helpers.repo import VOICES

# The reference clips' folder, under the name the sandbox tests have used for it.
voices = VOICES


def provider(name: str) -> Provider:
    return providers()[name]


def assert_valid(provider_name: str, endpoint_key: str, response: httpx.Response) -> None:
    """The answer satisfies the provider's spec for that endpoint (status, headers, body)."""
    spec = provider(provider_name)
    verdict = check_response(
        spec, spec.endpoint(endpoint_key), response.status_code, dict(response.headers), response.content
    )
    assert verdict.ok, f"{endpoint_key} {response.status_code}: " + "; ".join(str(v) for v in verdict.violations)


def settle(sb: Sandbox, job_id: str, seconds: float = 5.0) -> None:
    """Let a job finish on a manual clock: wait for its audio, then move time past its drawn end."""
    sb.wait_produced(job_id, timeout=60)
    sb.advance(seconds)


@dataclass
class CurlRequest:
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    data: str | None = None
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # field -> file name as written


def parse_curl(command: str) -> CurlRequest:
    """The parts of a documented curl line that matter (-X, -H, --data-raw/-d, -F, URL)."""
    words = shlex.split(command.replace("\\\n", " "))
    assert words[0] == "curl", words
    request = CurlRequest("GET", "")
    index = 1
    while index < len(words):
        word = words[index]
        if word in ("-X", "--request"):
            request.method = words[index + 1]
            index += 2
        elif word in ("-H", "--header"):
            name, _, value = words[index + 1].partition(":")
            request.headers[name.strip()] = value.strip()
            index += 2
        elif word in ("--data-raw", "-d", "--data"):
            request.data = words[index + 1]
            request.method = request.method if request.method != "GET" else "POST"
            index += 2
        elif word in ("-F", "--form"):
            name, _, value = words[index + 1].partition("=")
            if value.startswith("@"):
                request.files[name] = value[1:]
            else:
                request.form[name] = value
            request.method = request.method if request.method != "GET" else "POST"
            index += 2
        elif word.startswith("-"):
            index += 1  # -v and friends
        else:
            request.url = word
            index += 1
    return request


def run_curl(
    client: httpx.Client, command: str, replace: Mapping[str, str], files: Mapping[str, Path] | None = None
) -> httpx.Response:
    """Send a documented curl line with `replace` applied (host, key, ids, reference URLs)."""
    text = command
    for old, new in replace.items():
        text = text.replace(old, new)
    parsed = parse_curl(text)
    kwargs: dict[str, Any] = {"headers": parsed.headers}
    if parsed.data is not None:
        kwargs["content"] = parsed.data.encode()
    if parsed.form or parsed.files:
        # curl -F always sends multipart/form-data: plain fields become parts without a file name.
        mapped = files or {}
        parts: dict[str, Any] = {name: (None, value) for name, value in parsed.form.items()}
        for name, fname in parsed.files.items():
            parts[name] = (Path(fname).name, (mapped.get(fname) or VOICES / fname).read_bytes(), "audio/wav")
        kwargs["files"] = parts
    return client.request(parsed.method, parsed.url, **kwargs)


def auth_headers(provider_name: str, key: str) -> dict[str, str]:
    auth = provider(provider_name).auth
    return {auth.header: auth.header_value(key)}


def send(
    sb: Sandbox,
    client: httpx.Client,
    provider_name: str,
    endpoint_key: str,
    payload: Mapping[str, Any],
    key: str | None = None,
    headers: Mapping[str, str] | None = None,
    **params: str,
) -> httpx.Response:
    """Call a documented endpoint on the sandbox as its body kind says (JSON, multipart, query)."""
    spec = provider(provider_name)
    endpoint = spec.endpoint(endpoint_key)
    # A path slot the caller leaves to the payload travels in the path, as the request builder sends it
    # (Speechmatics' /generate/{voice}, Gemini's /models/{model}:generateContent).
    slots = set(path_fields(endpoint.path))
    params = {**{name: str(payload[name]) for name in slots - params.keys() if name in payload}, **params}
    payload = {name: value for name, value in payload.items() if name not in slots}
    url = sb.base_url(provider_name, endpoint.host) + endpoint.path.format(**params)
    sent = {**(auth_headers(provider_name, key) if key else {}), **(headers or {})}
    if endpoint.body_kind is BodyKind.JSON:
        return client.request(endpoint.method, url, json=dict(payload), headers=sent)
    if endpoint.body_kind is BodyKind.MULTIPART:
        parts: dict[str, Any] = {}
        for name, value in payload.items():
            if isinstance(value, Upload):
                parts[name] = (value.filename, value.content, value.content_type)
            else:
                parts[name] = (None, str(value))
        return client.request(endpoint.method, url, files=parts, headers=sent)
    if endpoint.body_kind is BodyKind.TEXT and endpoint.text_body is not None:  # an SSML body and its headers
        travels = {
            endpoint.header_fields[name]: str(value)
            for name, value in payload.items()
            if name in endpoint.header_fields
        }
        document = endpoint.text_body.render({k: v for k, v in payload.items() if k not in endpoint.header_fields})
        return client.request(
            endpoint.method,
            url,
            content=document.encode(),
            headers={"Content-Type": endpoint.text_body.content_type, **travels, **sent},
        )
    return client.request(endpoint.method, url, params=dict(payload), headers=sent)
