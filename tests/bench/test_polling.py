"""The schedules: fixed ones are fixed; the adaptive one explores, then polls densely where jobs end."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from harness.runner.deliver.polling import (
    CORE_MIN_EXTRA,
    AdaptiveSchedule,
    DurationModel,
    FixedSchedule,
    PollContext,
    ScheduleBook,
)
from harness.runner.plan.config import PollingMode


def _simulate(schedule: AdaptiveSchedule, duration: float, chars: int = 60) -> tuple[int, float]:
    """Polls spent and detection delay for a job that finishes after `duration` seconds."""
    elapsed, polls, last_pending = 0.0, 0, None
    while True:
        delay, _ = schedule.next_delay(
            PollContext(elapsed=elapsed, polls=polls, last_pending=last_pending, chars=chars)
        )
        elapsed += delay
        polls += 1
        if elapsed >= duration:
            return polls, elapsed - duration
        last_pending = elapsed


def test_fixed_schedule() -> None:
    assert FixedSchedule(5.0).next_delay(PollContext(elapsed=3.0, polls=2, last_pending=2.0, chars=10)) == (
        5.0,
        "fixed",
    )
    assert FixedSchedule(5.0).label == "fixed:5"


def test_duration_model_learns_length_dependence() -> None:
    model = DurationModel()
    for chars in (20, 40, 80, 160, 320) * 4:
        model.observe(chars, 1.0 + chars * 0.05)
    assert abs(model.quantile(100, 0.5) - 6.0) < 1.5
    assert model.quantile(300, 0.5) > model.quantile(30, 0.5)


def test_few_jobs_of_one_length_do_not_make_the_model_sure() -> None:
    """Three jobs of nearly one length: the slope is not extrapolated wildly, and the 2% quantile lies well
    below the fastest of them (a quarter of all jobs end before the fastest of three)."""
    model = DurationModel()
    for chars, seconds in ((64, 10.6), (66, 11.0), (65, 14.1)):
        model.observe(chars, seconds)
    assert 0.5 < model.quantile(52, 0.5) / model.quantile(73, 0.5) < 1.0
    assert model.quantile(60, 0.02) < 0.6 * 10.6
    many = DurationModel()
    rng = random.Random(5)
    for _ in range(200):
        many.observe(60, 10.0 * rng.lognormvariate(0.0, 0.1))
    assert 7.0 < many.quantile(60, 0.02) < 10.0  # with evidence, the data's own (narrow) spread wins


def test_adaptive_stays_in_budget_and_accurate_once_warm() -> None:
    rng = random.Random(3)
    schedule = AdaptiveSchedule()
    results = []
    for _ in range(60):
        duration = 10.0 * rng.lognormvariate(0.0, 0.25)
        results.append(_simulate(schedule, duration))
        schedule.observe(60, duration)
    warm = results[10:]
    mean_polls = sum(p for p, _ in warm) / len(warm)
    mean_delay = sum(d for _, d in warm) / len(warm)
    assert mean_polls <= schedule.budget
    assert mean_delay < 1.0  # a 5 s poller's mean delay is 2.5 s


def test_polls_split_the_servers_whole_seconds() -> None:
    """Against whole-second stamps with a known clock, every poll in the mass lands at a third or the
    middle of a server second, so the stamp's second is always split."""
    schedule = AdaptiveSchedule()
    for _ in range(20):
        schedule.observe(60, 10.0)
    origin, elapsed, polls, reasons = 0.137, 0.0, 0, []
    while elapsed < 14.0:
        delay, reason = schedule.next_delay(
            PollContext(
                elapsed=elapsed,
                polls=polls,
                last_pending=elapsed or None,
                chars=60,
                second_origin=origin,
                stamp_resolution=1.0,
            )
        )
        elapsed += delay
        polls += 1
        reasons.append(reason)
        if reason == "mass":
            phase = (elapsed - origin) % 1.0
            assert min(abs(phase - p) for p in (1 / 3, 0.5, 2 / 3)) < 1e-6, phase
    assert "mass" in reasons and polls <= schedule.budget + 3


def _whole_second_job(
    schedule: AdaptiveSchedule, duration: float, origin: float, chars: int = 60
) -> tuple[int, float, str]:
    """Polls spent, |estimate − truth| and the reasons, for a job the server stamps at whole seconds: the
    window is the poll bracket cut by the stamped second (which begins at `origin` mod 1 on our clock)."""
    elapsed, polls, last_pending, reasons = 0.0, 0, None, ""
    while True:
        delay, reason = schedule.next_delay(
            PollContext(
                elapsed=elapsed,
                polls=polls,
                last_pending=last_pending,
                chars=chars,
                second_origin=origin,
                stamp_resolution=1.0,
            )
        )
        elapsed, polls, reasons = elapsed + delay, polls + 1, reasons + reason[0]
        if elapsed >= duration:
            second = origin + math.floor(duration - origin)
            low, high = max(last_pending or 0.0, second), min(elapsed, second + 1.0)
            return polls, abs((low + high) / 2 - duration), reasons
        last_pending = elapsed


def test_against_whole_second_stamps_a_slow_model_is_measured_within_a_quarter_second() -> None:
    """The design goal, simulated: jobs like the sandbox's Chatterbox (10 s median, log-normal spread 0.35)
    stamped at whole seconds; once the model is learned, the p95 error stays well under 250 ms (one poll a
    second sits at 240 ms) while a job costs at most the plan and the core's minimum of thirds on average,
    because the second polls of each second go where jobs end."""
    rng = random.Random(11)
    schedule = AdaptiveSchedule()
    results = []
    for _ in range(120):
        duration = 10.0 * rng.lognormvariate(0.0, 0.35)
        polls, error, _ = _whole_second_job(schedule, duration, origin=rng.random())
        schedule.observe(60, duration, polls)
        results.append((polls, error))
    warm = results[schedule.warm :]
    errors = sorted(e for _, e in warm)
    assert errors[int(0.95 * len(errors))] <= 0.23
    assert sum(p for p, _ in warm) / len(warm) <= schedule.plan + CORE_MIN_EXTRA
    # Thirds were used (a schedule at one poll a second would sit at 0.25 s exactly).
    assert sum(e <= 1 / 6 + 1e-9 for e in errors) > len(errors) / 4


def test_the_core_follows_what_finished_jobs_really_spent() -> None:
    """The model's expected poll count is only a model: a run whose jobs spent more polls than the plan
    gets a narrower core of thirds, one that spent fewer a wider one, down to the core's minimum."""

    def core_width(spent: int, plan: float = 14.0) -> float:
        schedule = AdaptiveSchedule(plan=plan)
        rng = random.Random(2)
        for _ in range(30):
            schedule.observe(60, 10.0 * rng.lognormvariate(0.0, 0.35), spent)
        low, high = schedule.total.quantile(60, 0.02), schedule.total.quantile(60, 0.98)
        core = schedule._core(60, low, high)
        return 0.0 if core is None else core[1] - core[0]

    assert core_width(17) < core_width(13) < core_width(10)
    # However much the jobs overspent, the core keeps CORE_MIN_EXTRA polls of thirds: not narrower than that.
    assert core_width(30, plan=9.0) == core_width(20, plan=9.0) > 0.0


def test_a_wrong_model_cannot_stall_a_job() -> None:
    schedule = AdaptiveSchedule()
    for _ in range(10):
        schedule.observe(60, 1.0)  # the model believes jobs take 1 s
    polls, delay = _simulate(schedule, 40.0)  # this one takes 40 s
    # Past the budget the gaps grow with the time waited: a few polls per doubling of the wait, not hundreds.
    assert delay <= 0.5 * 40.0 and polls <= schedule.budget + 8


def test_schedule_book_keeps_one_schedule_per_model() -> None:
    book = ScheduleBook(PollingMode.ADAPTIVE)
    assert book.get("p/a") is book.get("p/a") and book.get("p/a") is not book.get("p/b")
    assert isinstance(ScheduleBook(PollingMode.FIXED, 2.0).get("p/a"), FixedSchedule)


def test_a_queued_job_is_polled_once_a_second_outside_its_budget() -> None:
    """A job the provider shows queued cannot finish before it starts: its polls only look for the start,
    a second or more apart and phased like the rest, and a long queue spends none of the job's budget."""
    schedule = AdaptiveSchedule()
    for _ in range(5):
        schedule.observe(60, 10.0)
    origin, elapsed, gaps = 0.37, 0.0, []
    while elapsed < 30.0:
        delay, reason = schedule.next_delay(
            PollContext(
                elapsed=elapsed,
                polls=0,
                last_pending=elapsed or None,
                chars=60,
                second_origin=origin,
                stamp_resolution=1.0,
                queued=True,
            )
        )
        assert reason == "queued"
        elapsed += delay
        gaps.append(delay)
        assert abs((elapsed - origin) % 1.0 - 0.5) < 1e-6  # mid-second, as the sparse cadence is
    assert min(gaps[1:]) >= 0.75 and len(gaps) <= 15  # a second apart, then a quarter of the wait
    # A model whose jobs take a second once started: a long queue is still polled every second (it may
    # start and finish between two sparser polls).
    fast = AdaptiveSchedule()
    for _ in range(5):
        fast.observe(60, 1.0)
    assert fast.next_delay(PollContext(elapsed=30.0, polls=0, last_pending=30.0, chars=60, queued=True)) == (
        1.0,
        "queued",
    )
    # Out of the queue after 30 s and 30 polls: the job still has its whole budget for the mass.
    _, reason = schedule.next_delay(
        PollContext(elapsed=30.0, polls=1, last_pending=30.0, chars=60, second_origin=origin, stamp_resolution=1.0)
    )
    assert reason != "queued"


@pytest.mark.parametrize("learned", [True, False])
def test_while_the_convention_is_open_polls_go_to_the_two_deciding_points(learned: bool) -> None:
    """Truncating seconds begin at `origin`, rounding ones half a second later: every poll in the mass (or,
    before anything is learned, while exploring) goes just after the rounding second begins or just before
    the truncating one does (its answer back in time), one point after the other."""
    schedule = AdaptiveSchedule()
    for _ in range(5 if learned else 0):
        schedule.observe(60, 10.0)
    origin, elapsed, polls, phases = 0.2, 0.0, 0, []
    while elapsed < 14.0:
        delay, reason = schedule.next_delay(
            PollContext(
                elapsed=elapsed,
                polls=polls,
                last_pending=elapsed or None,
                chars=60,
                second_origin=origin,
                stamp_resolution=1.0,
                round_origin=origin + 0.5,
                origin_doubt=0.004,
                round_trip=0.06,
            )
        )
        elapsed, polls = elapsed + delay, polls + 1
        if reason in ("mass", "explore") and polls > 1:
            phases.append(round((elapsed - origin) % 1.0, 3))
    # A slow answer (60 ms) moves the second point earlier, closer to the first than half a second; neither
    # is ever skipped.
    assert set(phases) == {0.524, 0.886} and len(phases) >= 8
    assert all(a != b for a, b in itertools.pairwise(phases))


def test_after_a_long_queue_the_mass_is_placed_from_the_start() -> None:
    """Under load a job waits in the queue longer than any job took at a lower level: where the provider
    shows its queue the model holds the time after it, so a job that started at 20 s is polled in its mass
    from there, at the fine cadence, not sent to the tail as if it were late."""
    schedule = AdaptiveSchedule()
    for _ in range(10):
        schedule.observe(60, 12.0, 9, processing_s=10.0)  # each waited 2 s queued
    delay, reason = schedule.next_delay(PollContext(elapsed=21.0, polls=1, last_pending=21.0, chars=60, started=20.0))
    assert reason == "approach" and 20.0 + 4.0 < 21.0 + delay < 20.0 + 10.0  # the mass's start, from 20 s
    delay, reason = schedule.next_delay(PollContext(elapsed=30.0, polls=3, last_pending=30.0, chars=60, started=20.0))
    assert reason == "mass" and delay <= 0.8
    # Without the start (a provider that shows no queue) the same moment is past the mass of 10 s jobs.
    assert schedule.next_delay(PollContext(elapsed=30.0, polls=3, last_pending=30.0, chars=60))[1] == "tail"


def test_an_unphased_approach_is_chosen_in_a_few_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a known second origin there are no phase points to step through: the approach goes straight
    to its target (stepping a microsecond at a time, it once spent 35 ms of the event loop per poll)."""
    schedule = AdaptiveSchedule()
    for _ in range(10):
        schedule.observe(60, 10.0)
    calls = 0
    phased = AdaptiveSchedule._phased

    def counted(self: AdaptiveSchedule, at: float, ctx: PollContext, cadence: float) -> float:
        nonlocal calls
        calls += 1
        return phased(self, at, ctx, cadence)

    monkeypatch.setattr(AdaptiveSchedule, "_phased", counted)
    delay, reason = schedule.next_delay(PollContext(elapsed=0.2, polls=1, last_pending=0.2, chars=60))
    assert reason == "approach" and delay > 1.0
    assert calls <= 4


def test_max_polls_bounds_what_a_long_job_spends_and_costs_detection_delay() -> None:
    """`--max-polls N`: a job the schedule explores spends about N polls at its cadence, then waits a growing
    fraction of the time already waited — fewer polls, a later detection (a wider interval)."""
    default = ScheduleBook(PollingMode.ADAPTIVE).get("m")
    capped = ScheduleBook(PollingMode.ADAPTIVE, max_polls=6).get("m")
    assert isinstance(capped, AdaptiveSchedule) and capped.budget == 6 and capped.plan <= 6
    assert isinstance(default, AdaptiveSchedule) and default.budget == 30
    spent_default, late_default = _simulate(default, 10.0)  # a job of the first wave, still explored
    spent_capped, late_capped = _simulate(capped, 10.0)
    assert spent_capped < spent_default and late_capped > late_default
    assert ScheduleBook(PollingMode.FIXED, 2.0, max_polls=6).get("m").next_delay(
        PollContext(elapsed=3.0, polls=9, last_pending=2.0, chars=10)
    ) == (2.0, "fixed")  # a fixed cadence is the user's own choice
