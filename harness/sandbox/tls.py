"""A throwaway local certificate authority, so loopback servers can speak HTTPS and WSS.

Some official clients insist on `wss://`/`https://` whatever base URL they are given (some
WebSocket helpers do), and some documents require an https webhook URL. `local_ca(folder)` makes a trustme CA,
issues a certificate for 127.0.0.1, ::1 and localhost, and writes both beside each other: the server
loads `server_pem`, a client trusts `ca_pem` (`ssl_context`, httpx's `verify=`, or `SSL_CERT_FILE`).
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class LocalCA:
    ca_pem: Path  # the certificate a client trusts
    server_pem: Path  # the server's private key and certificate chain, in one file

    def uvicorn_options(self) -> dict[str, str]:
        return {"ssl_certfile": str(self.server_pem), "ssl_keyfile": str(self.server_pem)}

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_pem))


def local_ca(folder: Path) -> LocalCA:
    """A fresh CA and a loopback certificate it signed, written into `folder`."""
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "::1", "localhost")
    found = LocalCA(folder / "ca.pem", folder / "server.pem")
    ca.cert_pem.write_to_path(str(found.ca_pem))
    cert.private_key_and_cert_chain_pem.write_to_path(str(found.server_pem))
    return found


def issue_no_session_tickets(server_context: ssl.SSLContext) -> None:
    """The sandbox's TLS server sends no TLS 1.3 session tickets.

    A thread-based WebSocket client (websockets' sync client, under official clients) reads
    the socket in a background thread while its caller writes. A ticket arriving right after the handshake has that
    thread processing TLS records while the caller writes the upgrade request, and OpenSSL, which forbids concurrent
    use of one connection, can fail the write with "[SSL] internal error" (seen once on a loaded 2-core CI run).
    Without tickets nothing arrives before the server answers the upgrade. A server may send none; its clients then
    make a full handshake per connection, as a loopback sandbox's clients do anyway."""
    server_context.num_tickets = 0
