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
from harness.core.quantiles import sorted_quantile

TAIL = 0.98  # beyond this quantile of the model the job is an outlier: back off geometrically
TAIL_FRACTION = 0.3  # in the tail, wait this fraction of the time already spent


@dataclass(frozen=True, slots=True)
class PollContext:
    """What the scheduler knows about one job when it chooses the next poll (seconds since submit)."""

    elapsed: float  # now − request sent
    polls: int  # status requests already sent
    last_pending: float | None  # elapsed time of the last poll that saw the job unfinished
    chars: int
    processing_since: float | None = None  # server-reported processing start, as elapsed time
    started_known: bool = False


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
        # Widen the empirical spread a little with few samples: the tails are not seen yet.
        inflate = 1.0 + 1.0 / len(residuals)
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
    """Polls at equal steps of conditional completion probability, densest where completion is likely.

    `total` learns this model's durations (models differ too much to share one). Until it has seen
    `warm` jobs the schedule explores geometrically; and whatever the model says, no gap exceeds
    `explore_cap` or half the time already waited, whichever is longer, so a wrong model costs at most a
    third of a job's duration in detection delay.
    """

    label: str = "adaptive"
    min_gap: float = 0.05  # seconds: never poll faster than this
    max_gap: float = 30.0
    steps: int = 8  # polls the schedule aims to spend inside the predicted range
    first: float = 0.25  # exploration: first poll after this
    growth: float = 1.6  # exploration: each gap grows by this factor
    explore_cap: float = 4.0  # exploration: longest gap
    warm: int = 3  # completed jobs needed before a model is trusted
    total: DurationModel = field(default_factory=DurationModel)
    processing: DurationModel = field(default_factory=DurationModel)

    def observe(self, chars: int, total_s: float, processing_s: float | None) -> None:
        self.total.observe(chars, total_s)
        if processing_s is not None:
            self.processing.observe(chars, processing_s)

    def next_delay(self, ctx: PollContext) -> tuple[float, str]:
        remaining = max(self.steps - ctx.polls, 2)
        if ctx.processing_since is not None and len(self.processing) >= self.warm:
            # The server said when processing began: predict its end from the processing model alone.
            since = ctx.processing_since
            quantile = self.processing.conditional_quantile(ctx.chars, max(ctx.elapsed - since, 0.0), 1 / remaining)
            if quantile is not None:
                return self._gap(since + quantile - ctx.elapsed, ctx), "predicted"
            return self._gap(TAIL_FRACTION * ctx.elapsed, ctx), "tail"
        model = self.total if len(self.total) >= self.warm else None
        if model is None:
            delay = self.first * self.growth ** ctx.polls
            return self._gap(delay, ctx), "explore"
        # Known unfinished at the last pending poll; equal probability per poll, and as polls are spent
        # each one takes a larger share of what is left, so the number of polls stays bounded.
        after = ctx.last_pending if ctx.last_pending is not None else 0.0
        quantile = model.conditional_quantile(ctx.chars, after, 1.0 / remaining)
        if quantile is None:
            return self._gap(TAIL_FRACTION * ctx.elapsed, ctx), "tail"
        delay = quantile - ctx.elapsed
        return self._gap(delay, ctx), ("dense" if delay <= 4 * self.min_gap else "predicted")

    def _gap(self, delay: float, ctx: PollContext) -> float:
        longest = min(max(self.explore_cap, 0.5 * ctx.elapsed), self.max_gap)
        return min(max(delay, self.min_gap), longest)


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
