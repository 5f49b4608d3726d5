"""The TLS settings httpx would make for a client, made once per process for each set of inputs and shared.

An `httpx.Client` or `AsyncClient` given no `verify=` reads the whole certificate bundle into a fresh `SSLContext`
(about 20-30 ms of CPU each time). A run, a sandbox and a contract session each open clients of their own, often
many in one process; an `SSLContext` is meant to be shared between connections and clients, so each is read once.
The settings are httpx's own (`httpx.create_ssl_context`), with the environment's `SSL_CERT_FILE` and
`SSL_CERT_DIR` where the client trusts the environment, read at each call: a variable set later (a test trusting a
local authority) gets a context of its own.
"""

from __future__ import annotations

import functools
import os
import ssl

import httpx


def shared_tls_context(*, trust_env: bool) -> ssl.SSLContext:
    """The context `httpx.Client(verify=True, trust_env=trust_env)` would build, built once for what it reads."""
    if not trust_env:
        return _context(False, None, None)
    return _context(True, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.cache
def _context(trust_env: bool, cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    del cert_file, cert_dir  # the cache's key: httpx reads them from the environment itself
    return httpx.create_ssl_context(trust_env=trust_env)
