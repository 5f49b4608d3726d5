"""The schedules: fixed ones are fixed; the adaptive one explores, then polls densely where jobs end."""

from __future__ import annotations

import random

from harness.bench.config import PollingMode
from harness.bench.polling import AdaptiveSchedule, DurationModel, FixedSchedule, PollContext, ScheduleBook


def _simulate(schedule: AdaptiveSchedule, duration: float, chars: int = 60) -> tuple[int, float]:
    """Polls spent and detection delay for a job that finishes after `duration` seconds."""
    elapsed, polls, last_pending = 0.0, 0, None
    while True:
        delay, _ = schedule.next_delay(PollContext(elapsed, polls, last_pending, chars))
        elapsed += delay
        polls += 1
        if elapsed >= duration:
            return polls, elapsed - duration
        last_pending = elapsed


def test_fixed_schedule() -> None:
    assert FixedSchedule(5.0).next_delay(PollContext(3.0, 2, 2.0, 10)) == (5.0, "fixed")
    assert FixedSchedule(5.0).label == "fixed:5"


def test_duration_model_learns_length_dependence() -> None:
    model = DurationModel()
    for chars in (20, 40, 80, 160, 320) * 4:
        model.observe(chars, 1.0 + chars * 0.05)
    assert abs(model.quantile(100, 0.5) - 6.0) < 1.5
    assert model.quantile(300, 0.5) > model.quantile(30, 0.5)
    assert model.conditional_quantile(100, 1000.0, 0.5) is None  # far past anything seen: the tail


def test_adaptive_stays_in_budget_and_accurate_once_warm() -> None:
    rng = random.Random(3)
    schedule = AdaptiveSchedule()
    results = []
    for _ in range(60):
        duration = 10.0 * rng.lognormvariate(0.0, 0.25)
        results.append(_simulate(schedule, duration))
        schedule.observe(60, duration, None)
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
        schedule.observe(60, 10.0, None)
    origin, elapsed, polls, reasons = 0.137, 0.0, 0, []
    while elapsed < 14.0:
        delay, reason = schedule.next_delay(PollContext(elapsed, polls, elapsed or None, 60, second_origin=origin,
                                                        stamp_resolution=1.0))
        elapsed += delay
        polls += 1
        reasons.append(reason)
        if reason == "mass":
            phase = (elapsed - origin) % 1.0
            assert min(abs(phase - p) for p in (1 / 3, 0.5, 2 / 3)) < 1e-6, phase
    assert "mass" in reasons and polls <= schedule.budget + 3


def test_a_wrong_model_cannot_stall_a_job() -> None:
    schedule = AdaptiveSchedule()
    for _ in range(10):
        schedule.observe(60, 1.0, None)  # the model believes jobs take 1 s
    polls, delay = _simulate(schedule, 40.0)  # this one takes 40 s
    assert delay <= 0.5 * 40.0 and polls <= 20


def test_schedule_book_keeps_one_schedule_per_model() -> None:
    book = ScheduleBook(PollingMode.ADAPTIVE)
    assert book.get("p/a") is book.get("p/a") and book.get("p/a") is not book.get("p/b")
    assert isinstance(ScheduleBook(PollingMode.FIXED, 2.0).get("p/a"), FixedSchedule)
