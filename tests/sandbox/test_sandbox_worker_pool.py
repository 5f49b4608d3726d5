"""The realistic profile's worker pool: past a model's workers, jobs wait in QUEUED for a free one, and the
documented status shows it (QUEUED, then PROCESSING) — so latency climbs with the load, as on a real
service, and a load sweep has a knee to find."""

from __future__ import annotations

import httpx
import pytest

from harness.sandbox import running
from harness.sandbox.profiles import REALISTIC_WORKERS, ProfileSettings
from harness.sandbox.timeline import WorkerPool
from tests.helpers.sandbox_http import send


def test_a_pool_serves_first_come_first_served() -> None:
    pool = WorkerPool(2)
    assert [pool.start(0.0, 10.0), pool.start(0.0, 4.0)] == [0.0, 0.0]  # two workers: both start at once
    assert pool.start(1.0, 5.0) == 4.0  # the third waits for the first worker to be free
    assert pool.start(20.0, 1.0) == 20.0  # an idle pool does not delay a job
    with pytest.raises(ValueError):
        WorkerPool(0)


def test_realistic_profiles_have_a_pool_and_fast_has_none() -> None:
    assert ProfileSettings.of("realistic").workers == ProfileSettings.of("chaos").workers == REALISTIC_WORKERS
    assert ProfileSettings.of("fast").workers is None


def test_jobs_beyond_the_workers_stay_queued_until_one_is_free() -> None:
    in_flight = REALISTIC_WORKERS * 2
    with running("realistic", 3, clock="manual") as sb, httpx.Client(timeout=30.0, trust_env=False) as client:
        ids = []
        for index in range(in_flight):  # submitted at the same reading
            answer = send(
                sb,
                client,
                "pixazo",
                "chatterbox.generate",
                {"text": f"Queued job number {index}."},
                key=sb.default_key("pixazo"),
            )
            assert answer.status_code == 202, answer.text
            ids.append(answer.json()["request_id"])
        plans = [sb.job(request_id)["planned"] for request_id in ids]
        first_wave = plans[:REALISTIC_WORKERS]
        # Each of the second wave starts no earlier than a worker of the first wave finishes.
        ends = sorted(plan["finished"] for plan in first_wave)
        for plan, free in zip(plans[REALISTIC_WORKERS:], ends, strict=True):
            assert plan["started"] >= free - 1e-9
        # And the documented status says so: QUEUED while the first wave is processing.
        sb.advance(max(plan["started"] for plan in first_wave) - sb.job(ids[0])["now"] + 0.01)
        states = [
            send(
                sb, client, "pixazo", "requests.status", {}, key=sb.default_key("pixazo"), request_id=request_id
            ).json()["status"]
            for request_id in ids
        ]
    assert states[:REALISTIC_WORKERS] == ["PROCESSING"] * REALISTIC_WORKERS
    assert states[REALISTIC_WORKERS:] == ["QUEUED"] * REALISTIC_WORKERS
