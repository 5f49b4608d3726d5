"""Per-provider gates: how many jobs may be in flight, how many were, and when the next request may go out.

A provider that answers 429 or 503 with `Retry-After`, or whose rate-limit headers say the window is
spent (`X-RateLimit-Remaining: 0` with `X-RateLimit-Reset`), closes its gate for every job of that
provider until then: hammering it would only buy more 429s and distort every latency behind it.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Mapping

from harness.core.retry import PROVIDER_WIDE_STATUSES, window_reset_seconds


class InFlight:
    """How many of a provider's jobs are in flight, over time: what a run asked for is a cap; this is what
    the provider really saw (the peak, and the mean over the time any job was in flight)."""

    __slots__ = ("area", "busy", "count", "peak", "since")

    def __init__(self) -> None:
        self.count = 0
        self.peak = 0
        self.area = 0.0  # jobs x seconds
        self.busy = 0.0  # seconds with at least one job in flight
        self.since: float | None = None

    def _advance(self) -> None:
        moment = time.perf_counter()
        if self.since is not None and self.count:
            self.area += self.count * (moment - self.since)
            self.busy += moment - self.since
        self.since = moment

    def enter(self) -> int:
        """A job starts; returns how many are in flight with it."""
        self._advance()
        self.count += 1
        self.peak = max(self.peak, self.count)
        return self.count

    def leave(self) -> None:
        self._advance()
        self.count -= 1

    @property
    def mean(self) -> float | None:
        return self.area / self.busy if self.busy > 0 else None


class ProviderGate:
    __slots__ = ("closed_until", "first_start", "in_flight", "jobs", "starts", "waits")

    def __init__(self, concurrency: int) -> None:
        self.jobs = asyncio.Semaphore(concurrency)
        self.in_flight = InFlight()
        self.closed_until = 0.0  # monotonic seconds
        self.waits = 0
        self.starts = 0
        self.first_start: float | None = None

    async def ramp(self, span: float, wave: int) -> None:
        """Start the first `wave` jobs at even steps over `span` seconds; later jobs at once."""
        index = self.starts
        self.starts += 1
        if span <= 0 or wave <= 1 or index >= wave:
            return
        if self.first_start is None:
            self.first_start = time.perf_counter()
        delay = self.first_start + index * span / wave - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)

    async def ready(self, until: float = math.inf) -> None:
        """Return once the provider may be sent a request, or at `until` (monotonic: a job's deadline)."""
        while (delay := min(self.closed_until, until) - time.perf_counter()) > 0:
            self.waits += 1
            await asyncio.sleep(delay)

    def closed_for(self) -> float:
        """Seconds until the gate opens (0: open)."""
        return max(self.closed_until - time.perf_counter(), 0.0)

    def close_for(self, seconds: float) -> None:
        self.closed_until = max(self.closed_until, time.perf_counter() + seconds)

    def note(self, status: int, headers: Mapping[str, str], retry_after: float | None) -> None:
        """Learn from an answer: Retry-After on 429/503, and an exhausted rate-limit window (both read by
        the one retry policy, `harness.core.retry`)."""
        if status in PROVIDER_WIDE_STATUSES and retry_after is not None:
            self.close_for(retry_after)
        reset = window_reset_seconds(headers)
        if reset is not None:
            self.close_for(reset)


class Gates:
    """One gate per provider, created on first use."""

    def __init__(self, concurrency: int) -> None:
        self.concurrency = concurrency
        self.gates: dict[str, ProviderGate] = {}

    def resized(self, concurrency: int) -> Gates:
        """Fresh gates for the next level of a load sweep; a provider's closed gate stays closed."""
        fresh = Gates(concurrency)
        for provider, gate in self.gates.items():
            fresh[provider].closed_until = gate.closed_until
        return fresh

    def __getitem__(self, provider: str) -> ProviderGate:
        gate = self.gates.get(provider)
        if gate is None:
            gate = self.gates[provider] = ProviderGate(self.concurrency)
        return gate
