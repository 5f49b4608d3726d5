"""A request as the curl line that reproduces it, keys replaced by `[Filtered]` (as schemathesis does).

Used where a person has to act on a request the harness made or would make: a failing contract check,
a `--dry-run`. Credential headers are filtered by name and every known secret by value, so the line is
safe to paste into an issue. A multipart body becomes `-F` fields, file parts named by their file name
(or by the absolute path given for it, so the line runs from any folder).

A request built with shell variables in place of values (`$ACME_API_KEY` as the key, `$JOB_ID` as a job
id: `variables`) becomes a line that runs as printed: the arguments holding one are double-quoted so the
shell expands it, and a header holding one is not filtered (it holds no secret, only its name).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping
from pathlib import Path

import httpx

from harness.core.redact import redact_headers, redact_text

# Headers curl sets itself, or that say nothing about the call.
_IMPLIED = frozenset({"host", "content-length", "accept", "accept-encoding", "connection", "user-agent"})
_BODY_LIMIT = 2000


def _quoted(value: str, variables: tuple[str, ...]) -> str:
    """`value` as one shell word; a `$VARIABLE` of `variables` in it is left for the shell to expand."""
    for name in variables:  # a variable in the query string was percent-encoded
        value = value.replace(f"%24{name}", f"${name}")
    if not any(f"${name}" in value for name in variables):
        return shlex.quote(value)
    escaped = re.sub(r'([\\"`$])', r"\\\1", value)
    for name in variables:
        escaped = escaped.replace(f"\\${name}", f"${name}")
    return f'"{escaped}"'


def _multipart_fields(request: httpx.Request, files: Mapping[str, Path]) -> list[str]:
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
            file_name = filename.group(1).decode()
            field = f"{name.group(1).decode()}=@{files.get(file_name, file_name)}"
            if kind is not None:
                field += f";type={kind.group(1).decode()}"
        else:
            text = value.removesuffix(b"\r\n").decode("utf-8", "replace")
            field = f"{name.group(1).decode()}={text}"
        fields.append(field)
    return fields


def curl_line(
    request: httpx.Request,
    secrets: Iterable[str] = (),
    *,
    variables: Iterable[str] = (),
    files: Mapping[str, Path] | None = None,
    options: Iterable[str] = (),
) -> str:
    """`curl -X METHOD 'URL' -H ... -d ...`, secrets filtered, `variables` left to the shell, file parts
    named by `files[file name]` where given; `options`: curl's own (`--aws-sigv4 ...`), after the URL."""
    secret_list, names = tuple(secrets), tuple(variables)
    request.read()
    parts = ["curl", "-X", request.method, _quoted(str(request.url), names)]
    parts += [_quoted(option, names) for option in options]
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    as_sent = {name.decode("latin-1"): value.decode("latin-1") for name, value in request.headers.raw}
    filtered = redact_headers(as_sent, secret_list)
    for name, value in as_sent.items():
        if name.lower() in _IMPLIED or (name.lower() == "content-type" and media_type == "multipart/form-data"):
            continue
        shown = value if any(f"${variable}" in value for variable in names) else filtered[name]
        parts += ["-H", _quoted(f"{name}: {shown}", names)]
    if media_type == "multipart/form-data":
        for field in _multipart_fields(request, files or {}):
            parts += ["-F", shlex.quote(field)]
    elif request.content:
        body = request.content.decode("utf-8", "replace")
        if len(body) > _BODY_LIMIT:
            body = body[:_BODY_LIMIT] + f"…({len(request.content)} bytes)"
        parts += ["-d", shlex.quote(body)]
    return redact_text(" ".join(parts), secret_list)
