"""Profiles: how long jobs take and how often things go wrong, so one sandbox serves tests and demos.

`fast` keeps every job in milliseconds (tests, contract runs); `realistic` uses seconds that vary by
model and text length, as the providers' own examples do (a status example showing 15-16 s from
`created_at` to `completed_at`), and each model serves its jobs with a fixed pool of workers
(`REALISTIC_WORKERS`), so latency climbs once more jobs are in flight than it has workers; `chaos` is
`realistic` plus faults drawn at documented rates from the seeded generator, so a chaos run is
reproducible from its seed.

A model's realistic timing is a `Timing` its emulation declares; durations are log-normal around the
declared medians (real queues have long right tails, never negative times).
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from harness.sandbox.faults import Fault


class Profile(StrEnum):
    FAST = "fast"
    REALISTIC = "realistic"
    CHAOS = "chaos"

    @classmethod
    def parse(cls, value: str | Profile) -> Profile:
        try:
            return cls(value)
        except ValueError:
            valid = ", ".join(p.value for p in cls)
            raise ValueError(f"unknown sandbox profile {value!r}; valid profiles: {valid}") from None


@dataclass(frozen=True, slots=True)
class Timing:
    """One model's realistic job durations (medians, seconds); the profile scales them."""

    queue_s: float  # median wait in QUEUED
    processing_s: float  # median fixed part of PROCESSING
    per_char_s: float = 0.0  # PROCESSING grows with the text
    spread: float = 0.35  # log-normal sigma: how much two runs of the same request differ

    def draw(self, characters: int, rng: random.Random, scale: float) -> tuple[float, float]:
        """(queue seconds, processing seconds) for one job."""
        queue = self.queue_s * math.exp(rng.gauss(0.0, self.spread))
        processing = (self.processing_s + self.per_char_s * characters) * math.exp(rng.gauss(0.0, self.spread))
        return queue * scale, processing * scale


#: Fault rates of the chaos profile, per request (request faults) or per job (job faults).
CHAOS_RATES: Mapping[Fault, float] = {
    Fault.HTTP_500: 0.02,
    Fault.HTTP_503: 0.02,
    Fault.HTTP_429: 0.01,
    Fault.MALFORMED_JSON: 0.01,
    Fault.HTML_ERROR: 0.01,
    Fault.CONNECTION_RESET: 0.01,
    Fault.HANG: 0.005,
    Fault.TRUNCATED_AUDIO: 0.02,
    Fault.STATUS_BACKWARDS: 0.02,
    Fault.NEVER_FINISH: 0.01,
    Fault.JOB_FAILED: 0.03,
    Fault.JOB_ERROR: 0.02,
    Fault.DUPLICATE_WEBHOOK: 0.05,
}


#: A provider's clock is never exactly the client's: NTP keeps servers within tens to hundreds of ms.
REALISTIC_SKEW_S = 0.3


#: Workers per model in the realistic profiles: more jobs in flight than this queue (QUEUED, then PROCESSING).
REALISTIC_WORKERS = 4


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileSettings:
    """Everything a profile decides, as numbers."""

    profile: Profile
    time_scale: float  # multiplies every realistic duration
    fault_rates: Mapping[Fault, float] = field(default_factory=dict)
    retry_after_s: int = 2  # Retry-After of injected 429/503 answers
    hang_s: float = 30.0  # how long a hang lasts on the sandbox clock unless released
    sync_cycle_s: float = 5.0  # the queue's poll cycle, which sync-mode webhooks follow (documented cap: 15 s)
    webhook_backoff_s: float = 1.0  # first retry delay of a failed webhook; doubles per attempt
    clock_skew_s: float = 0.0  # the server clock's offset from the client's (see harness.sandbox.stamps)
    # Workers per model (None: every job starts after its own drawn queue time, however many are in flight).
    # A real service has a fixed pool: past it, jobs queue and latency climbs (harness.sandbox.timeline).
    workers: int | None = None

    @classmethod
    def of(cls, profile: Profile | str) -> ProfileSettings:
        chosen = Profile.parse(profile)
        if chosen is Profile.FAST:
            return cls(
                profile=chosen,
                time_scale=0.001,
                retry_after_s=1,
                hang_s=30.0,
                sync_cycle_s=0.05,
                webhook_backoff_s=0.05,
            )
        if chosen is Profile.REALISTIC:
            return cls(profile=chosen, time_scale=1.0, clock_skew_s=REALISTIC_SKEW_S, workers=REALISTIC_WORKERS)
        return cls(
            profile=chosen,
            time_scale=1.0,
            fault_rates=dict(CHAOS_RATES),
            hang_s=10.0,
            clock_skew_s=REALISTIC_SKEW_S,
            workers=REALISTIC_WORKERS,
        )
