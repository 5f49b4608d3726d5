"""The sandbox's small parts on their own: clocks, timelines, fault names, URLs, wallets, voices."""

from __future__ import annotations

import asyncio
import io
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest
import soundfile
from hypothesis import given
from hypothesis import strategies as st

from harness.core.spec import Cost
from harness.providers.pixazo import PROVIDER
from harness.providers.pixazo.models import LIFECYCLE
from harness.sandbox import Fault, ManualClock, Phase, Profile, RealClock, StateNames, Timing
from harness.sandbox.accounts import Accounts
from harness.sandbox.faults import ENDINGS, UnknownFault, draw_faults, parse_faults, status_faults
from harness.sandbox.profiles import CHAOS_RATES, ProfileSettings
from harness.sandbox.timeline import NEVER, Outcome, Timeline, phase_at, terminal_at, transitions
from harness.sandbox.urls import Urls, fill
from harness.sandbox.voices import ReferenceVoices
from harness.speech import Engine, Rendition, unavailable_reason

# --- clocks ----------------------------------------------------------------------------------------


def test_manual_clock_moves_only_forward() -> None:
    start = datetime(2026, 5, 22, 13, 17, 32, 110000, tzinfo=UTC)
    clock = ManualClock(start)
    assert clock.now() == 0.0 and clock.wall() == start
    clock.advance(1.5)
    assert clock.wall() == start + timedelta(seconds=1.5)
    with pytest.raises(ValueError, match="only moves forward"):
        clock.advance(-1)
    with pytest.raises(ValueError, match="only moves forward"):
        clock.set(1.0)


async def test_manual_clock_wakes_sleepers_when_time_passes() -> None:
    clock = ManualClock()
    woken: list[float] = []

    async def sleeper(until: float) -> None:
        await clock.sleep_until(until)
        woken.append(until)

    tasks = [asyncio.create_task(sleeper(t)) for t in (2.0, 1.0, 5.0)]
    await asyncio.sleep(0)
    clock.advance(2.0)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert sorted(woken) == [1.0, 2.0]
    clock.set(5.0)
    await asyncio.gather(*tasks)
    assert sorted(woken) == [1.0, 2.0, 5.0]


def test_real_clock_wall_follows_readings() -> None:
    clock = RealClock()
    now = clock.now()
    assert clock.wall(now + 2.0) - clock.wall(now) == timedelta(seconds=2.0)
    assert abs((clock.wall() - datetime.now(UTC)).total_seconds()) < 1.0


# --- timelines ---------------------------------------------------------------------------------------


def test_completed_waits_for_the_audio() -> None:
    timeline = Timeline.draw(10.0, 1.0, 2.0)
    assert phase_at(timeline, Outcome(), 100.0) is Phase.PROCESSING  # audio not ready: never COMPLETED
    ready = Outcome(ready_at=20.0)
    assert phase_at(timeline, ready, 19.9) is Phase.PROCESSING
    assert phase_at(timeline, ready, 20.0) is Phase.COMPLETED
    early = Outcome(ready_at=11.0)  # audio before the drawn end: the drawn end holds
    assert terminal_at(timeline, early) == 13.0


def test_failure_learnt_in_production_ends_the_job() -> None:
    timeline = Timeline.draw(0.0, 1.0, 5.0)
    outcome = Outcome(failed_at=0.5, failure=Phase.FAILED, message="bad reference")
    assert phase_at(timeline, outcome, 0.9) is Phase.QUEUED
    assert phase_at(timeline, outcome, 1.0) is Phase.FAILED


def test_never_finishing_job() -> None:
    timeline = Timeline.draw(0.0, 1.0, 5.0, never_finish=True)
    assert timeline.finished == NEVER
    assert phase_at(timeline, Outcome(ready_at=0.1), 1e9) is Phase.PROCESSING


@given(
    queue=st.floats(1e-4, 100.0),
    processing=st.floats(1e-4, 100.0),
    ready=st.floats(0.0, 300.0),
    outcome=st.sampled_from([Phase.COMPLETED, Phase.FAILED, Phase.ERROR]),
    readings=st.lists(st.floats(0.0, 400.0), min_size=1, max_size=30),
)
def test_states_never_go_backwards_without_the_fault(
    queue: float, processing: float, ready: float, outcome: Phase, readings: list[float]
) -> None:
    timeline = Timeline.draw(0.0, queue, processing, outcome)
    produced = Outcome(ready_at=ready)
    names = StateNames("QUEUED", "PROCESSING", "COMPLETED", "FAILED", "ERROR")
    observed = [
        {
            "request_id": "r",
            "status": names.word(phase_at(timeline, produced, t)),
            "error": "stopped",
            "output": {"media_url": ["u"], "media_type": "audio/wav"},
        }
        for t in sorted(readings)
    ]
    assert not LIFECYCLE.check_sequence(observed)
    changes = transitions(timeline, produced, 400.0)
    assert [at for _, at in changes] == sorted(at for _, at in changes)


@given(st.floats(1e-3, 50.0), st.floats(1e-3, 50.0))
def test_backwards_fault_shows_queued_again(queue: float, processing: float) -> None:
    timeline = Timeline.draw(0.0, queue, processing, backwards=True)
    assert timeline.regress is not None
    start, end = timeline.regress
    produced = Outcome(ready_at=0.0)
    assert phase_at(timeline, produced, (start + end) / 2) is Phase.QUEUED
    assert [p for p, _ in transitions(timeline, produced, 1e6)] == [
        Phase.QUEUED,
        Phase.PROCESSING,
        Phase.QUEUED,
        Phase.PROCESSING,
        Phase.COMPLETED,
    ]


def test_timing_scales_with_profile_and_text() -> None:
    timing = Timing(2.0, 4.0, 0.03, spread=0.0)
    assert timing.draw(100, random.Random(1), 1.0) == pytest.approx((2.0, 7.0))
    assert timing.draw(100, random.Random(1), ProfileSettings.of(Profile.FAST).time_scale) == pytest.approx(
        (0.002, 0.007)
    )


# --- faults --------------------------------------------------------------------------------------------


def test_fault_header_parsing() -> None:
    assert parse_faults(" http-500 , Never-Finish ") == {Fault.HTTP_500, Fault.NEVER_FINISH}
    assert parse_faults(None) == frozenset()
    with pytest.raises(UnknownFault, match="valid faults: http-500"):
        parse_faults("http-500,teapot")
    assert parse_faults("http-404") == frozenset()
    assert status_faults("http-404, never-finish, http-503") == (404, 503)
    with pytest.raises(UnknownFault):
        parse_faults("http-200")


def test_chaos_draws_are_seeded_and_end_one_way() -> None:
    draws = [draw_faults(CHAOS_RATES, random.Random(9), Fault) for _ in range(2)]
    assert draws[0] == draws[1]
    always = {fault: 1.0 for fault in Fault}
    drawn = draw_faults(always, random.Random(0), Fault)
    assert len(drawn & set(ENDINGS)) == 1


# --- URLs, wallets, voices -----------------------------------------------------------------------------


def test_urls_point_back_at_the_sandbox() -> None:
    urls = Urls("http://127.0.0.1:9", PROVIDER, "/v1/{job_id}/output.{ext}")
    assert (
        urls.endpoint("requests.status", request_id="a/b")
        == "http://127.0.0.1:9/pixazo/gateway/v2/requests/status/a%2Fb"
    )
    assert urls.media(job_id="j", ext="wav") == "http://127.0.0.1:9/pixazo/cdn/v1/j/output.wav"
    assert fill("/v1/speech/results/", {"uuid": "u"}) == ("/v1/speech/results/", {"uuid": "u"})
    with pytest.raises(KeyError, match="needs parameter 'request_id'"):
        urls.endpoint("requests.status")


def test_wallet_charges_and_refunds_on_the_clock() -> None:
    accounts = Accounts()
    accounts.add("p", "k", tier="t", balance=Decimal("0.03"))
    price = Cost(Decimal("0.015"))
    assert accounts.charge("p", "k", price, 0.0) and accounts.charge("p", "k", price, 0.0)
    assert not accounts.charge("p", "k", price, 0.0)
    accounts.refund("p", "k", price, at=5.0)
    assert accounts.available("p", "k", 4.9) == 0
    assert accounts.available("p", "k", 5.0) == Decimal("0.015")
    accounts.add("p", "rich", tier="t", balance=None)
    assert accounts.charge("p", "rich", Cost(Decimal(10**6)), 0.0)


def test_known_references_select_their_voice() -> None:
    voices = ReferenceVoices()
    base = Rendition(Engine.PIPER, 0.9, 24000)
    espeak = voices.clone(base, (voices.directory / "espeak_reference.wav").read_bytes())
    if unavailable_reason(Engine.ESPEAK) is None:
        assert (espeak.engine, espeak.voice, espeak.length_scale, espeak.sample_rate) == (
            Engine.ESPEAK,
            "en-us+f3",
            0.9,
            24000,
        )
    else:  # without espeak-ng the espeak reference still clones to a voice of its own
        assert (espeak.engine, espeak.length_scale, espeak.sample_rate) == (Engine.PIPER_DEGRADED, 0.9, 24000)
    joe = voices.clone(base, (voices.directory / "joe_reference.wav").read_bytes())
    assert joe == base
    assert voices.path("../manifest.json") is None and voices.path("joe_reference.wav") is not None


def test_unknown_references_shift_the_pitch_deterministically() -> None:
    voices = ReferenceVoices()

    def clip(freq: float) -> bytes:
        buffer = io.BytesIO()
        t = np.arange(16000 * 6) / 16000
        soundfile.write(buffer, 0.3 * np.sin(2 * np.pi * freq * t), 16000, format="WAV")
        return buffer.getvalue()

    base = Rendition(Engine.PIPER, 1.0, 24000)
    shifts = {voices.clone(base, clip(f)).pitch_shift for f in (180.0, 190.0, 200.0, 210.0, 220.0)}
    assert all(-4.0 <= s <= 4.0 for s in shifts) and len(shifts) > 1
    assert voices.clone(base, clip(180.0)) == voices.clone(base, clip(180.0))
