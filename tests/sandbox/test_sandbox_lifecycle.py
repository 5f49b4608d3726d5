"""Job lifecycles on the manual clock: states follow the drawn timeline, COMPLETED waits for the audio,
server timestamps equal the true state-change times, and the job store stays bounded."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from harness.core.timestamps import TimestampForm, parse_timestamp, timestamp_form
from harness.sandbox import Sandbox, running
from tests.helpers.sandbox_http import assert_valid, send, settle

CHATTERBOX = "chatterbox.generate"


def _submit(
    sb: Sandbox, client: httpx.Client, text: str, headers: dict[str, str] | None = None, key: str | None = None
) -> dict[str, Any]:
    response = send(
        sb, client, "pixazo", CHATTERBOX, {"text": text}, key=key or sb.default_key("pixazo"), headers=headers
    )
    assert response.status_code == 202, response.text
    return dict(response.json())


def _status(sb: Sandbox, client: httpx.Client, request_id: str) -> dict[str, Any]:
    response = send(sb, client, "pixazo", "requests.status", {}, key=sb.default_key("pixazo"), request_id=request_id)
    assert_valid("pixazo", "requests.status", response)
    return dict(response.json())


def test_states_follow_the_timeline(sandbox: Sandbox, client: httpx.Client) -> None:
    job = _submit(sandbox, client, "Lifecycle check one.")
    sandbox.wait_produced(job["request_id"])
    truth = sandbox.job(job["request_id"])
    assert [t["state"] for t in truth["transitions"]] == ["QUEUED"]
    assert _status(sandbox, client, job["request_id"])["status"] == "QUEUED"
    sandbox.advance(truth["planned"]["started"] - truth["now"])
    processing = _status(sandbox, client, job["request_id"])
    assert processing["status"] == "PROCESSING"
    assert processing["output"] is None and processing["completed_at"] is None
    sandbox.advance(truth["planned"]["finished"] - truth["planned"]["started"])
    done = _status(sandbox, client, job["request_id"])
    assert done["status"] == "COMPLETED"
    truth = sandbox.job(job["request_id"])
    assert [t["state"] for t in truth["transitions"]] == ["QUEUED", "PROCESSING", "COMPLETED"]
    # Server timestamps are the true state-change times as the documents print them: created_at to the
    # millisecond, updated_at/completed_at truncated to whole seconds in one of the two documented forms.
    walls = {t["state"]: parse_timestamp(t["wall"]) for t in truth["transitions"]}
    assert done["created_at"] == truth["transitions"][0]["wall"]
    assert timestamp_form(done["created_at"]) is TimestampForm.ISO8601
    assert done["completed_at"] == done["updated_at"]
    assert _whole_second(done["completed_at"]) == walls["COMPLETED"].replace(microsecond=0)  # type: ignore[union-attr]
    assert parse_timestamp(done["created_at"]) < walls["COMPLETED"]  # type: ignore[operator]


def test_precise_stamps_and_clock_skew_are_chosen(client: httpx.Client) -> None:
    with running("fast", 0, clock="manual", precise_stamps=True, clock_skew_s=-5.0) as sb:
        job = _submit(sb, client, "Skewed and precise.")
        sb.wait_produced(job["request_id"])
        sb.advance(60.0)
        done = _status(sb, client, job["request_id"])
        truth = sb.job(job["request_id"])
    finished = parse_timestamp(truth["transitions"][-1]["wall"])
    shown = parse_timestamp(done["completed_at"])
    assert finished is not None and shown is not None
    assert (shown - finished).total_seconds() == pytest.approx(-5.0, abs=1e-3)  # the server's clock, not the truth


def _whole_second(value: str) -> datetime:
    """A whole-second stamp in either documented form: `…:SS.000Z` or `YYYY-MM-DD HH:MM:SS`."""
    assert timestamp_form(value) in (TimestampForm.ISO8601, TimestampForm.SPACE_NAIVE), value
    assert value.endswith(".000Z") or timestamp_form(value) is TimestampForm.SPACE_NAIVE, value
    parsed = parse_timestamp(value)
    assert parsed is not None
    return parsed


def test_completed_never_precedes_the_audio(
    sandbox: Sandbox, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = threading.Event()
    producer = sandbox.state.producer
    render = producer._render

    def held(recipe: Any, *queue: Any) -> bytes:
        gate.wait(30)
        return render(recipe, *queue)

    monkeypatch.setattr(producer, "_render", held)
    job = _submit(sandbox, client, f"Audio that is not ready yet {uuid.uuid4().hex[:6]}.")
    sandbox.advance(60.0)  # far past the drawn end
    assert _status(sandbox, client, job["request_id"])["status"] == "PROCESSING"
    assert sandbox.job(job["request_id"])["audio_ready_at"] is None
    gate.set()
    sandbox.wait_produced(job["request_id"])
    done = _status(sandbox, client, job["request_id"])
    truth = sandbox.job(job["request_id"])
    assert done["status"] == "COMPLETED"
    assert truth["audio_ready_at"] >= truth["planned"]["finished"]
    assert truth["transitions"][-1]["at"] == truth["audio_ready_at"]
    assert _whole_second(done["completed_at"]) == parse_timestamp(truth["transitions"][-1]["wall"]).replace(  # type: ignore[union-attr]
        microsecond=0
    )


def test_control_api_reports_the_same_truth(sandbox: Sandbox, client: httpx.Client) -> None:
    job = _submit(sandbox, client, "Lifecycle check one.")
    settle(sandbox, job["request_id"])
    over_http = client.get(f"{sandbox.url}/_sandbox/jobs/{job['request_id']}", params={"wait": "5"}).json()
    assert over_http["transitions"] == sandbox.job(job["request_id"])["transitions"]
    listed = {j["id"] for j in client.get(f"{sandbox.url}/_sandbox/jobs").json()}
    assert job["request_id"] in listed


def test_status_of_another_keys_job_is_not_found(sandbox: Sandbox, client: httpx.Client) -> None:
    sandbox.add_key("pixazo", "lifecycle-other-key")
    job = _submit(sandbox, client, "Lifecycle check one.")
    response = send(
        sandbox, client, "pixazo", "requests.status", {}, key="lifecycle-other-key", request_id=job["request_id"]
    )
    assert response.status_code == 404


def test_store_evicts_the_oldest_finished_job(client: httpx.Client) -> None:
    with running(profile="fast", seed=1, clock="manual", max_jobs=2) as sb:
        first = _submit(sb, client, "Lifecycle check one.")
        second = _submit(sb, client, "Lifecycle check one.")
        for job in (first, second):
            settle(sb, job["request_id"])
        third = _submit(sb, client, "Lifecycle check one.")
        gone = send(
            sb, client, "pixazo", "requests.status", {}, key=sb.default_key("pixazo"), request_id=first["request_id"]
        )
        assert gone.status_code == 404
        assert _status(sb, client, second["request_id"])["status"] == "COMPLETED"
        assert _status(sb, client, third["request_id"])["status"] == "QUEUED"
        assert sb.counters()["jobs.evicted"] == 1


def test_full_store_of_running_jobs_answers_busy(client: httpx.Client) -> None:
    with running(profile="fast", seed=1, clock="manual", max_jobs=1) as sb:
        _submit(sb, client, "Lifecycle check one.", headers={"X-Sandbox-Fault": "never-finish"})
        refused = send(sb, client, "pixazo", CHATTERBOX, {"text": "Lifecycle check one."}, key=sb.default_key("pixazo"))
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "1"
        # The refused submit was not charged.
        assert sb.balance("pixazo", sb.default_key("pixazo")) == Decimal("999.99")


def test_timelines_are_reproducible_from_the_seed(client: httpx.Client) -> None:
    plans = []
    for _ in range(2):
        with running(profile="realistic", seed=42, clock="manual") as sb:
            job = _submit(sb, client, "Lifecycle check one.")
            truth = sb.job(job["request_id"])
            plans.append(
                (job["request_id"].split("_")[1][13:], truth["planned"]["started"], truth["planned"]["finished"])
            )
    assert plans[0] == plans[1]
    assert 0.5 < plans[0][1] < 10.0  # realistic: seconds in the queue
