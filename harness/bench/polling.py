"""When to ask for a job's status: an adaptive schedule that is accurate where it matters and frugal
elsewhere, and fixed-interval schedules to compare it with.

A fixed interval quantises end-to-end latency by up to one interval and spends most of its polls
where nothing happens. The adaptive schedule learns, per (provider, model), how long jobs take as a
function of their text length (log-linear fit over completed jobs, with the empirical spread of the
residuals) and places polls at equal steps of conditional probability of completion: sparse early,
dense where completion is likely, and never closer than `min_gap`. Before a model has data it explores
geometrically. A server-reported processing start, when the provider gives one, replaces the queue
part of the prediction. `Retry-After` and rate-limit resets always win over the schedule (see
`harness.bench.gates`).
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from dataclasses import dataclass, field
from typing import Protocol

from harness.bench.config import PollingMode
from harness.bench.stampbook import ProviderStamps
from harness.core.quantiles import sorted_quantile

TAIL = 0.98  # beyond this quantile of the model the job is an outlier: back off geometrically
TAIL_FRACTION = 0.3  # in the tail, wait this fraction of the time already spent
MASS_LOW, MASS_HIGH = 0.02, 0.98  # the central mass where polls go at an even cadence
MASS_MARGIN = 0.05  # and a little beyond it either side: the model is learned from few jobs
APPROACH_FRACTION = 0.35  # before the mass, no gap longer than this fraction of the time waited
APPROACH_CAP_S = 2.5  # or than this, whichever is longer
ORIGIN_TOLERANCE_S = 0.25  # phase polls only when the server's clock is known at least this well


@dataclass(frozen=True, slots=True)
class PollContext:
    """What the scheduler knows about one job when it chooses the next poll (seconds since submit)."""

    elapsed: float  # now − request sent
    polls: int  # status requests already sent
    last_pending: float | None  # elapsed time of the last poll that saw the job unfinished
    chars: int
    processing_since: float | None = None  # server-reported processing start, as elapsed time
    started_known: bool = False
    # Where the server's whole seconds begin, as elapsed time modulo 1 s: known when the provider stamps
    # completion at whole seconds and the run has pinned its clock (see `second_origin`); None otherwise.
    second_origin: float | None = None
    stamp_resolution: float | None = None  # of the completion stamp (None: no stamp; 1.0: whole seconds)


class Schedule(Protocol):
    label: str

    def next_delay(self, ctx: PollContext) -> tuple[float, str]:
        """Seconds to wait before the next poll, and why (stored with the poll)."""
        ...

    def observe(self, chars: int, total_s: float, processing_s: float | None) -> None:
        """A finished job's duration (submit → completion; processing part when known)."""
        ...


@dataclass(slots=True)
class FixedSchedule:
    """The documents' way: poll every `interval` seconds."""

    interval: float
    label: str = ""

    def __post_init__(self) -> None:
        self.label = self.label or f"fixed:{self.interval:g}"

    def next_delay(self, ctx: PollContext) -> tuple[float, str]:
        return self.interval, "fixed"

    def observe(self, chars: int, total_s: float, processing_s: float | None) -> None:
        return None


@dataclass(slots=True)
class DurationModel:
    """log(duration) = a + b·log(1 + chars) + ε, fitted on recent jobs; ε's empirical quantiles."""

    window: int = 200
    samples: deque[tuple[float, float]] = field(default_factory=lambda: deque(maxlen=200))
    _fit: tuple[float, float, list[float]] | None = None

    def observe(self, chars: int, seconds: float) -> None:
        if seconds > 0:
            self.samples.append((math.log1p(chars), math.log(seconds)))
            self._fit = None

    def __len__(self) -> int:
        return len(self.samples)

    def _coefficients(self) -> tuple[float, float, list[float]]:
        if self._fit is None:
            xs = [x for x, _ in self.samples]
            ys = [y for _, y in self.samples]
            mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
            var = sum((x - mx) ** 2 for x in xs)
            b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var > 1e-9 else 0.0
            a = my - b * mx
            residuals = sorted(y - (a + b * x) for x, y in zip(xs, ys, strict=True))
            self._fit = (a, b, residuals)
        return self._fit

    def _scaled(self) -> tuple[float, float, list[float]]:
        a, b, residuals = self._coefficients()
        # Widen the empirical spread with few samples: the tails are not seen yet, and a fit on a handful
        # of jobs is narrower than the truth (a poll schedule too sure of itself misses the completion).
        inflate = 1.0 + 1.0 / math.sqrt(len(residuals))
        return a, b, [r * inflate for r in residuals]

    def quantile(self, chars: int, q: float) -> float:
        """The q-quantile of the duration (seconds) of a job with `chars` characters."""
        a, b, residuals = self._scaled()
        residual = sorted_quantile(residuals, min(max(q, 0.0), 1.0))
        return math.exp(a + b * math.log1p(chars) + residual)

    def conditional_quantile(self, chars: int, after: float, q: float) -> float | None:
        """The time by which the job finishes with probability q, given it had not finished at `after`;
        None when `after` is already past what the model has seen (the job is in the tail)."""
        lo_q = self._cdf(chars, after)
        if lo_q >= TAIL:
            return None
        return self.quantile(chars, min(lo_q + (1.0 - lo_q) * q, TAIL))

    def _cdf(self, chars: int, seconds: float) -> float:
        """The exact inverse of `quantile` (piecewise linear between the sorted residuals)."""
        if seconds <= 0:
            return 0.0
        a, b, residuals = self._scaled()
        n = len(residuals)
        z = math.log(seconds) - a - b * math.log1p(chars)
        if n == 1 or z <= residuals[0]:
            return 0.0 if z <= residuals[0] else 1.0
        if z >= residuals[-1]:
            return 1.0
        index = bisect.bisect_right(residuals, z) - 1
        low, high = residuals[index], residuals[index + 1]
        fraction = (z - low) / (high - low) if high > low else 0.0
        return (index + fraction) / (n - 1)


@dataclass(slots=True)
class AdaptiveSchedule:
    """Polls where the remaining probability of completion is, at a cadence the per-job budget allows.

    `total` learns this model's durations from the run's finished jobs (models differ too much to share
    one). Before the central mass of that distribution ([MASS_LOW, MASS_HIGH] quantiles for the job's
    length) polls are sparse; inside it they come at an even cadence — an even cadence is what bounds the
    error of most jobs, which is what a p95 asks — as fine as the remaining budget allows; past it they
    back off geometrically. Against whole-second completion stamps the polls are phased to split the
    server's seconds (one poll at mid-second, or two at its thirds): the stamp names the second, the polls
    split it, so a cadence of one poll per second leaves half a second of doubt instead of a whole one.
    Until `warm` jobs have finished the schedule explores geometrically; whatever the model says, no gap
    exceeds `explore_cap` or half the time already waited, whichever is longer.
    """

    label: str = "adaptive"
    min_gap: float = 0.05  # seconds: never poll faster than this
    max_gap: float = 30.0
    budget: int = 16  # status polls one job may spend before the schedule only backs off
    first: float = 0.4  # exploration: first poll after this
    growth: float = 1.5  # exploration: each gap grows by this factor
    explore_cap: float = 1.0  # exploration: longest gap (phased, it still halves a whole-second stamp)
    warm: int = 3  # completed jobs needed before a model is trusted
    cadence_whole_s: tuple[float, float] = (1 / 3, 1.0)  # finest, sparsest against whole seconds (thirds, middle)
    cadence_plain_s: tuple[float, float] = (0.25, 0.8)  # the same without them (only the polls bound it)
    cadence_precise_s: float = 2.0  # millisecond stamps narrow the window themselves: polls only detect
    total: DurationModel = field(default_factory=DurationModel)
    processing: DurationModel = field(default_factory=DurationModel)

    def observe(self, chars: int, total_s: float, processing_s: float | None) -> None:
        self.total.observe(chars, total_s)
        if processing_s is not None:
            self.processing.observe(chars, processing_s)

    def next_delay(self, ctx: PollContext) -> tuple[float, str]:
        if len(self.total) < self.warm:
            # Nothing learned yet: gaps grow to explore_cap, then with the time waited once the budget is
            # spent, so a long job costs a bounded number of polls.
            cap = self.explore_cap if ctx.polls < self.budget else TAIL_FRACTION * ctx.elapsed
            delay = min(self.first * self.growth ** ctx.polls, max(self.explore_cap, cap))
            return self._phased(ctx.elapsed + delay, ctx, self._cadence(ctx, delay)) - ctx.elapsed, "explore"
        low = self.total.quantile(ctx.chars, MASS_LOW) * (1.0 - MASS_MARGIN)
        high = self.total.quantile(ctx.chars, MASS_HIGH) * (1.0 + MASS_MARGIN)
        left = self.budget - ctx.polls
        if ctx.elapsed >= high or left <= 0:
            return self._gap(TAIL_FRACTION * max(ctx.elapsed, self.min_gap), ctx), "tail"
        cadence = self._cadence(ctx, (high - max(ctx.elapsed, low)) / max(left - 1, 1))
        if ctx.elapsed < low - cadence:
            # Before the mass: one sparse poll to its start (a safety net caps the gap if the model is wrong).
            approach = min(low - ctx.elapsed, max(APPROACH_CAP_S, APPROACH_FRACTION * ctx.elapsed))
            return self._gap(self._phased(ctx.elapsed + approach, ctx, cadence) - ctx.elapsed, ctx), "approach"
        # From three quarters of a cadence on: a poll that went out a little late must not skip a phase.
        return self._gap(self._phased(ctx.elapsed + 0.75 * cadence, ctx, cadence) - ctx.elapsed, ctx), "mass"

    def _cadence(self, ctx: PollContext, wanted: float) -> float:
        if ctx.stamp_resolution is not None and ctx.stamp_resolution <= 0.01:
            return max(wanted, self.cadence_precise_s)
        # Never sparser than one poll per server second (or `cadence_plain_s[1]` without stamps): spreading
        # the budget evenly over the whole mass would spend only half of it, at half the accuracy. The budget
        # still bounds every job: past it, the schedule backs off.
        finest, sparsest = self.cadence_whole_s if ctx.second_origin is not None else self.cadence_plain_s
        return min(max(wanted, finest), sparsest)

    def _phased(self, at: float, ctx: PollContext, cadence: float) -> float:
        """The first instant at or after `at` that splits a server second evenly for this cadence: thirds
        when polling more than once a second, the middle otherwise. Unphased without a known origin."""
        if ctx.second_origin is None:
            return at
        phases = (1 / 3, 2 / 3) if cadence < 0.75 else (0.5,)
        base = math.floor(at - ctx.second_origin)
        for second in (base, base + 1):
            for phase in phases:
                moment = ctx.second_origin + second + phase
                if moment >= at - 1e-9:
                    return moment
        return at  # unreachable: the next second always has a phase point

    def _gap(self, delay: float, ctx: PollContext) -> float:
        longest = min(max(self.explore_cap, 0.5 * ctx.elapsed), self.max_gap)
        return min(max(delay, self.min_gap), longest)


def second_origin(clock: ProviderStamps, sent_wall: float) -> float | None:
    """Elapsed time since `sent_wall` (mod 1 s) at which the server's whole seconds begin, when the
    provider stamps completion at whole seconds and the run knows its clock to within a quarter second."""
    if "completed" not in clock.fields or clock.resolution("completed") < 1.0:
        return None
    if not clock.offset.known or clock.offset.width > ORIGIN_TOLERANCE_S:
        return None
    return (-clock.offset.middle - sent_wall) % 1.0


def stamp_resolution(clock: ProviderStamps) -> float | None:
    return clock.resolution("completed") if "completed" in clock.fields else None


@dataclass(slots=True)
class ScheduleBook:
    """One schedule per model of a run (webhook runs poll adaptively, as a safety net only)."""

    mode: PollingMode
    interval: float = 1.0
    schedules: dict[str, Schedule] = field(default_factory=dict)

    def get(self, label: str) -> Schedule:
        schedule = self.schedules.get(label)
        if schedule is None:
            fixed = self.mode is PollingMode.FIXED
            schedule = self.schedules[label] = FixedSchedule(self.interval) if fixed else AdaptiveSchedule()
        return schedule
