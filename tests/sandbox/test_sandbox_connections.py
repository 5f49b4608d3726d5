"""The sandbox as a server on a network, tried with real sockets on loopback: idle, slow and half-sent
requests are closed at their deadline (set small here; waits are bounded by socket timeouts, never
sleeps), a client that leaves mid-request is one debug line and no traceback, and bound beyond loopback
its control API asks for the token it printed at start."""

from __future__ import annotations

import logging
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from harness.providers.pixelapi import PROVIDER as PIXELAPI
from harness.sandbox import Sandbox, running
from harness.sandbox.connections import ConnectionTimeouts
from harness.sandbox.control import CONTROL_TOKEN_HEADER

TIMEOUTS = ConnectionTimeouts(keep_alive_s=0.4, head_s=0.4, body_s=0.4)
BOUND = 10.0  # seconds any wait below may take at most: a server that never closes fails, it does not hang


class Records(logging.Handler):
    """Every record of the loggers it is attached to; `wait_for` blocks until one holds a text."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.arrived = threading.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        with self.arrived:
            self.records.append(record)
            self.arrived.notify_all()

    def wait_for(self, text: str) -> logging.LogRecord:
        with self.arrived:
            found = self.arrived.wait_for(
                lambda: next((r for r in self.records if text in r.getMessage()), None), timeout=BOUND
            )
        assert found is not None, [r.getMessage() for r in self.records]
        return found


@pytest.fixture(scope="module")
def guarded() -> Iterator[Sandbox]:
    with running(profile="fast", timeouts=TIMEOUTS) as sb:
        yield sb


@pytest.fixture()
def records() -> Iterator[Records]:
    handler = Records()
    loggers = [logging.getLogger(name) for name in ("harness.sandbox.connections", "uvicorn.error")]
    saved = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler
    for logger, level in zip(loggers, saved, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def _connect(sb: Sandbox) -> socket.socket:
    connection = socket.create_connection((sb.host, sb.port), timeout=BOUND)
    return connection


def _response(connection: socket.socket) -> bytes:
    """One whole answer (head and a Content-Length body) read from the connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
    )
    while len(body) < length:
        body += connection.recv(65536)
    return data


def _closed_by_server(connection: socket.socket, keep_sending: bytes = b"") -> float:
    """Seconds until the server closes the connection (recv returns b""), sending `keep_sending` every
    0.1 s meanwhile when given (a slow client that never stops)."""
    started = time.monotonic()
    connection.settimeout(0.1 if keep_sending else BOUND)
    while time.monotonic() - started < BOUND:
        try:
            if connection.recv(65536) == b"":
                return time.monotonic() - started
        except TimeoutError:
            pass
        except ConnectionResetError:
            return time.monotonic() - started
        if keep_sending:
            try:
                connection.sendall(keep_sending)
            except (BrokenPipeError, ConnectionResetError):
                return time.monotonic() - started
    raise AssertionError(f"the server kept the connection open for {BOUND} s")


def test_a_connection_that_sends_nothing_is_closed(guarded: Sandbox, records: Records) -> None:
    with _connect(guarded) as connection:
        assert _closed_by_server(connection) >= TIMEOUTS.head_s * 0.9
    records.wait_for("no whole request head within 0.4 s")


def test_a_request_head_sent_a_byte_at_a_time_is_cut_at_its_deadline(guarded: Sandbox) -> None:
    """Slowloris: bytes keep coming, but the head never ends; the deadline runs from its first byte."""
    with _connect(guarded) as connection:
        connection.sendall(b"GET /_sandbox HTTP/1.1\r\nHost: x\r\n")
        assert _closed_by_server(connection, keep_sending=b"X-a: b\r\n") < BOUND


def test_a_half_sent_body_is_cut_and_the_disconnect_is_one_debug_line(guarded: Sandbox, records: Records) -> None:
    with _connect(guarded) as connection:
        connection.sendall(
            b"POST /_sandbox/keys HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 500\r\n\r\n{"provider": "pix'
        )
        assert _closed_by_server(connection) >= TIMEOUTS.body_s * 0.9
    records.wait_for("no whole request body within 0.4 s")
    line = records.wait_for("left during POST /_sandbox/keys (ClientDisconnect)")
    assert line.levelno == logging.DEBUG
    assert [r for r in records.records if r.levelno >= logging.WARNING] == []


def test_a_client_that_leaves_mid_request_is_one_debug_line(guarded: Sandbox, records: Records) -> None:
    with _connect(guarded) as connection:
        connection.sendall(b"POST /_sandbox/sink/gone HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nhalf")
    line = records.wait_for("left during POST /_sandbox/sink/gone (ClientDisconnect)")
    assert line.levelno == logging.DEBUG and line.exc_info is None
    assert [r for r in records.records if r.levelno >= logging.WARNING] == []


def test_an_idle_keep_alive_connection_is_closed_and_busy_ones_are_served(guarded: Sandbox) -> None:
    with _connect(guarded) as connection:
        for _ in range(3):  # one connection, several requests: each answered
            connection.sendall(b"GET /_sandbox/clock HTTP/1.1\r\nHost: x\r\n\r\n")
            assert _response(connection).startswith(b"HTTP/1.1 200")
        assert _closed_by_server(connection) >= TIMEOUTS.keep_alive_s * 0.9
    with httpx.Client(trust_env=False) as client:
        answers = [client.get(guarded.url + "/_sandbox/clock") for _ in range(3)]
    assert all(answer.status_code == 200 for answer in answers)


def test_timeouts_must_be_positive_and_finite() -> None:
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="finite and > 0"):
            ConnectionTimeouts(head_s=bad)


# --- the control API beyond loopback -------------------------------------------------------------------


@pytest.fixture(scope="module")
def exposed() -> Iterator[tuple[Sandbox, str]]:
    """Bound to every interface (reached here over loopback only)."""
    with running(profile="fast", host="0.0.0.0", timeouts=TIMEOUTS, allow_http_webhooks=True) as sb:
        yield sb, f"http://127.0.0.1:{sb.port}"


def test_beyond_loopback_the_control_api_needs_the_token(exposed: tuple[Sandbox, str]) -> None:
    sb, origin = exposed
    assert sb.control_token
    control = origin + "/_sandbox"
    with httpx.Client(trust_env=False, timeout=BOUND) as client:
        for method, url, body in (
            ("GET", control, None),
            ("GET", control + "/jobs", None),
            ("POST", control + "/clock/advance", {"seconds": 1}),
            ("POST", control + "/keys", {"provider": "pixazo", "key": "stolen-key-123"}),
            ("GET", control + "/sink/x", None),
            ("POST", origin + "/%5Fsandbox/keys", {"provider": "pixazo", "key": "stolen-key-1"}),
        ):
            for headers in ({}, {CONTROL_TOKEN_HEADER: "guess"}):
                refused = client.request(method, url, json=body, headers=headers)
                assert refused.status_code == 403, (url, refused.text)
                assert CONTROL_TOKEN_HEADER in refused.json()["error"]
        assert (
            client.post(
                control + "/keys",
                json={"provider": "pixazo", "key": "stolen-key-123"},
                headers={CONTROL_TOKEN_HEADER: sb.control_token},
            ).status_code
            == 201
        )
        assert client.get(control, headers={CONTROL_TOKEN_HEADER: sb.control_token}).status_code == 200
        # What providers and the sandbox itself call stays open: reference clips, webhook receivers.
        assert client.get(control + "/voices/joe_reference.wav").content[:4] == b"RIFF"
        assert client.post(control + "/sink/hook", content=b"{}").status_code == 200
        # The providers' faces are unchanged.
        endpoint = PIXELAPI.endpoint("tts.generate")
        url = sb.base_url("pixelapi", endpoint.host).replace(sb.url, origin) + endpoint.path
        key = {PIXELAPI.auth.header: PIXELAPI.auth.header_value(sb.default_key("pixelapi"))}
        answer = client.post(url, files={"text": (None, "Hello.")}, headers=key)  # a multipart form
        assert answer.status_code == 200, answer.text


def test_on_loopback_no_token_is_asked_for(guarded: Sandbox) -> None:
    assert guarded.control_token is None
    with httpx.Client(trust_env=False) as client:
        assert client.get(guarded.url + "/_sandbox").status_code == 200


def test_serve_prints_the_token_once_when_bound_beyond_loopback() -> None:
    program = (
        "import typer\nfrom harness.cli.serve import serve_command\n"
        "app = typer.Typer()\napp.command()(serve_command)\napp()"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", program, "--host", "0.0.0.0", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        while not lines or not lines[-1].startswith("Press Ctrl+C"):
            lines.append(process.stdout.readline())
        port = lines[0].rsplit(":", 1)[1].strip()
        (said,) = [line for line in lines if line.startswith("control API token")]
        token = said.rsplit(" ", 1)[1].strip()
        url = f"http://127.0.0.1:{port}/_sandbox"
        assert httpx.get(url, trust_env=False).status_code == 403
        assert httpx.get(url, trust_env=False, headers={CONTROL_TOKEN_HEADER: token}).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
