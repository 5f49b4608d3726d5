"""A request as the curl line that reproduces it, keys replaced by `[Filtered]` (as schemathesis does).

Used where a person has to act on a request the harness made or would make: a failing contract check,
a `--dry-run`. Credential headers are filtered by name and every known secret by value, so the line is
safe to paste into an issue. A multipart body becomes `-F` fields, file parts named by their file name.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable

import httpx

from harness.core.redact import redact_headers, redact_text

# Headers curl sets itself, or that say nothing about the call.
_IMPLIED = frozenset({"host", "content-length", "accept", "accept-encoding", "connection", "user-agent"})
_BODY_LIMIT = 2000


def _multipart_fields(request: httpx.Request) -> list[str]:
    boundary = re.search(r"boundary=([^;]+)", request.headers.get("content-type", ""))
    if boundary is None:
        return []
    fields = []
    for part in request.content.split(b"--" + boundary.group(1).strip('"').encode()):
        head, _, value = part.partition(b"\r\n\r\n")
        name = re.search(rb'name="([^"]*)"', head)
        if name is None:
            continue
        filename = re.search(rb'filename="([^"]*)"', head)
        kind = re.search(rb"Content-Type: ([^\r\n]+)", head)
        if filename is not None:
            field = f"{name.group(1).decode()}=@{filename.group(1).decode()}"
            if kind is not None:
                field += f";type={kind.group(1).decode()}"
        else:
            text = value.removesuffix(b"\r\n").decode("utf-8", "replace")
            field = f"{name.group(1).decode()}={text}"
        fields.append(field)
    return fields


def curl_line(request: httpx.Request, secrets: Iterable[str] = ()) -> str:
    """`curl -X METHOD 'URL' -H ... -d ...`, secrets filtered."""
    secret_list = tuple(secrets)
    request.read()
    parts = ["curl", "-X", request.method, shlex.quote(str(request.url))]
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    as_sent = {name.decode("latin-1"): value.decode("latin-1") for name, value in request.headers.raw}
    for name, value in redact_headers(as_sent, secret_list).items():
        if name.lower() in _IMPLIED or (name.lower() == "content-type" and media_type == "multipart/form-data"):
            continue
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if media_type == "multipart/form-data":
        for field in _multipart_fields(request):
            parts += ["-F", shlex.quote(field)]
    elif request.content:
        body = request.content.decode("utf-8", "replace")
        if len(body) > _BODY_LIMIT:
            body = body[:_BODY_LIMIT] + f"…({len(request.content)} bytes)"
        parts += ["-d", shlex.quote(body)]
    return redact_text(" ".join(parts), secret_list)
