"""Rate limits driven by the documents' numbers, on the sandbox clock so tests need not wait.

A sliding window per (provider, key): requests/minute by plan
(60 free and 600 paid, say), and concurrent jobs. A refused request answers 429 with `Retry-After` (whole
seconds until the oldest counted request leaves the window), and refused requests do not count.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass

from harness.sandbox.emulation import RateLimit, RateState


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    retry_after: int  # seconds; 0 when allowed
    state: RateState | None  # None when the tier has no request limit


def _left_in_window(hit: float, limit: RateLimit, now: float) -> float:
    """Seconds until a request counted at `hit` leaves the window, rounded to the microsecond: the same
    rule decides when it leaves and what Retry-After says, so a client that waits Retry-After is let in.
    (Unrounded, (t + 60.0) - t is 60.000000000000007 at t = 4.01, and (3.3 + 60.0) - 60.0 < 3.3.)"""
    return round(hit + limit.window_s - now, 6)


class RateLimiter:
    def __init__(self) -> None:
        self._hits: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def check(
        self, provider: str, key: str, limit: RateLimit, now: float, *, active_jobs: int | None = None
    ) -> RateDecision:
        """Count one request at `now`, or refuse it. `active_jobs` is given for submits (concurrency)."""
        with self._lock:
            hits = self._hits.setdefault((provider, key), deque())
            if limit.requests is not None:
                while hits and _left_in_window(hits[0], limit, now) <= 0:
                    hits.popleft()
            state = self._state(hits, limit, now)
            if limit.requests is not None and len(hits) >= limit.requests:
                return RateDecision(False, max(1, math.ceil(_left_in_window(hits[0], limit, now))), state)
            if limit.concurrency is not None and active_jobs is not None and active_jobs >= limit.concurrency:
                return RateDecision(False, 1, state)
            if limit.requests is not None:
                hits.append(now)
            return RateDecision(True, 0, self._state(hits, limit, now))

    @staticmethod
    def _state(hits: deque[float], limit: RateLimit, now: float) -> RateState | None:
        if limit.requests is None:
            return None
        reset = _left_in_window(hits[0], limit, now) if hits else limit.window_s
        return RateState(limit.requests, max(0, limit.requests - len(hits)), max(0.0, reset))
