"""httpx's TLS settings, read once a process for each set of inputs (harness.core.tls)."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
import pytest

from harness.core.tls import shared_tls_context


def test_one_context_for_the_same_inputs_and_a_new_one_when_the_environment_names_other_certificates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trustme

    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    first = shared_tls_context(trust_env=True)
    assert shared_tls_context(trust_env=True) is first
    assert isinstance(first, ssl.SSLContext) and first.verify_mode is ssl.CERT_REQUIRED
    assert shared_tls_context(trust_env=False) is shared_tls_context(trust_env=False)

    authority = trustme.CA()
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    trusting = shared_tls_context(trust_env=True)
    assert trusting is not first  # a test trusting a local authority gets a context that trusts it
    assert len(trusting.get_ca_certs()) == 1  # that authority alone, as httpx reads SSL_CERT_FILE
    assert shared_tls_context(trust_env=False) is not trusting  # trust_env=False never reads the variable
    assert len(shared_tls_context(trust_env=False).get_ca_certs()) == len(
        httpx.create_ssl_context(trust_env=False).get_ca_certs()
    )


def test_the_suites_own_default_clients_share_the_harness_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """tests.helpers.shared_tls (the root conftest): `httpx.get(...)` in a test reads no certificate bundle of its own;
    a client given its own `verify=` keeps it."""
    from httpx._transports import default as transports

    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with httpx.Client() as plain, httpx.Client(trust_env=False) as untrusting:
        assert plain._transport._pool._ssl_context is shared_tls_context(trust_env=True)  # type: ignore[attr-defined]
        assert untrusting._transport._pool._ssl_context is shared_tls_context(trust_env=False)  # type: ignore[attr-defined]
    own = ssl.create_default_context()
    assert transports.create_ssl_context(verify=own) is own
    unverified = transports.create_ssl_context(verify=False)
    assert unverified is not shared_tls_context(trust_env=True) and unverified.verify_mode is ssl.CERT_NONE
