"""Rate limits from the documents' numbers, on the sandbox clock: 429 with Retry-After, then allowed
again once the window has moved — no waiting."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.providers.pixelapi.declaration import PLAN_LIMITS
from harness.sandbox import RateLimit, Sandbox
from harness.sandbox.ratelimit import RateLimiter
from tests.helpers.sandbox_http import assert_valid, send


def test_sliding_window_refuses_then_frees() -> None:
    limiter = RateLimiter()
    limit = RateLimit(requests=3, window_s=60.0)
    assert [limiter.check("p", "k", limit, t).allowed for t in (0.0, 10.0, 20.0)] == [True, True, True]
    refused = limiter.check("p", "k", limit, 30.0)
    assert not refused.allowed
    assert refused.retry_after == 30  # the request at t=0 leaves the window at t=60
    assert refused.state is not None and refused.state.remaining == 0
    assert limiter.check("p", "k", limit, 60.0).allowed
    assert limiter.check("p", "other-key", limit, 30.0).allowed  # limits are per key


@pytest.mark.parametrize("start", [0.0, 4.01, 1234.57])
def test_retry_after_of_a_full_window_is_the_window_at_any_clock_reading(start: float) -> None:
    limiter = RateLimiter()
    limit = RateLimit(requests=1, window_s=60.0)
    assert limiter.check("p", "k", limit, start).allowed
    assert limiter.check("p", "k", limit, start).retry_after == 60  # not 61 from float rounding


@given(start=st.floats(min_value=0.0, max_value=1e6, allow_nan=False), window=st.sampled_from([1.0, 60.0, 3600.0]))
def test_a_client_that_waits_retry_after_is_let_in_at_any_clock_reading(start: float, window: float) -> None:
    """The sandbox's clock moves by the Retry-After a client waited (`advance`): the window must have let
    the oldest request go by then. Failed at start 3.3: (3.3 + 60.0) - 60.0 is below 3.3."""
    limiter = RateLimiter()
    limit = RateLimit(requests=1, window_s=window)
    assert limiter.check("p", "k", limit, start).allowed
    refused = limiter.check("p", "k", limit, start)
    assert not refused.allowed
    assert limiter.check("p", "k", limit, start + refused.retry_after).allowed


def test_refused_requests_do_not_count() -> None:
    limiter = RateLimiter()
    limit = RateLimit(requests=1, window_s=10.0)
    assert limiter.check("p", "k", limit, 0.0).allowed
    for t in (1.0, 2.0, 3.0):
        assert not limiter.check("p", "k", limit, t).allowed
    assert limiter.check("p", "k", limit, 10.0).allowed


def test_concurrency_limit_counts_unfinished_jobs() -> None:
    limiter = RateLimiter()
    limit = RateLimit(concurrency=2)
    assert limiter.check("p", "k", limit, 0.0, active_jobs=1).allowed
    refused = limiter.check("p", "k", limit, 0.0, active_jobs=2)
    assert not refused.allowed and refused.retry_after >= 1
    assert refused.state is None  # no request limit, so no X-RateLimit-* numbers


def test_paid_plan_limit_is_600_per_minute() -> None:
    limiter = RateLimiter()
    limit = RateLimit(PLAN_LIMITS["paid"])
    results = [limiter.check("p", "k", limit, i * 0.05).allowed for i in range(PLAN_LIMITS["paid"] + 1)]
    assert results.count(True) == 600 and results[-1] is False


@pytest.mark.parametrize("endpoint_key", ["tts.status", "tts.generate"])
def test_free_plan_429_with_retry_after_then_recovers(
    sandbox: Sandbox, client: httpx.Client, endpoint_key: str
) -> None:
    key = f"ratelimit-free-{endpoint_key}"
    sandbox.add_key("pixelapi", key, tier="free")
    payload: dict[str, Any] = {} if endpoint_key == "tts.status" else {"text": ""}  # 400s are counted too
    params = {"id": "no-such-job"} if endpoint_key == "tts.status" else {}
    answers = [
        send(sandbox, client, "pixelapi", endpoint_key, payload, key=key, **params) for _ in range(PLAN_LIMITS["free"])
    ]
    assert all(a.status_code != 429 for a in answers)
    refused = send(sandbox, client, "pixelapi", endpoint_key, payload, key=key, **params)
    assert refused.status_code == 429
    assert_valid("pixelapi", endpoint_key, refused)
    retry_after = int(refused.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    sandbox.advance(retry_after)
    again = send(sandbox, client, "pixelapi", endpoint_key, payload, key=key, **params)
    assert again.status_code != 429
