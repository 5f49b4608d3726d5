"""The saturation rule and the client's health figures (`harness.core.client_health`), on windows written here."""

from __future__ import annotations

import json

import pytest

from harness.core.client_health import (
    RULE,
    HealthWindow,
    RunHealth,
    Saturation,
    lay_ticks,
    lay_waits,
    reasons,
    saturated,
    saturated_share,
)


def _windows(count: int) -> list[HealthWindow]:
    return [HealthWindow(start_s=float(i), end_s=float(i + 1)) for i in range(count)]


def test_a_stall_is_laid_over_every_window_it_covered() -> None:
    """A loop blocked for 2.5 s ran its next tick in the fourth window: the three it blocked are stalled, not the
    fourth alone; the tick itself counts in the window it ran in."""
    windows = _windows(4)
    lay_ticks(windows, [(100.2, 0.001), (103.3, 2.5)], origin=100.0)
    assert [round(w.stalled, 2) for w in windows] == [0.2, 1.0, 1.0, 0.3]
    assert windows[3].lag_p50_ms == pytest.approx(2500.0) and windows[0].lag_p50_ms == pytest.approx(1.0)
    assert windows[1].lag_p50_ms is None and windows[1].lag_max_ms == pytest.approx(2500.0)
    assert [saturated(w) for w in windows] == [True, True, True, True]  # 20% and 30% of a window are at the rule


def test_small_lags_do_not_saturate_and_the_sandbox_loop_counts_apart() -> None:
    windows = _windows(2)
    lay_ticks(windows, [(0.05 * k, 0.002) for k in range(1, 40)], origin=0.0)  # 2 ms late, 20 times a second
    assert all(w.stalled == pytest.approx(0.04, abs=0.005) for w in windows)
    assert not any(saturated(w) for w in windows)
    lay_ticks(windows, [(1.9, 0.5)], origin=0.0, sandbox=True)
    assert windows[1].sandbox_stalled == pytest.approx(0.5) and windows[0].sandbox_stalled is None
    assert saturated(windows[1]) and reasons(windows[1]) == ("the sandbox's loop ran late 50% of the time",)


def test_a_render_wait_saturates_the_windows_past_the_rule() -> None:
    """A render asked for at 0.5 s that waited 4 s: the windows from the one where it had waited 2 s are saturated."""
    windows = _windows(5)
    lay_waits(windows, [(10.5, 4.0)], origin=10.0)
    assert [w.render_wait_max_ms for w in windows] == pytest.approx([500.0, 1500.0, 2500.0, 3500.0, 4000.0])
    assert [saturated(w) for w in windows] == [False, False, True, True, True]


def test_a_jobs_share_is_its_time_in_saturated_windows() -> None:
    windows = _windows(4)
    windows[1].stalled = windows[2].stalled = 1.0
    assert saturated_share(windows, 0.5, 2.5) == pytest.approx(0.75)
    assert saturated_share(windows, 3.0, 3.5) == 0.0
    assert saturated_share(windows, 9.0, 10.0) is None  # not watched
    assert saturated_share(windows, 1.5, 1.5) == 1.0  # an instant: its window decides


def test_a_run_is_named_from_its_share_and_the_line_says_what_the_client_met() -> None:
    windows = _windows(10)
    for window in windows[:6]:
        window.stalled, window.lag_max_ms, window.machine_busy = 0.5, 900.0, 1.0
    health = RunHealth(windows=tuple(windows), lag_p50_ms=340.0, lag_p95_ms=880.0)
    assert health.share == pytest.approx(0.6) and health.named
    line = Saturation(
        share=health.share,
        lag_p50_ms=health.lag_p50_ms,
        jobs=20,
        marked_jobs=12,
        failed=3,
        marked_failed=2,
        worst=health.worst(),
    ).line()
    assert line is not None
    assert line.startswith("client saturated for 60% of the run (event-loop lag p50 340 ms, up to 0.9 s")
    assert "latency here is not the providers'" in line and "12 of 20 jobs" in line
    assert "2 of the 3 failures among them" in line
    quiet = RunHealth(windows=tuple(_windows(10)), lag_p50_ms=0.4)
    assert (
        not quiet.named
        and Saturation(share=quiet.share, lag_p50_ms=0.4, jobs=20, marked_jobs=0, failed=0, marked_failed=0).line()
        is None
    )
    assert (
        Saturation(share=None, lag_p50_ms=None, jobs=20, marked_jobs=0, failed=0, marked_failed=0).line() is None
    )  # not watched: nothing said


def test_health_round_trips_through_json_and_a_resume_follows_on() -> None:
    windows = _windows(3)
    windows[0].stalled, windows[0].renders_waiting = 0.6, 4
    health = RunHealth(windows=tuple(windows), lag_p50_ms=12.0, lag_p95_ms=40.0)
    back = RunHealth.from_json(json.loads(json.dumps(health.to_json())))
    assert back.windows == health.windows and back.rule == RULE and back.lag_p50_ms == 12.0
    later = RunHealth(windows=tuple(_windows(2)), lag_p50_ms=1.0, lag_p95_ms=2.0).after(back)
    assert [w.start_s for w in later.windows] == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert later.share == pytest.approx(0.2) and later.lag_p50_ms == 1.0


def test_jobs_held_for_the_sandboxs_renders_are_said_apart() -> None:
    health = RunHealth(windows=tuple(_windows(2)), lag_p50_ms=1.0, lag_p95_ms=2.0, held_jobs=40, held_s=12.5)
    back = RunHealth.from_json(json.loads(json.dumps(health.to_json())))
    assert (back.held_jobs, back.held_s) == (40, 12.5)
    said = Saturation(
        share=back.share, lag_p50_ms=1.0, jobs=260, marked_jobs=0, failed=0, marked_failed=0, held_jobs=40, held_s=12.5
    )
    assert said.line() is None  # held, not saturated: nothing named
    assert said.held() == (
        "40 jobs waited 12.5 s in all before they started, while the embedded sandbox's renders "
        "piled up (its own work: not in their latency)."
    )
