"""When to send a request again, and how long to wait first: the one retry policy.

retryable     answers that say "not now" — 408, 425, 429, 500, 502, 503, 504 — and failures of the
              transport (connection refused or reset, time-outs) or of the body (cut short, not
              parsable): the same request may pass later. Never the 4xx that say the request or the
              key is wrong (400, 401, 402, 403, 404, 413, 422, ...): sending it again buys the same
              answer. A request that is not idempotent (a submit that charges) is sent again only on
              answers that say it was refused unread — 408, 425, 429, and 503 with Retry-After — since a
              500, 502 or 504 may come after the provider accepted the work.
backoff       after the n-th consecutive failure, `first_s × factor^(n−1)`, capped at `cap_s`.
              No jitter, on purpose: the runner's figures and its tests must come out the same on
              every run, and a herd of retries is already broken up where it matters — a Retry-After
              or a spent rate-limit window closes the provider's gate for all its jobs at once
              (`harness.runner.deliver.admission`), and polls follow each job's own schedule.
Retry-After   delay-seconds or an HTTP-date (RFC 9110 §10.2.3); anything else (negative, NaN, text)
              is ignored; bounded to [0, MAX_RETRY_AFTER_S] so a hostile or broken header cannot stall
              a run. When given it is the wait (as urllib3 does): retrying sooner only buys another
              refusal, and waiting longer than asked only slows the run.
documented    a provider whose documents give backoff constants declares them in its spec
              (`Provider.retry`); every other provider uses `DEFAULT_RETRY`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime

from harness.core.errors import ProtocolError, ProviderError, TimeoutError_, TransportError

RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
REFUSED_UNREAD_STATUSES = frozenset({408, 425, 429})  # the server says it did not act on the request
PROVIDER_WIDE_STATUSES = frozenset({429, 503})  # a limit or an overload: its Retry-After speaks for every job
MAX_RETRY_AFTER_S = 300.0
_EPOCH_THRESHOLD = 1e9  # a rate-limit reset this large is an epoch timestamp, not a number of seconds
_MAX_EXPONENT = 64  # past this many failures every policy is at its cap (and 2.0**n would overflow)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with a cap: `first_s`, then `factor` times longer after each failure."""

    first_s: float = 0.5
    cap_s: float = 30.0
    factor: float = 2.0
    source: str = "harness default"  # where the constants come from (a provider's document, or ours)

    def __post_init__(self) -> None:
        if not (0 < self.first_s <= self.cap_s and math.isfinite(self.cap_s) and self.factor >= 1):
            raise ValueError(f"a retry policy needs 0 < first_s <= cap_s (finite) and factor >= 1; got {self}")

    def backoff(self, failures: int) -> float:
        """Seconds to wait after `failures` consecutive failures (1 for the first)."""
        if failures <= 0:
            return 0.0
        if failures > _MAX_EXPONENT:
            return self.cap_s
        return min(self.cap_s, self.first_s * self.factor ** (failures - 1))

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        """The wait before the next attempt: the server's Retry-After when it gave one, our backoff otherwise."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), MAX_RETRY_AFTER_S)
        return self.backoff(failures)


DEFAULT_RETRY = RetryPolicy()


def retryable_status(status: int, *, idempotent: bool = True, retry_after: float | None = None) -> bool:
    """Whether an answer with this status is worth sending the same request again (see the module docstring)."""
    if not idempotent:
        return status in REFUSED_UNREAD_STATUSES or (status == 503 and retry_after is not None)
    return status in RETRYABLE_STATUSES


def retryable(error: ProviderError, *, idempotent: bool = True) -> bool:
    """Whether a classified failure may pass if the request is sent again. A transport failure of a request
    that is not idempotent is not: it may have reached the provider (the caller knows whether it did)."""
    if isinstance(error, TransportError | TimeoutError_ | ProtocolError):
        return idempotent
    return error.status is not None and retryable_status(
        error.status, idempotent=idempotent, retry_after=error.retry_after
    )


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds a Retry-After value asks for (delay-seconds or an HTTP-date, against `now`, epoch seconds),
    bounded to [0, MAX_RETRY_AFTER_S]; None when absent or not a Retry-After value."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)  # HTTP-dates are GMT
        seconds = when.timestamp() - (time.time() if now is None else now)
    else:
        if not math.isfinite(seconds) or seconds < 0:
            return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S)


def window_reset_seconds(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds until a spent rate-limit window reopens (`*RateLimit-Remaining: 0` with `*RateLimit-Reset`,
    in seconds or as an epoch timestamp), bounded like Retry-After; None while the window has room."""
    remaining = reset = None
    for name, value in headers.items():
        lower = name.lower()
        if lower.endswith("ratelimit-remaining"):
            remaining = _number(value)
        elif lower.endswith("ratelimit-reset"):
            reset = _number(value)
    if remaining is None or remaining > 0 or reset is None:
        return None
    seconds = reset - (time.time() if now is None else now) if reset > _EPOCH_THRESHOLD else reset
    return min(seconds, MAX_RETRY_AFTER_S) if seconds > 0 else None


def _number(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None
