"""Every fault on demand, reproducible by name (`X-Sandbox-Fault`), and chaos draws reproducible by seed."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from harness.core.validate import check_response
from harness.providers.pixazo import PROVIDER
from harness.providers.pixazo.models import LIFECYCLE
from harness.sandbox import FAULT_HEADER, Fault, Sandbox, running
from harness.speech import decode
from tests.helpers.sandbox_http import assert_valid, send, settle

TEXT = "Faults are part of the contract."


def _submit(sb: Sandbox, client: httpx.Client, fault: str | None = None) -> httpx.Response:
    headers = {FAULT_HEADER: fault} if fault else {}
    return send(
        sb, client, "pixazo", "chatterbox.generate", {"text": TEXT}, key=sb.default_key("pixazo"), headers=headers
    )


def _status(sb: Sandbox, client: httpx.Client, request_id: str, fault: str | None = None) -> httpx.Response:
    headers = {FAULT_HEADER: fault} if fault else {}
    return send(
        sb,
        client,
        "pixazo",
        "requests.status",
        {},
        key=sb.default_key("pixazo"),
        headers=headers,
        request_id=request_id,
    )


def _verdict(endpoint_key: str, response: httpx.Response) -> Any:
    return check_response(
        PROVIDER, PROVIDER.endpoint(endpoint_key), response.status_code, dict(response.headers), response.content
    )


def test_http_500(sandbox: Sandbox, client: httpx.Client) -> None:
    response = _submit(sandbox, client, "http-500")
    assert response.status_code == 500
    assert_valid("pixazo", "chatterbox.generate", response)  # 500 is documented, in the error shape


def test_http_503_with_retry_after(sandbox: Sandbox, client: httpx.Client) -> None:
    response = _submit(sandbox, client, "http-503")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert set(response.json()) == {"error", "message"}


def test_http_429_with_retry_after(sandbox: Sandbox, client: httpx.Client) -> None:
    response = _submit(sandbox, client, "http-429")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert_valid("pixazo", "chatterbox.generate", response)


def test_malformed_json(sandbox: Sandbox, client: httpx.Client) -> None:
    job = _submit(sandbox, client).json()
    response = _status(sandbox, client, job["request_id"], "malformed-json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert [v.rule for v in _verdict("requests.status", response).violations] == ["protocol"]


def test_html_error_page(sandbox: Sandbox, client: httpx.Client) -> None:
    response = _submit(sandbox, client, "html-error")
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "<html>" in response.text
    assert not _verdict("chatterbox.generate", response).ok


def test_connection_reset(sandbox: Sandbox, client: httpx.Client) -> None:
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)) as caught:
        _submit(sandbox, client, "connection-reset")
    assert "reset" in str(caught.value).lower() or "disconnected" in str(caught.value).lower()


def test_hang_until_released(sandbox: Sandbox, client: httpx.Client) -> None:
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(_submit, sandbox, httpx.Client(timeout=30, trust_env=False), "hang")
        sandbox.wait_hanging(1)
        assert not pending.done()
        sandbox.release_hangs()
        assert pending.result(timeout=30).status_code == 202  # a released hang answers normally


def test_hang_times_out_a_client(sandbox: Sandbox) -> None:
    with httpx.Client(timeout=0.3, trust_env=False) as impatient, pytest.raises(httpx.ReadTimeout):
        _submit(sandbox, impatient, "hang")
    sandbox.release_hangs()


def test_hang_ends_when_the_clock_passes_it(sandbox: Sandbox, client: httpx.Client) -> None:
    result: list[httpx.Response] = []
    worker = threading.Thread(
        target=lambda: result.append(_submit(sandbox, httpx.Client(timeout=30, trust_env=False), "hang"))
    )
    worker.start()
    sandbox.wait_hanging(1)
    sandbox.advance(sandbox.state.settings.hang_s)
    worker.join(30)
    assert result and result[0].status_code == 202


def _media(sb: Sandbox, client: httpx.Client, fault: str | None) -> str:
    job = _submit(sb, client, fault).json()
    settle(sb, job["request_id"])
    return str(_status(sb, client, job["request_id"]).json()["output"]["media_url"][0])


@pytest.mark.parametrize("where", ["on-download", "on-submit"])
def test_truncated_audio(sandbox: Sandbox, client: httpx.Client, where: str) -> None:
    url = _media(sandbox, client, "truncated-audio" if where == "on-submit" else None)
    headers = {FAULT_HEADER: "truncated-audio"} if where == "on-download" else {}
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(url, headers=headers)
    if where == "on-download":
        assert decode(client.get(url).content).duration_s > 1.0  # the same file, downloaded whole


def test_status_goes_backwards(sandbox: Sandbox, client: httpx.Client) -> None:
    job = _submit(sandbox, client, "status-backwards").json()
    sandbox.wait_produced(job["request_id"])
    truth = sandbox.job(job["request_id"])
    observed = [_status(sandbox, client, job["request_id"]).json()]
    steps = [truth["planned"]["started"]]
    start = truth["planned"]["started"]
    span = truth["planned"]["finished"] - start
    steps += [start + span * 0.4, start + span * 0.6, truth["planned"]["finished"]]
    for at in steps:
        sandbox.advance(max(0.0, at - sandbox.clock.now()))
        observed.append(_status(sandbox, client, job["request_id"]).json())
    states = [body["status"] for body in observed]
    assert states == ["QUEUED", "PROCESSING", "QUEUED", "PROCESSING", "COMPLETED"]
    assert any(v.rule == "lifecycle" for v in LIFECYCLE.check_sequence(observed))
    assert [t["state"] for t in sandbox.job(job["request_id"])["transitions"]] == states


def test_job_never_finishes(sandbox: Sandbox, client: httpx.Client) -> None:
    job = _submit(sandbox, client, "never-finish").json()
    settle(sandbox, job["request_id"], 3600.0)
    assert _status(sandbox, client, job["request_id"]).json()["status"] == "PROCESSING"
    assert sandbox.job(job["request_id"])["planned"]["finished"] is None


@pytest.mark.parametrize(("fault", "state"), [("job-failed", "FAILED"), ("job-error", "ERROR")])
def test_job_ends_in_failure(sandbox: Sandbox, client: httpx.Client, fault: str, state: str) -> None:
    job = _submit(sandbox, client, fault).json()
    settle(sandbox, job["request_id"])
    response = _status(sandbox, client, job["request_id"])
    assert_valid("pixazo", "requests.status", response)
    body = response.json()
    assert body["status"] == state and body["output"] is None and body["error"]
    assert body["completed_at"] is not None


def test_model_disabled(sandbox: Sandbox, client: httpx.Client) -> None:
    response = _submit(sandbox, client, "model-disabled")
    assert response.status_code == 400
    assert_valid("pixazo", "chatterbox.generate", response)
    assert response.json() == {
        "error": "Model not found",
        "message": "Model 'chatterbox-text-to-speech' not found or is disabled",
    }


def test_disabled_model_by_configuration(client: httpx.Client) -> None:
    with running(disabled_models=frozenset({"xtts-v2-api"})) as sb:
        body = {"speaker": sb.voice_url("joe_reference.wav"), "text": TEXT}
        response = send(sb, client, "pixazo", "xtts-v2.generate", body, key=sb.default_key("pixazo"))
        assert response.status_code == 400 and response.json()["error"] == "Model not found"
        assert _submit(sb, client).status_code == 202  # other models still work


@pytest.mark.parametrize(
    ("status", "endpoint_key"),
    [(402, "chatterbox.generate"), (403, "chatterbox.generate"), (404, "requests.status"), (401, "requests.status")],
)
def test_any_error_status_on_demand(sandbox: Sandbox, client: httpx.Client, status: int, endpoint_key: str) -> None:
    if endpoint_key == "requests.status":
        response = _status(sandbox, client, "any-id", f"http-{status}")
    else:
        response = _submit(sandbox, client, f"http-{status}")
    assert response.status_code == status
    assert_valid("pixazo", endpoint_key, response)


def test_unknown_fault_name_is_refused(sandbox: Sandbox, client: httpx.Client) -> None:
    response = _submit(sandbox, client, "teapot")
    assert response.status_code == 400
    message = response.json()["message"]
    assert "teapot" in message and all(f.value in message for f in Fault) and "http-<4xx|5xx status>" in message


def _chaos_run(client: httpx.Client, seed: int) -> tuple[list[str], list[list[str]]]:
    outcomes = []
    with running(profile="chaos", seed=seed, hang_limit_s=0.2) as sb:
        for _ in range(40):
            try:
                response = _status(sb, client, "no-such-request")
                outcomes.append(str(response.status_code))
            except httpx.TransportError as error:
                outcomes.append(type(error).__name__)
        job_faults = []
        for _ in range(25):
            try:
                response = _submit(sb, client)
            except httpx.TransportError:
                continue
            if response.status_code == 202:
                job_faults.append(sb.job(response.json()["request_id"])["faults"])
    return outcomes, job_faults


def test_chaos_is_reproducible_from_the_seed(client: httpx.Client) -> None:
    first = _chaos_run(client, 3)
    second = _chaos_run(client, 3)
    assert first == second
    assert any(outcome != "404" for outcome in first[0])  # some request fault was drawn
    assert any(faults for faults in first[1])  # and some job fault
