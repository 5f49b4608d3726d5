"""The one retry policy: the backoff formula and its cap, what is worth sending again (and what is not,
for a submit that charges), Retry-After in both its forms with garbage ignored, spent rate-limit windows,
and a provider's documented constants read from its spec."""

from __future__ import annotations

import email.utils
import math

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.core.errors import (
    AuthError,
    BalanceError,
    ProtocolError,
    RateLimitError,
    ServerError,
    TimeoutError_,
    TransportError,
    ValidationRejected,
    error_for_status,
)
from harness.core.registry import providers
from harness.core.retry import (
    DEFAULT_RETRY,
    MAX_RETRY_AFTER_S,
    RetryPolicy,
    parse_retry_after,
    retryable,
    retryable_status,
    window_reset_seconds,
)
from harness.core.transport import retry_after_seconds

NOW = 1_750_000_000.0  # a fixed wall clock for HTTP-dates


def test_backoff_doubles_from_the_first_delay_up_to_the_cap() -> None:
    assert [DEFAULT_RETRY.backoff(n) for n in range(1, 9)] == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert DEFAULT_RETRY.backoff(0) == 0.0
    assert DEFAULT_RETRY.backoff(10_000) == 30.0  # no float overflow however long an outage lasts
    slow = RetryPolicy(first_s=1.0, cap_s=10.0, factor=3.0)
    assert [slow.backoff(n) for n in (1, 2, 3)] == [1.0, 3.0, 9.0] and slow.backoff(4) == 10.0


@pytest.mark.parametrize(
    "bad", [{"first_s": 0.0}, {"first_s": 5.0, "cap_s": 1.0}, {"cap_s": math.inf}, {"factor": 0.5}]
)
def test_a_policy_that_cannot_back_off_is_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="retry policy"):
        RetryPolicy(**bad)


def test_retry_after_is_the_wait_when_given_bounded() -> None:
    assert DEFAULT_RETRY.delay(1, retry_after=3.0) == 3.0  # longer than the backoff: honoured
    assert DEFAULT_RETRY.delay(6, retry_after=1.0) == 1.0  # shorter: the server knows when it has room
    assert DEFAULT_RETRY.delay(1, retry_after=1e6) == MAX_RETRY_AFTER_S
    assert DEFAULT_RETRY.delay(3) == 2.0


@pytest.mark.parametrize("status", [408, 425, 429, 500, 502, 503, 504])
def test_answers_that_say_not_now_are_retried(status: int) -> None:
    assert retryable_status(status) and retryable(error_for_status(status, "x"))


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 409, 413, 422, 501, 505])
def test_answers_that_say_the_request_is_wrong_are_not(status: int) -> None:
    assert not retryable_status(status) and not retryable(error_for_status(status, "x"))


def test_a_submit_that_charges_is_sent_again_only_when_refused_unread() -> None:
    for status in (408, 425, 429):
        assert retryable_status(status, idempotent=False)
    assert retryable_status(503, idempotent=False, retry_after=2.0)
    for status in (500, 502, 503, 504):  # the work may have been accepted before the error
        assert not retryable_status(status, idempotent=False)
    assert retryable(RateLimitError("x", status=429), idempotent=False)
    assert retryable(ServerError("x", status=503, retry_after=1.0), idempotent=False)
    assert not retryable(TransportError("reset"), idempotent=False)  # it may have reached the provider


def test_failures_of_the_transport_or_the_body_are_retried() -> None:
    for error in (TransportError("reset"), TimeoutError_("slow"), ProtocolError("cut audio", status=200)):
        assert retryable(error)
    for error in (AuthError("x", status=401), BalanceError("x", status=402), ValidationRejected("x", status=422)):
        assert not retryable(error)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("3", 3.0),
        (" 2.5 ", 2.5),
        ("0", 0.0),
        ("120", 120.0),
        ("1e9", MAX_RETRY_AFTER_S),
        (email.utils.formatdate(NOW + 90, usegmt=True), 90.0),  # IMF-fixdate
        ("Sun, 06 Nov 1994 08:49:37 GMT", 0.0),  # a date in the past: no wait
        ("Sunday, 06-Nov-94 08:49:37 GMT", 0.0),  # obsolete RFC 850 form
        ("Sun Nov  6 08:49:37 1994", 0.0),  # asctime form
        (email.utils.formatdate(NOW + 86_400 * 365, usegmt=True), MAX_RETRY_AFTER_S),
    ],
)
def test_retry_after_in_seconds_or_as_an_http_date(value: str, seconds: float) -> None:
    assert parse_retry_after(value, now=NOW) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "value", [None, "", "  ", "-1", "nan", "inf", "-inf", "soon", "3 seconds", "0x10", "Mon, 99 Foo 2025 99:99:99 GMT"]
)
def test_garbage_retry_after_is_ignored(value: str | None) -> None:
    assert parse_retry_after(value, now=NOW) is None


@given(st.text(max_size=40))
def test_retry_after_is_none_or_within_bounds(value: str) -> None:
    seconds = parse_retry_after(value, now=NOW)
    assert seconds is None or 0.0 <= seconds <= MAX_RETRY_AFTER_S


def test_the_transport_reads_retry_after_through_the_policy() -> None:
    request = httpx.Request("GET", "http://127.0.0.1/x")
    date = email.utils.formatdate(usegmt=True)  # now: no wait (a second may pass while the test runs)
    assert retry_after_seconds(httpx.Response(503, headers={"Retry-After": date}, request=request)) == 0.0
    assert retry_after_seconds(httpx.Response(429, headers={"Retry-After": "nan"}, request=request)) is None
    assert retry_after_seconds(httpx.Response(429, headers={"Retry-After": "4"}, request=request)) == 4.0


def test_a_spent_rate_limit_window_says_when_it_reopens() -> None:
    assert window_reset_seconds({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "30"}, now=NOW) == 30.0
    assert window_reset_seconds({"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(NOW + 12)}, now=NOW) == 12.0
    assert window_reset_seconds({"X-RateLimit-Remaining": "5", "X-RateLimit-Reset": "30"}, now=NOW) is None
    assert window_reset_seconds({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "nan"}, now=NOW) is None
    assert (
        window_reset_seconds({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1e12"}, now=NOW) == MAX_RETRY_AFTER_S
    )
    assert window_reset_seconds({"X-RateLimit-Remaining": "0"}, now=NOW) is None


def test_documented_constants_come_from_the_spec_and_the_rest_use_the_default() -> None:
    found = {name: provider.retry for name, provider in providers().items()}
    documented = {name: policy for name, policy in found.items() if policy is not DEFAULT_RETRY}
    assert set(documented) == {"pixelapi"}  # the only document here that gives backoff constants
    # "exponential backoff starting at 2 seconds, doubling on each retry up to 30 seconds maximum"
    pixelapi = documented["pixelapi"]
    assert [pixelapi.backoff(n) for n in range(1, 7)] == [2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert "PixelAPI" in pixelapi.source
