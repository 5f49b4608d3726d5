"""Webhooks as the Pixazo documents describe them: terminal (exactly one POST), sync (every queue poll
cycle plus the terminal one), duplicates, retries with backoff, and http:// refused unless allowed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from harness.core.timestamps import TimestampForm, timestamp_form
from harness.core.validate import check_request_json
from harness.providers.pixazo import PROVIDER
from harness.providers.pixazo.models import LIFECYCLE
from harness.sandbox import FAULT_HEADER, Sandbox, running
from tests.helpers.sandbox_http import assert_valid, send, settle

WEBHOOK = PROVIDER.endpoint("webhook.callback")
TEXT = "Call me back when you are done."


def _submit(
    sb: Sandbox,
    client: httpx.Client,
    url: str,
    mode: str | None = None,
    fault: str | None = None,
    path: str = "chatterbox.generate",
    body: dict[str, Any] | None = None,
) -> httpx.Response:
    headers = {"X-Webhook-URL": url}
    if mode:
        headers["X-Webhook-Mode"] = mode
    if fault:
        headers[FAULT_HEADER] = fault
    return send(sb, client, "pixazo", path, body or {"text": TEXT}, key=sb.default_key("pixazo"), headers=headers)


def _sink(sb: Sandbox) -> tuple[str, str]:
    name = uuid.uuid4().hex[:8]
    return name, sb.sink_url(name)


def test_terminal_mode_posts_exactly_once(sandbox: Sandbox, client: httpx.Client) -> None:
    name, url = _sink(sandbox)
    job = _submit(sandbox, client, url, "terminal").json()
    sandbox.wait_produced(job["request_id"])
    ends = sandbox.job(job["request_id"])["planned"]["finished"]
    sandbox.advance(ends - sandbox.clock.now())  # exactly to the terminal moment
    log = sandbox.wait_webhooks_done(job["request_id"])
    assert [(d.event, d.attempt, d.status_code) for d in log] == [("terminal", 1, 200)]
    [payload] = sandbox.sink.received(name)
    assert check_request_json(WEBHOOK, payload).ok
    assert payload["request_id"] == job["request_id"] and payload["status"] == "COMPLETED"
    assert payload["output"]["media_url"][0].startswith(sandbox.url + "/pixazo/cdn/")
    # As in the documents' callback example: created_at ISO 8601, the others "YYYY-MM-DD HH:MM:SS".
    assert timestamp_form(payload["created_at"]) is TimestampForm.ISO8601
    assert timestamp_form(payload["completed_at"]) is TimestampForm.SPACE_NAIVE
    assert log[0].at == sandbox.job(job["request_id"])["transitions"][-1]["at"]


def test_default_mode_is_terminal(sandbox: Sandbox, client: httpx.Client) -> None:
    _, url = _sink(sandbox)
    job = _submit(sandbox, client, url).json()
    settle(sandbox, job["request_id"])
    assert [d.event for d in sandbox.wait_webhooks_done(job["request_id"])] == ["terminal"]


def test_duplicate_delivery(sandbox: Sandbox, client: httpx.Client) -> None:
    name, url = _sink(sandbox)
    job = _submit(sandbox, client, url, "terminal", fault="duplicate-webhook").json()
    settle(sandbox, job["request_id"])
    assert [d.event for d in sandbox.wait_webhooks_done(job["request_id"])] == ["terminal", "duplicate"]
    first, second = sandbox.sink.received(name)
    assert first == second  # the same callback twice: request_id is the idempotency key


def test_failed_delivery_is_retried_with_backoff(sandbox: Sandbox, client: httpx.Client) -> None:
    name, url = _sink(sandbox)
    job = _submit(sandbox, client, url + "?fail=2", "terminal").json()
    settle(sandbox, job["request_id"])
    backoff = sandbox.state.settings.webhook_backoff_s
    sandbox.wait_webhooks(1, job["request_id"])
    sandbox.advance(backoff)
    sandbox.wait_webhooks(2, job["request_id"])
    sandbox.advance(backoff * 2)
    log = sandbox.wait_webhooks_done(job["request_id"])
    assert [(d.attempt, d.status_code) for d in log] == [(1, 500), (2, 500), (3, 200)]
    assert log[1].at - log[0].at == pytest.approx(backoff)
    assert log[2].at - log[1].at == pytest.approx(2 * backoff)
    assert len(sandbox.sink.received(name)) == 1


def test_failed_job_calls_back_with_its_error(sandbox: Sandbox, client: httpx.Client) -> None:
    name, url = _sink(sandbox)
    job = _submit(sandbox, client, url, fault="job-error").json()
    settle(sandbox, job["request_id"])
    sandbox.wait_webhooks_done(job["request_id"])
    [payload] = sandbox.sink.received(name)
    assert payload["status"] == "ERROR" and payload["output"] is None and payload["error"]
    assert check_request_json(WEBHOOK, payload).ok


def test_xtts_body_webhook_parameter(sandbox: Sandbox, client: httpx.Client) -> None:
    _, url = _sink(sandbox)
    body = {
        "speaker": sandbox.voice_url("joe_reference.wav"),
        "text": TEXT,
        "webhook": url,
        "webhook_events_filter": ["completed"],
    }
    job = send(sandbox, client, "pixazo", "xtts-v2.generate", body, key=sandbox.default_key("pixazo")).json()
    settle(sandbox, job["request_id"])
    assert [d.event for d in sandbox.wait_webhooks_done(job["request_id"])] == ["terminal"]


def test_bad_mode_is_refused(sandbox: Sandbox, client: httpx.Client) -> None:
    response = _submit(sandbox, client, _sink(sandbox)[1], "sometimes")
    assert response.status_code == 400
    assert "X-Webhook-Mode" in response.json()["message"]


def test_non_loopback_webhook_is_refused(sandbox: Sandbox, client: httpx.Client) -> None:
    response = _submit(sandbox, client, "https://your-server.com/webhook/callback")
    assert response.status_code == 400
    assert "refused host 'your-server.com'" in response.json()["message"]


def test_plain_http_is_refused_as_documented(client: httpx.Client) -> None:
    with running(clock="manual") as strict:  # allow_http_webhooks defaults to False
        response = _submit(strict, client, strict.sink_url("x"))
        assert response.status_code == 400
        assert_valid("pixazo", "chatterbox.generate", response)
        assert "plain http:// URLs are rejected" in response.json()["message"]


@pytest.fixture(scope="module")
def realistic() -> Iterator[Sandbox]:
    with running(profile="realistic", seed=5, clock="manual", allow_http_webhooks=True) as sb:
        yield sb


def test_sync_mode_posts_every_poll_cycle_then_terminal(realistic: Sandbox, client: httpx.Client) -> None:
    name, url = _sink(realistic)
    body = {"script": "Speaker 0: A long script takes the queue a while.", "speakers": [{"preset": "Maya [EN]"}]}
    job = _submit(realistic, client, url, "sync", path="vibevoice.generate", body=body).json()
    realistic.wait_produced(job["request_id"])
    cycle = realistic.state.dispatcher.sync_cycle_s
    ends = realistic.job(job["request_id"])["planned"]["finished"]
    posts = 1
    realistic.wait_webhooks(posts, job["request_id"])  # the first cycle fires at submit
    while realistic.clock.now() + cycle < ends:
        realistic.advance(cycle)
        posts += 1
        realistic.wait_webhooks(posts, job["request_id"])
    realistic.advance(cycle)
    log = realistic.wait_webhooks_done(job["request_id"])
    assert [d.event for d in log] == ["sync"] * (len(log) - 1) + ["terminal"]
    assert len(log) >= 3
    received = realistic.sink.received(name)
    assert [p["status"] for p in received] == [d.state for d in log]
    assert not LIFECYCLE.check_sequence(received)  # progress never goes backwards
    assert received[-1]["status"] == "COMPLETED"
