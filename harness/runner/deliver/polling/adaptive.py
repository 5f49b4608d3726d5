"""The adaptive schedule: polls where the remaining probability of completion is, at a cadence the per-job
budget allows (see the class docstring; the package's docstring says why)."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from harness.runner.deliver.polling.duration_model import DurationModel
from harness.runner.deliver.polling.schedules import PollContext

TAIL_FRACTION = 0.3  # past the budget, wait this fraction of the time already spent
TAIL_NEAR_FRACTION = 0.1  # past the mass but within the budget: a rare slow job, still worth measuring
QUEUE_FRACTION = 0.25  # while a job is seen queued, a poll every second or this fraction of the wait
MASS_LOW, MASS_HIGH = 0.02, 0.98  # the central mass where polls go at an even cadence
MASS_MARGIN = 0.05  # and a little beyond it either side: the model is learned from few jobs
PLAN_CORRECTION = 3.0  # at most this many polls of correction to the plan, either way
CORE_GRID = 40  # quantiles of the duration model over which expected poll counts are averaged
CORE_CHOICES = (0.96, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2)  # central masses tried for the core, widest first
# Polls a job may spend on thirds on average even when one a second through the mass already spends the plan: at
# one a second the window is half a second, so the p95 error sits at 240 ms whatever the model, and only thirds
# for the central jobs bring it under a quarter second (without this floor a slow model, whose mass alone spends
# the plan, would get no thirds at all).
CORE_MIN_EXTRA = 3.0
APPROACH_CAP_S = 5.0  # before the mass, no gap longer than this or half the time waited, whichever is longer
# While truncation and rounding are both possible, polls go just after the rounding clock's second begins and
# just before the truncating clock's next one: the first may not go early (the band between them is what
# tells the two apart), the second must be answered before that second (its round trip, a late wake-up).
DISCRIMINATE_AFTER_S, DISCRIMINATE_BEFORE_S = 0.02, 0.05
DECIDING_LEAD_S = 0.15  # from one deciding point on, the next at least this far ahead
ROUND_TRIP_ALLOWANCE_S = 0.1  # at most this much of the last answer's round trip moves the second point


@dataclass(slots=True, kw_only=True)
class AdaptiveSchedule:
    """Polls where the remaining probability of completion is, at a cadence the per-job budget allows.

    `total` learns this model's durations from the run's finished jobs (models differ too much to share
    one). Before the central mass of that distribution ([MASS_LOW, MASS_HIGH] quantiles for the job's
    length) two polls only: a safety net halfway, then the mass's start. Inside the mass polls come at an
    even cadence — an even cadence is what bounds the error of most jobs, which is what a p95 asks; past
    it they back off geometrically.

    Against whole-second completion stamps the polls are phased to split the server's seconds: the stamp
    names the second, the polls split it. One poll per second at mid-second leaves half a second of doubt;
    two per second, at its thirds, leave a third. The budget cannot pay for thirds across the whole mass
    of a slow model, so they go to its core: the widest central mass of the model for which a job is
    expected to spend no more than `plan` polls, corrected by what the finished jobs really spent (and at
    least `CORE_MIN_EXTRA` polls of thirds, where the mass alone spends the plan). Without
    stamps only the polls bound the completion, so the cadence is as fine as the remaining budget allows.

    While the stamps' convention is open (`PollContext.round_origin`), a whole-second stamp is worth a
    second and a half of doubt (the truncating and the rounding readings together), and no cadence of one
    poll a second bounds it. Polls then come twice a second at the two points that decide the question: just
    after the rounding clock's second begins, and just before the truncating clock's next second. A
    completion between them is placed by one convention only (it rules the other out), and every window stays
    within half a second either way.

    While a job is seen queued (a provider that shows its queue, a QUEUED state), it cannot finish before
    it starts, and a poll only looks for the start: one a second, or a quarter of the wait once that is
    longer (but never longer than the fastest jobs take once started), outside the budget (a run whose
    provider queues under load must not spend it before the job begins).

    Until `warm` jobs have finished the schedule explores: gaps grow geometrically to `explore_cap` (to
    `explore_cap_plain` when no whole-second stamp will split them), then with the time waited once the
    budget is spent, so a long job costs a bounded number of polls.
    """

    label: str = "adaptive"
    min_gap: float = 0.05  # seconds: never poll faster than this
    max_gap: float = 30.0
    # Status polls one job may spend before the schedule only backs off: a slow job of the first wave, explored
    # at a poll a second against whole-second stamps (the cadence that keeps its window within half a second),
    # spends 20 on its own; past the budget the gaps grow with the time waited and the stamp alone is left.
    budget: int = 30
    plan: float = 9.0  # status polls a job should spend on average (where the schedule has a choice)
    spread: int = 16  # without whole-second stamps, the polls the cadence spreads over the mass
    first: float = 0.4  # exploration: first poll after this
    growth: float = 1.5  # exploration: each gap grows by this factor
    explore_cap: float = 1.0  # exploration: longest gap when phased polls split whole-second stamps
    explore_cap_plain: float = 0.6  # the same when only the polls bound the completion
    warm: int = 2  # completed jobs needed before a model is trusted (its priors cover the rest)
    cadence_whole_s: tuple[float, float] = (1 / 3, 1.0)  # core, rest of the mass against whole seconds
    cadence_plain_s: tuple[float, float] = (0.25, 0.8)  # finest, sparsest without them (only the polls bound it)
    cadence_precise_s: float = 2.0  # millisecond stamps narrow the window themselves: polls only detect
    cadence_open_s: float = 0.5  # while the stamps' convention is open (see the class docstring)
    queue_gap_s: float = 1.0  # while the job is seen queued, at least this between polls
    total: DurationModel = field(default_factory=DurationModel)
    spent: deque[int] = field(default_factory=lambda: deque(maxlen=50))  # budgeted polls of finished jobs
    _cores: dict[tuple[int, int, float], tuple[float, float] | None] = field(default_factory=dict)

    def observe(self, chars: int, total_s: float, polls: int | None = None, processing_s: float | None = None) -> None:
        # Where the provider shows its queue, the model learns the time after it: how long a job waits
        # depends on how many are in flight (a load sweep's levels), how long it then takes does not.
        self.total.observe(chars, total_s if processing_s is None else processing_s)
        if polls is not None:
            self.spent.append(polls)

    def _target(self) -> float:
        """The plan the core is sized for, corrected by what finished jobs really spent: the model's
        expectation is only a model (and exploring cost the first jobs more), so a run that spends more
        than `plan` gets a narrower core, one that spends less a wider one."""
        if not self.spent:
            return self.plan
        over = sum(self.spent) / len(self.spent) - self.plan
        return round(min(max(self.plan - over, self.plan - PLAN_CORRECTION), self.plan + PLAN_CORRECTION), 2)

    def next_delay(self, ctx: PollContext) -> tuple[float, str]:
        if ctx.queued:
            gap = max(self.queue_gap_s, QUEUE_FRACTION * ctx.elapsed)
            if len(self.total) >= self.warm:
                # It may start right after this poll: the next should come before it could have finished.
                gap = min(gap, max(self.queue_gap_s, self.total.quantile(ctx.chars, MASS_LOW)))
            at = ctx.elapsed + gap if ctx.second_origin is None else self._phased(ctx.elapsed + 0.75 * gap, ctx, gap)
            return self._gap(at - ctx.elapsed, ctx), "queued"
        if len(self.total) < self.warm:
            return self._explore(ctx), "explore"
        since = ctx.started or 0.0
        low = since + self.total.quantile(ctx.chars, MASS_LOW) * (1.0 - MASS_MARGIN)
        high = since + self.total.quantile(ctx.chars, MASS_HIGH) * (1.0 + MASS_MARGIN)
        left = self.budget - ctx.polls
        if left <= 0:
            return self._gap(TAIL_FRACTION * max(ctx.elapsed, self.min_gap), ctx), "tail"
        if ctx.elapsed >= high:
            # A rare slow job, still within its budget: the mass's sparsest cadence at most, phased as there
            # (a gap that is not phased can straddle a whole second, and leave the stamp's whole second open).
            cadence = (
                self.cadence_open_s
                if ctx.round_origin is not None
                else self._cadence(ctx, TAIL_NEAR_FRACTION * ctx.elapsed)
            )
            return self._gap(self._next_phase(ctx, cadence) - ctx.elapsed, ctx), "tail"
        cadence = self._mass_cadence(ctx, low, high, left)
        if ctx.elapsed < low - cadence:
            # Before the mass nothing is likely to happen: straight to its start, with a safety net of a
            # poll every APPROACH_CAP_S (a job that failed at once, or a model that is wrong).
            target = min(low, ctx.elapsed + _approach_step(ctx.elapsed))
            delay = self._phased_by(target, ctx, cadence) - ctx.elapsed
            return min(max(delay, self.min_gap), self.max_gap), "approach"
        return self._gap(self._next_phase(ctx, cadence) - ctx.elapsed, ctx), "mass"

    def _next_phase(self, ctx: PollContext, cadence: float) -> float:
        """The next poll inside the mass (or the near tail): the last phase point within a cadence of now, so
        no gap is longer than the cadence asks (a fixed lead longer than the cadence would step over a phase
        point where the core's thirds give way to the rest's mid-second) and a poll that went out a little late
        skips no phase. The deciding points are closer together than their
        cadence says (the round trip moves one): the next one."""
        if ctx.round_origin is not None:
            return self._phased(ctx.elapsed + DECIDING_LEAD_S, ctx, cadence)
        return self._phased_by(ctx.elapsed + cadence, ctx, cadence)

    def _explore(self, ctx: PollContext) -> float:
        cap = self.explore_cap if ctx.second_origin is not None else self.explore_cap_plain
        if ctx.round_origin is not None:
            cap = self.cadence_open_s
        if ctx.polls >= self.budget:
            cap = max(cap, TAIL_FRACTION * ctx.elapsed)
        delay = min(self.first * self.growth**ctx.polls, cap)
        cadence = self._cadence(ctx, delay)
        # Phased: the phase point nearest the wanted delay (at most half a cadence either side), so
        # phasing never stretches a gap beyond what the cap allows by more than that.
        if ctx.second_origin is None:
            return max(delay, self.min_gap)
        lead = max(delay - cadence / 2, self.min_gap) if ctx.round_origin is None else DECIDING_LEAD_S
        return self._phased(ctx.elapsed + lead, ctx, cadence) - ctx.elapsed

    def _mass_cadence(self, ctx: PollContext, low: float, high: float, left: int) -> float:
        if ctx.round_origin is not None:
            return self.cadence_open_s
        if ctx.second_origin is not None and (ctx.stamp_resolution or 1.0) >= 1.0:
            finest, sparsest = self.cadence_whole_s
            since = ctx.started or 0.0
            core = self._core(ctx.chars, low - since, high - since)
            inside = core is not None and since + core[0] <= ctx.elapsed + finest < since + core[1]
            # Thirds only while the budget still covers the rest of the mass at one poll a second: a job
            # that outlives the core must not meet the tail's long gaps inside the mass.
            affordable = left - 1 >= (high - ctx.elapsed) / sparsest
            return finest if inside and affordable else sparsest
        return self._cadence(ctx, (high - max(ctx.elapsed, low)) / max(self.spread - ctx.polls - 1, 1))

    def _core(self, chars: int, low: float, high: float) -> tuple[float, float] | None:
        """The widest central interval of the duration model where polling at thirds (two a second, one
        more than elsewhere in the mass) keeps a job's expected polls within `plan`, or its thirds within
        `CORE_MIN_EXTRA` polls where one a second through the mass alone spends the plan; None if none does.
        A job still running at t costs one poll a second from `low` on, one more inside the core: the
        expected count is the time the job is expected to spend in each, from the model's quantiles."""
        target = self._target()
        key = (len(self.total), chars, target)
        if key not in self._cores:
            if len(self._cores) > 256:
                self._cores.clear()
            durations = [self.total.quantile(chars, (i + 0.5) / CORE_GRID) for i in range(CORE_GRID)]

            def expected_time(start: float, end: float) -> float:
                return sum(min(max(d, start), end) - start for d in durations) / len(durations)

            # The approach, one poll a second while the job runs, and the poll that finds it finished.
            approach, at = 0, 0.0
            while at < low:
                at, approach = min(low, at + _approach_step(at)), approach + 1
            base = approach + expected_time(low, high) / self.cadence_whole_s[1] + 1
            self._cores[key] = None
            for mass in CORE_CHOICES:
                start = max(self.total.quantile(chars, 0.5 - mass / 2), low)
                end = min(self.total.quantile(chars, 0.5 + mass / 2), high)
                if expected_time(start, end) <= max(target - base, CORE_MIN_EXTRA):
                    self._cores[key] = (start, end)
                    break
        return self._cores[key]

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
        when polling more than once a second, the middle otherwise; the two deciding points while the
        convention is open. Unphased without a known origin."""
        if ctx.second_origin is None:
            return at
        phases: tuple[float, ...] = (1 / 3, 2 / 3) if cadence < 0.75 else (0.5,)
        if ctx.round_origin is not None:
            after = (ctx.round_origin - ctx.second_origin + DISCRIMINATE_AFTER_S + ctx.origin_doubt) % 1.0
            # Its answer should be back before the truncating second, but a slow one must not eat the band:
            # a truncating server is told apart by the first point alone, whatever the round trip.
            before = 1.0 - DISCRIMINATE_BEFORE_S - ctx.origin_doubt - min(ctx.round_trip, ROUND_TRIP_ALLOWANCE_S)
            phases = tuple(sorted((after, before % 1.0)))
        base = math.floor(at - ctx.second_origin)
        for second in (base, base + 1):
            for phase in phases:
                moment = ctx.second_origin + second + phase
                if moment >= at - 1e-9:
                    return moment
        return at  # unreachable: the next second always has a phase point

    def _phased_by(self, at: float, ctx: PollContext, cadence: float) -> float:
        """The last phase point at or before `at` (and after the next possible poll), else the first after it:
        the approach must not land past the mass's start (phasing forwards could move it up to a second late,
        and a job finishing a little before the model's 2% quantile would keep the whole second its stamp names)."""
        if ctx.second_origin is None:
            return at  # unphased: stepping through "phase points" would crawl a microsecond at a time
        soonest = ctx.elapsed + self.min_gap
        moment = self._phased(max(at - 1.0, soonest), ctx, cadence)
        if moment > at:
            return moment
        while (following := self._phased(moment + 1e-6, ctx, cadence)) <= at:
            moment = following
        return moment

    def _gap(self, delay: float, ctx: PollContext) -> float:
        longest = min(max(self.explore_cap, 0.5 * ctx.elapsed), self.max_gap)
        return min(max(delay, self.min_gap), longest)


def _approach_step(elapsed: float) -> float:
    return max(APPROACH_CAP_S, 0.5 * elapsed)
