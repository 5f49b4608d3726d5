"""A sandbox's state file: a later sandbox given it continues the jobs and wallets of the last.

This is what a benchmark run's own sandbox relies on to survive `kill -9` with its run (the run's side:
tests/bench/test_resume_sandbox.py). The sandbox is reached through its public handle only.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from harness.sandbox import SandboxHandle, running

SUBMIT = "/chatterbox-text-to-speech/v1/chatterbox-text-to-speech-request"


def test_a_restored_sandbox_answers_for_the_jobs_and_wallets_of_the_last(tmp_path: Path) -> None:
    path = tmp_path / "sandbox" / "run.sqlite"
    with running("realistic", 3, clock="manual", providers=("pixazo",)) as first, httpx.Client() as client:
        assert first.keep_state(path) == 0
        key = first.default_key("pixazo")
        headers = {"Ocp-Apim-Subscription-Key": key}
        answer = client.post(
            first.base_url("pixazo", "gateway") + SUBMIT,
            headers=headers,
            json={"text": "A job in flight when its sandbox dies."},
        )
        assert answer.status_code == 202, answer.text
        job_id = answer.json()["request_id"]
        left = first.balance("pixazo", key)
        truth = first.job(job_id)
    assert b"sandbox-pixazo-key" not in path.read_bytes()  # keys are written as digests only

    with running("realistic", 3, providers=("pixazo",)) as second, httpx.Client() as client:
        assert second.keep_state(path) == 1
        assert second.balance("pixazo", key) == left < Decimal(1000)  # the charge is still there
        status = client.get(
            second.base_url("pixazo", "gateway") + f"/v2/requests/status/{job_id}",
            headers={"Ocp-Apim-Subscription-Key": key},
        )
        assert status.status_code == 200 and status.json()["request_id"] == job_id
        restored = second.job(job_id)
        assert restored["transitions"][0]["wall"] == truth["transitions"][0]["wall"]  # same creation time
        assert restored["planned"]["outcome"] == truth["planned"]["outcome"]
        again = client.post(
            second.base_url("pixazo", "gateway") + SUBMIT,
            headers={"Ocp-Apim-Subscription-Key": key},
            json={"text": "A new job after the restore."},
        )
        assert again.status_code == 202 and again.json()["request_id"] != job_id
        assert second.job(again.json()["request_id"])["id"] != job_id
    # The second sandbox journalled its own job too: a third one would continue both.
    with running("realistic", 3, providers=("pixazo",)) as third:
        assert third.keep_state(path) == 2


def test_the_handle_lists_what_each_accepted_job_says_and_keeps_state_once(tmp_path: Path) -> None:
    with running("realistic", 4, clock="manual", providers=("pixazo",)) as sandbox, httpx.Client() as client:
        handle: SandboxHandle = sandbox  # the narrow surface a benchmark run uses
        assert handle.keep_state(tmp_path / "state.sqlite") == 0
        answer = client.post(
            handle.base_url("pixazo", "gateway") + SUBMIT,
            headers={"Ocp-Apim-Subscription-Key": handle.default_key("pixazo")},
            json={"text": "Which job said this?"},
        )
        assert answer.status_code == 202, answer.text
        [job] = handle.jobs()
        assert (job["id"], job["provider"], job["lines"]) == (
            answer.json()["request_id"],
            "pixazo",
            ["Which job said this?"],
        )
        assert job["endpoint"] == "chatterbox.generate"
        over_http = client.get(handle.url + "/_sandbox/jobs").json()
        assert [j["lines"] for j in over_http] == [job["lines"]]  # the handle answers what the control API does
        with pytest.raises(RuntimeError, match="already keeps its state"):
            handle.keep_state(tmp_path / "other.sqlite")


def test_a_job_sent_to_an_own_origin_calls_back_with_the_next_sandbox_s_urls(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    with (
        running("fast", 5, clock="manual", providers=("pixazo",), allow_http_webhooks=True) as first,
        httpx.Client() as client,
    ):
        first.keep_state(path)
        headers = {"Ocp-Apim-Subscription-Key": first.default_key("pixazo"), "X-Webhook-URL": first.sink_url("moved")}
        answer = client.post(first.origin("pixazo", "gateway") + SUBMIT, headers=headers, json={"text": "Moved."})
        assert answer.status_code == 202, answer.text
        job_id, port = answer.json()["request_id"], first.port
    # On the same main port, so the callback finds its receiver; the own origins are new free ports.
    with running("fast", 5, clock="manual", providers=("pixazo",), allow_http_webhooks=True, port=port) as second:
        assert second.keep_state(path) == 1
        second.wait_produced(job_id)
        second.advance(5)
        second.wait_webhooks_done(job_id)
        [payload] = [body for body in second.sink.received("moved") if body.get("status") == "COMPLETED"]
        # Built on the job's origin: the earlier sandbox's own origin, now this one's main port.
        [media_url] = payload["output"]["media_url"]
        assert media_url.startswith(second.url + "/pixazo/cdn/"), media_url
        with httpx.Client() as client:
            assert client.get(media_url).status_code == 200


def test_a_produced_job_whose_callback_was_not_due_yet_calls_back_from_the_next_sandbox(tmp_path: Path) -> None:
    # The first sandbox produces the audio but stops before the job's terminal moment: its callback is
    # still owed, and the next sandbox (same main port, so the receiver's URL still answers) delivers it.
    path = tmp_path / "state.sqlite"
    with (
        running("fast", 6, clock="manual", providers=("pixazo",), allow_http_webhooks=True) as first,
        httpx.Client() as client,
    ):
        first.keep_state(path)
        headers = {"Ocp-Apim-Subscription-Key": first.default_key("pixazo"), "X-Webhook-URL": first.sink_url("owed")}
        answer = client.post(first.base_url("pixazo", "gateway") + SUBMIT, headers=headers, json={"text": "Owed."})
        assert answer.status_code == 202, answer.text
        job_id, port = answer.json()["request_id"], first.port
        first.wait_produced(job_id)
        assert first.webhooks(job_id) == []  # the manual clock never reached the job's end
    with running("fast", 6, clock="manual", providers=("pixazo",), allow_http_webhooks=True, port=port) as second:
        assert second.keep_state(path) == 1
        second.advance(5)
        [delivery] = second.wait_webhooks_done(job_id)
        assert delivery.ok and delivery.event == "terminal", delivery
        [payload] = second.sink.received("owed")
        assert payload["status"] == "COMPLETED" and payload["request_id"] == job_id


def test_a_job_that_called_back_does_not_call_again_from_the_next_sandbox(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    with (
        running("fast", 7, clock="manual", providers=("pixazo",), allow_http_webhooks=True) as first,
        httpx.Client() as client,
    ):
        first.keep_state(path)
        headers = {"Ocp-Apim-Subscription-Key": first.default_key("pixazo"), "X-Webhook-URL": first.sink_url("once")}
        answer = client.post(first.base_url("pixazo", "gateway") + SUBMIT, headers=headers, json={"text": "Once."})
        assert answer.status_code == 202, answer.text
        job_id, port = answer.json()["request_id"], first.port
        first.wait_produced(job_id)
        first.advance(5)
        assert [d.ok for d in first.wait_webhooks_done(job_id)] == [True]
    with running("fast", 7, clock="manual", providers=("pixazo",), allow_http_webhooks=True, port=port) as second:
        assert second.keep_state(path) == 1
        second.advance(5)
        assert second.wait_webhooks_done(job_id, timeout=0) == []  # nothing left to deliver
        assert second.sink.received("once") == []
