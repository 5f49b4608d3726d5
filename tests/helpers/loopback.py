"""Small loopback HTTP servers for tests that need a real socket to misbehave on purpose (a redirect to
another origin, a reset, a body cut short, a provider written independently of the sandbox): a
`ThreadingHTTPServer` on an ephemeral 127.0.0.1 port in a daemon thread, and a handler base that keeps
the access log out of pytest's output and writes a whole answer in one call (or streams it chunked)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

# Headers that describe one connection's framing, not the answer: never passed on by a forwarding server.
FRAMING = frozenset({"content-length", "transfer-encoding", "connection", "content-encoding"})


class QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # the access log would clutter pytest output
        return

    def answer(self, status: int, body: bytes = b"", headers: Mapping[str, str] | None = None) -> None:
        """The status line, `headers`, a Content-Length and the body."""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def forward(self, client: httpx.Client, upstream: str) -> None:
        """Send this request on to `upstream` (same method, path, headers and body; the client keeps the
        answer's framing to itself) and answer with what came back."""
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items() if k.lower() not in FRAMING}
        answer = client.request(self.command, upstream + self.path, headers=headers, content=body)
        self.answer(
            answer.status_code, answer.content, {k: v for k, v in answer.headers.items() if k.lower() not in FRAMING}
        )

    def answer_chunked(
        self, status: int, body: bytes, headers: Mapping[str, str] | None = None, chunk: int = 8192
    ) -> None:
        """The status line, `headers` and the body in pieces with chunked transfer encoding (no
        Content-Length), as a server that streams what it makes (HTTP/1.1 handlers only)."""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for start in range(0, len(body), chunk):
            piece = body[start : start + chunk]
            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def drip(self, status: int, headers: Mapping[str, str], until: threading.Event, every_s: float = 1.0) -> None:
        """The status line and `headers` with a Content-Length of 100,000, then a byte every `every_s` seconds
        until `until` is set (the test's end) or the client leaves: a server that never finishes its answer
        and never goes quiet long enough for a read timeout. The connection is closed after it."""
        self.send_response(status)
        for name, value in {**headers, "Content-Length": "100000"}.items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(OSError):  # the client gave up on us: what such a test is about
            while not until.is_set():
                self.wfile.write(b" ")
                self.wfile.flush()
                until.wait(every_s)
        self.close_connection = True


class _Listening(ThreadingHTTPServer):
    # socketserver's backlog is 5: a run that opens dozens of connections at once had some reset before a thread took
    # them (an httpx ReadError a test would mistake for the server's answer)
    request_queue_size = 128


class LoopbackServer:
    """`handler` served on 127.0.0.1 until `close()`; `url` has no trailing slash."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = _Listening(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="loopback", daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()
