"""Starting and stopping the sandbox (in process and as `tts-harness serve`), and its control API."""

from __future__ import annotations

import signal
import subprocess
import sys

import httpx
import pytest

from harness.cli.serve import base_url_lines
from harness.sandbox import Sandbox, running
from harness.sandbox.config import SandboxConfig
from harness.sandbox.state import SandboxState
from harness.sandbox.urls import Origins, OwnOrigin
from tests.helpers.sandbox_http import send


def test_running_serves_on_a_free_port_and_stops(client: httpx.Client) -> None:
    with running() as first, running() as second:
        assert first.port != second.port
        for sb in (first, second):
            assert client.get(sb.url + "/_sandbox").status_code == 200
        url = first.url
    with pytest.raises(httpx.ConnectError):
        client.get(url + "/_sandbox")


def test_base_urls_follow_the_mounts(sandbox: Sandbox) -> None:
    assert sandbox.base_url("pixazo") == sandbox.url + "/pixazo/gateway"
    assert sandbox.base_url("pixazo", "gateway") == sandbox.url + "/pixazo/gateway"
    with pytest.raises(KeyError, match="no host 'api'"):
        sandbox.base_url("pixazo", "api")
    with pytest.raises(KeyError, match="serves no provider"):
        sandbox.base_url("nobody")
    described = sandbox.describe()
    assert described["providers"]["pixazo"]["base_urls"] == {"gateway": sandbox.url + "/pixazo/gateway"}
    assert described["providers"]["pixazo"]["keys"]["default"] == "sandbox-pixazo-key"


def test_control_api(sandbox: Sandbox, client: httpx.Client) -> None:
    control = sandbox.url + "/_sandbox"
    before = client.get(control + "/clock").json()
    assert before["manual"] is True
    after = client.post(control + "/clock/advance", json={"seconds": 2.5}).json()
    assert after["now"] == pytest.approx(before["now"] + 2.5)
    assert client.post(control + "/clock/advance", json={"seconds": -1}).status_code == 400
    added = client.post(control + "/keys", json={"provider": "pixelapi", "key": "control-key", "tier": "free"})
    assert added.status_code == 201
    response = send(sandbox, client, "pixelapi", "tts.generate", {"text": "Hello."}, key="control-key")
    assert response.status_code == 200
    counters = client.get(control + "/counters").json()
    assert counters["jobs.created"] >= 1 and counters["requests.pixelapi"] >= 1
    voices = client.get(control + "/voices").json()
    assert voices["joe_reference.wav"] == sandbox.voice_url("joe_reference.wav")
    assert client.get(voices["joe_reference.wav"]).content[:4] == b"RIFF"
    assert client.get(control + "/voices/../pyproject.toml").status_code == 404
    assert isinstance(client.get(control + "/webhooks").json(), list)
    assert client.post(control + "/hangs/release").json() == {"released": True}


def test_real_clock_cannot_be_advanced(client: httpx.Client) -> None:
    with running() as sb:
        assert client.post(sb.url + "/_sandbox/clock/advance", json={"seconds": 1}).status_code == 409
        with pytest.raises(TypeError, match="real clock"):
            sb.advance(1.0)


def test_real_clock_job_completes_on_its_own(client: httpx.Client) -> None:
    with running(profile="fast", allow_http_webhooks=True) as sb:
        job = send(
            sb,
            client,
            "pixazo",
            "chatterbox.generate",
            {"text": "Faults are part of the contract."},
            key=sb.default_key("pixazo"),
            headers={"X-Webhook-URL": sb.sink_url("real")},
        ).json()
        # The terminal callback fires when the real clock reaches the job's end: no test-side waiting on time.
        [delivery] = sb.wait_webhooks_done(job["request_id"])
        truth = sb.job(job["request_id"])
        assert truth["state"] == "COMPLETED" and delivery.state == "COMPLETED"
        assert [t["state"] for t in truth["transitions"]] == ["QUEUED", "PROCESSING", "COMPLETED"]
        assert delivery.at >= truth["transitions"][-1]["at"]


def test_base_url_lines_name_every_host() -> None:
    state = SandboxState(SandboxConfig())
    lines = base_url_lines(state, "http://127.0.0.1:8765")
    assert any(
        "pixazo" in line and "http://127.0.0.1:8765/pixazo/gateway" in line and "sandbox-pixazo-key" in line
        for line in lines
    )
    assert lines[-1].strip().endswith("http://127.0.0.1:8765/_sandbox")
    state.origins = Origins(8765, [OwnOrigin("pixazo", "gateway", "", 8790), OwnOrigin("openai", "v1", "/v1", 8791)])
    lines = base_url_lines(state, "http://127.0.0.1:8765")
    assert any(
        line.split()[:4] == ["pixazo", "gateway", "http://127.0.0.1:8765/pixazo/gateway", "http://127.0.0.1:8790"]
        for line in lines
    )
    assert any(
        line.split()[:4] == ["openai", "v1", "http://127.0.0.1:8765/openai/v1", "http://127.0.0.1:8791/v1"]
        for line in lines
    )
    state.producer.close()


def test_serve_command_prints_base_urls_and_serves() -> None:
    program = (
        "import typer\nfrom harness.cli.serve import serve_command\n"
        "app = typer.Typer()\napp.command()(serve_command)\napp()"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", program, "--port", "0", "--profile", "fast", "--seed", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        header = process.stdout.readline()
        assert "profile fast, seed 3" in header
        lines: list[str] = []
        while (line := process.stdout.readline()) and line.split()[:1] != ["control"]:
            lines.append(line)  # a line per provider host, then the control API's
        name, host, gateway, own, *_ = next(line.split() for line in lines if line.split()[0] == "pixazo")
        origin = header.rsplit(" on ", 1)[1].strip()
        assert gateway == origin + "/pixazo/gateway"
        overview = httpx.get(origin + "/_sandbox", trust_env=False).json()
        assert overview["seed"] == 3
        # The host at an origin of its own, printed beside the prefixed form: the documented paths at its root.
        assert own.startswith("http://127.0.0.1:") and own != origin
        assert overview["providers"][name]["origins"] == {host: own}
        job = httpx.post(
            own + "/chatterbox-text-to-speech/v1/chatterbox-text-to-speech-request",
            json={"text": "Hi."},
            headers={"Ocp-Apim-Subscription-Key": "sandbox-pixazo-key"},
            trust_env=False,
        )
        assert job.status_code == 202 and job.json()["polling_url"].startswith(own + "/v2/requests/status/")
        sockets = [line.split() for line in lines if line.split()[2].startswith("ws://")]
        assert sockets and all(row[3].startswith("ws://127.0.0.1:") for row in sockets)  # a socket's own URL too
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
