"""Reading parameters off the wire and writing the answers a provider (or a broken one) sends.

Parameters arrive as the endpoint's `BodyKind` says: a JSON object, multipart or urlencoded form fields
(files become `Upload`s), or a query string. Answers are JSON, Server-Sent Events (for streaming
endpoints), or one of the deliberately broken answers faults need: malformed JSON, an HTML error page,
a reset connection, a download cut short.
"""

from __future__ import annotations

import json
import logging
import socket
import struct
from collections.abc import AsyncIterable, Callable, Mapping
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.types import Message, Receive, Scope, Send

from harness.core.drift import resolve
from harness.core.spec import BodyKind, Endpoint, Upload
from harness.sandbox.emulation import Reject

log = logging.getLogger("harness.sandbox")

MIB = 1024 * 1024
MAX_FORM_PART_BYTES = 32 * MIB  # a form field (not a file): far above any documented text
MAX_JSON_BYTES = 2 * MIB  # the longest documented text (100,000 characters) fits many times over
MAX_JSON_DEPTH = 64  # no documented body nests deeper than 4
UNDOCUMENTED_UPLOAD_BYTES = 16 * MIB  # the ceiling of an upload whose limit no document writes
FORM_OVERHEAD_BYTES = 256 * 1024  # multipart boundaries and text fields beside the file

ConnectionFinder = Callable[[Scope], Any]
"""Finds the transport of a request's connection (the server provides it), for resets."""


class BodyTooLarge(Exception):
    """A request body past the endpoint's limit, noticed before (Content-Length) or while reading it."""


def body_limit(endpoint: Endpoint) -> int:
    """The most bytes the sandbox reads of a request body to this endpoint.

    A file upload may be as large as its documented limit (plus the form around it), so that an upload
    just over the limit still reaches the provider's own check and gets its documented error; anything
    larger is refused while it is still arriving, never held in memory whole.
    """
    if endpoint.body_kind is BodyKind.JSON:
        return MAX_JSON_BYTES
    if endpoint.body_kind is BodyKind.MULTIPART:
        documented = endpoint.max_upload_bytes or UNDOCUMENTED_UPLOAD_BYTES
        return documented + 1 + FORM_OVERHEAD_BYTES
    return MAX_JSON_BYTES  # bodies an endpoint does not read are still bounded


def _bounded(request: Request, limit: int) -> Request:
    """The same request, whose body raises `BodyTooLarge` once more than `limit` bytes have arrived."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(f"Request body of {int(declared):,} bytes exceeds the limit of {limit:,} bytes")
    seen = 0

    async def receive() -> Message:
        nonlocal seen
        message = await request.receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(f"Request body exceeds the limit of {limit:,} bytes")
        return message

    return Request(request.scope, receive)


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


async def read_payload(request: Request, endpoint: Endpoint) -> dict[str, Any]:
    """The request's parameters as a dict (wire names): the body's, and the request model's fields that
    travel in the path, the query string or headers (`Endpoint.query_fields`, `header_fields`);
    `Reject(400)` when the body cannot be parsed, `BodyTooLarge` when it is larger than the endpoint takes
    (the caller answers in the provider's words)."""
    fields = await _body_fields(_bounded(request, body_limit(endpoint)), endpoint)
    declared = endpoint.request.model_fields if endpoint.request is not None else {}
    placed = {name: str(value) for name, value in request.path_params.items() if name in declared}
    placed |= {name: request.query_params[name] for name in endpoint.query_fields if name in request.query_params}
    placed |= {
        name: request.headers[header] for name, header in endpoint.header_fields.items() if header in request.headers
    }
    return {**fields, **placed}


async def raw_body(request: Request, endpoint: Endpoint) -> tuple[bytes, Request]:
    """The request body's bytes as they came (bounded like `read_payload`: what a signature covers), and
    the request to read its parameters from afterwards (its body is gone from the connection)."""
    raw = await _bounded(request, body_limit(endpoint)).body()
    given = False

    async def receive() -> Message:
        nonlocal given
        if given:
            return {"type": "http.disconnect"}
        given = True
        return {"type": "http.request", "body": raw, "more_body": False}

    return raw, Request(request.scope, receive)


async def _body_fields(request: Request, endpoint: Endpoint) -> dict[str, Any]:
    if endpoint.body_kind is BodyKind.TEXT and endpoint.text_body is not None:
        raw = await request.body()
        try:
            return endpoint.text_body.parse(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise Reject(
                400, f"Request body is not a valid {endpoint.text_body.content_type} document: {error}"
            ) from None
    if endpoint.body_kind is BodyKind.JSON:
        raw = await request.body()
        if not raw.strip():
            raise Reject(400, "Request body is empty; a JSON object is required")
        if endpoint.accepts_msgpack and "msgpack" in request.headers.get("content-type", ""):
            return _msgpack_fields(raw)
        try:
            data = json.loads(raw)
        except RecursionError:
            raise Reject(400, f"Request body nests deeper than {MAX_JSON_DEPTH} levels") from None
        except ValueError as error:
            raise Reject(400, f"Request body is not valid JSON: {error}") from None
        if not isinstance(data, dict):
            raise Reject(400, f"Request body must be a JSON object, got {type(data).__name__}")
        if _depth(data) > MAX_JSON_DEPTH:
            raise Reject(400, f"Request body nests deeper than {MAX_JSON_DEPTH} levels")
        return data
    if endpoint.body_kind is BodyKind.MULTIPART:
        try:
            form = await request.form(max_part_size=MAX_FORM_PART_BYTES)
        except BodyTooLarge:
            raise
        except Exception as error:  # python-multipart raises several unrelated types
            raise Reject(400, f"Request body is not a valid form: {error}") from None
        payload: dict[str, Any] = {}
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                content = await value.read()
                payload[name] = Upload(
                    filename=value.filename or name,
                    content=content,
                    content_type=value.content_type or "application/octet-stream",
                )
            else:
                payload[name] = value
        await form.close()
        return payload
    if endpoint.body_kind is BodyKind.QUERY:
        return dict(request.query_params)
    return {}


def _msgpack_fields(raw: bytes) -> dict[str, Any]:
    """A MessagePack body as the fields a JSON one would give (bytes stay bytes: an upload's audio)."""
    import msgpack  # the sandbox extra

    try:
        data = msgpack.unpackb(raw, raw=False)
    except (ValueError, msgpack.ExtraData, msgpack.FormatError, msgpack.StackError) as error:
        raise Reject(400, f"Request body is not valid MessagePack: {error}") from None
    if not isinstance(data, dict):
        raise Reject(400, f"Request body must be a MessagePack map, got {type(data).__name__}")
    return data


def json_reply(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def sse_reply(
    events: AsyncIterable[Mapping[str, Any] | str],
    *,
    event: str | None = None,
    headers: Mapping[str, str] | None = None,
    event_at: str = "",
) -> Response:
    """A Server-Sent Events stream: each item becomes one `data:` event (mappings as JSON), named `event`, or by
    the value each mapping holds at the pointer `event_at`."""

    async def frames() -> AsyncIterable[bytes]:
        async for item in events:
            data = item if isinstance(item, str) else json.dumps(item, separators=(",", ":"))
            name = event
            if event_at and not isinstance(item, str):
                present, value = resolve(item, event_at)
                name = str(value) if present else name
            prefix = f"event: {name}\n" if name else ""
            yield (prefix + "".join(f"data: {line}\n" for line in data.splitlines() or [""]) + "\n").encode()

    return StreamingResponse(
        frames(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", **dict(headers or {})}
    )


def malformed(response: Response) -> Response:
    """The same answer with its JSON body cut short (the malformed-json fault)."""
    body = bytes(response.body)
    cut = body[: max(1, len(body) // 2)]
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    return Response(cut, status_code=response.status_code, headers=headers)


HTML_PAGE = """<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>502 Bad Gateway</h1><p>The upstream server returned an invalid response.</p>
<hr><address>sandbox gateway</address></body></html>
"""


def html_error() -> Response:
    return Response(HTML_PAGE, status_code=502, media_type="text/html")


def _cut(scope: Scope, find: ConnectionFinder | None, *, reset: bool) -> bool:
    """End the request's TCP connection: RST (`reset`) or a graceful close after flushing what was written.

    False when the server cannot hand out the connection's transport.
    """
    transport = find(scope) if find is not None else None
    if transport is None:
        return False
    if not reset:
        transport.close()
        return True
    sock = transport.get_extra_info("socket")
    if sock is not None:
        # SO_LINGER with zero timeout makes close() send RST instead of FIN: a true "connection reset".
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    return True


class ResetResponse(Response):
    """No answer at all: the connection is reset (the connection-reset fault)."""

    def __init__(self, find: ConnectionFinder | None) -> None:
        super().__init__(b"")
        self._find = find

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _cut(scope, self._find, reset=True):
            # Not under the sandbox's own server: promise a body and break off, the nearest equivalent.
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]})
            raise ConnectionResetError("sandbox fault: connection reset")


class TruncatedResponse(Response):
    """A download that announces the whole file and stops halfway (the truncated-audio fault)."""

    def __init__(self, body: bytes, media_type: str, find: ConnectionFinder | None) -> None:
        super().__init__(body, media_type=media_type)
        self._find = find

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        await send({"type": "http.response.body", "body": bytes(self.body)[: len(self.body) // 2], "more_body": True})
        # Close after the half already written is flushed: the client sees fewer bytes than announced.
        if not _cut(scope, self._find, reset=False):
            raise ConnectionResetError("sandbox fault: truncated download")
