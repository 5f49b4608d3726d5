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
from starlette.types import Receive, Scope, Send

from harness.core.spec import BodyKind, Endpoint, Upload
from harness.sandbox.emulation import Reject

log = logging.getLogger("harness.sandbox")

MAX_FORM_PART_BYTES = 32 * 1024 * 1024  # uploads larger than PixelAPI's 10 MB must reach its own check

ConnectionFinder = Callable[[Scope], Any]
"""Finds the transport of a request's connection (the server provides it), for resets."""


async def read_payload(request: Request, endpoint: Endpoint) -> dict[str, Any]:
    """The request's parameters as a dict (wire names); `Reject(400)` when the body cannot be parsed."""
    if endpoint.body_kind is BodyKind.JSON:
        raw = await request.body()
        if not raw.strip():
            raise Reject(400, "Request body is empty; a JSON object is required")
        try:
            data = json.loads(raw)
        except ValueError as error:
            raise Reject(400, f"Request body is not valid JSON: {error}") from None
        if not isinstance(data, dict):
            raise Reject(400, f"Request body must be a JSON object, got {type(data).__name__}")
        return data
    if endpoint.body_kind is BodyKind.MULTIPART:
        try:
            form = await request.form(max_part_size=MAX_FORM_PART_BYTES)
        except Exception as error:  # python-multipart raises several unrelated types
            raise Reject(400, f"Request body is not a valid form: {error}") from None
        payload: dict[str, Any] = {}
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                content = await value.read()
                payload[name] = Upload(filename=value.filename or name, content=content,
                                       content_type=value.content_type or "application/octet-stream")
            else:
                payload[name] = value
        await form.close()
        return payload
    if endpoint.body_kind is BodyKind.QUERY:
        return dict(request.query_params)
    return {}


def json_reply(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def sse_reply(events: AsyncIterable[Mapping[str, Any] | str], *, event: str | None = None,
              headers: Mapping[str, str] | None = None) -> Response:
    """A Server-Sent Events stream: each item becomes one `data:` event (mappings as JSON)."""

    async def frames() -> AsyncIterable[bytes]:
        async for item in events:
            data = item if isinstance(item, str) else json.dumps(item, separators=(",", ":"))
            prefix = f"event: {event}\n" if event else ""
            yield (prefix + "".join(f"data: {line}\n" for line in data.splitlines() or [""]) + "\n").encode()

    return StreamingResponse(frames(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", **dict(headers or {})})


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
