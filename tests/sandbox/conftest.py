"""Fixtures of the sandbox tests: one shared fast sandbox on a manual clock, an HTTP client, and `kit`.

The helpers live in `tests.helpers.sandbox_http`. `kit` hands that module to the tests that still take it
as a fixture (it predates the helpers package); new tests import the module instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import httpx
import pytest

from harness.sandbox import Sandbox, running
from tests.helpers import sandbox_http


@pytest.fixture(scope="session")
def kit() -> ModuleType:
    return sandbox_http


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """Fast profile, manual clock (tests move time), loopback http webhooks allowed."""
    with running(profile="fast", seed=7, clock="manual", allow_http_webhooks=True) as sb:
        yield sb


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30.0, trust_env=False) as http:
        yield http
