"""The sandbox over TLS issues no TLS 1.3 session tickets (`harness.sandbox.tls.issue_no_session_tickets`): a
thread-based WebSocket client reading in the background while it writes its upgrade request must find nothing to
process before the server answers. A plain server context issues them, which is the control."""

from __future__ import annotations

import socket
import ssl
import threading
from pathlib import Path

from harness.sandbox import running
from harness.sandbox.tls import issue_no_session_tickets, local_ca

REQUEST = b"GET /no-such-path HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def _session_after_a_request(port: int, client: ssl.SSLContext) -> ssl.SSLSession:
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
        client.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        assert tls.version() == "TLSv1.3"
        tls.sendall(REQUEST)
        while tls.recv(65536):  # the whole answer, and any ticket sent before it
            pass
        session = tls.session
    assert session is not None
    return session


def test_the_sandbox_sends_no_session_ticket() -> None:
    with running(profile="fast", tls=True, providers=("openai",)) as sandbox:
        assert sandbox.tls is not None
        session = _session_after_a_request(sandbox.port, sandbox.tls.client_context())
    assert not session.has_ticket


def test_a_plain_tls_server_sends_one_and_the_rule_removes_it(tmp_path: Path) -> None:
    ca = local_ca(tmp_path)
    for rule, ticket in ((False, True), (True, False)):
        server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_context.load_cert_chain(ca.server_pem)
        if rule:
            issue_no_session_tickets(server_context)
        listener = socket.create_server(("127.0.0.1", 0))
        port = listener.getsockname()[1]

        def serve(listener: socket.socket = listener, server_context: ssl.SSLContext = server_context) -> None:
            conn, _ = listener.accept()
            with server_context.wrap_socket(conn, server_side=True) as tls:
                tls.recv(65536)
                tls.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        try:
            session = _session_after_a_request(port, ca.client_context())
        finally:
            thread.join(10)
            listener.close()
        assert session.has_ticket is ticket
