"""Fixtures of the sandbox tests: one shared fast sandbox on a manual clock and an HTTP client.

The helpers the tests call live in `tests.helpers.sandbox_http`, imported as a module.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from harness.core.tls import shared_tls_context
from harness.sandbox import Sandbox, running


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """Fast profile, manual clock (tests move time), loopback http webhooks allowed."""
    with running(profile="fast", seed=7, clock="manual", allow_http_webhooks=True) as sb:
        yield sb


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30.0, trust_env=False, verify=shared_tls_context(trust_env=False)) as http:
        yield http
