"""The tests' own httpx clients share one TLS context per process, as the harness's do (`harness.core.tls`).

A test that calls `httpx.get(url)` or opens `httpx.Client()` without `verify=` makes httpx read the whole certificate
bundle into a fresh `SSLContext`: about 50 ms of CPU each, though nearly every such client talks plain HTTP to a
loopback server. Hundreds of them cost the session about 20 CPU-seconds. Here httpx's default (`verify=True`, no
`cert=`) is answered with the harness's shared context for the same settings, which reads `SSL_CERT_FILE` and
`SSL_CERT_DIR` at each call, so a test trusting a local authority through the environment still gets a context of
its own; a test passing its own `verify=` context is untouched.
"""

from __future__ import annotations

import ssl
from typing import Any


def share_default_tls_contexts() -> None:
    """Route the default TLS settings of every httpx transport made in this process to the shared contexts."""
    try:
        import httpx._transports.default as transports

        from harness.core.tls import shared_tls_context
    except ImportError:  # a base install without httpx's transports as this httpx lays them out: nothing shared
        return
    made = transports.create_ssl_context
    if getattr(made, "shared_by_the_tests", False):
        return

    def create_ssl_context(verify: Any = True, cert: Any = None, trust_env: bool = True) -> ssl.SSLContext:
        if verify is True and cert is None:
            return shared_tls_context(trust_env=trust_env)
        return made(verify=verify, cert=cert, trust_env=trust_env)

    create_ssl_context.shared_by_the_tests = True  # type: ignore[attr-defined]
    transports.create_ssl_context = create_ssl_context  # type: ignore[assignment]
