"""A request the sandbox cannot finish because its client or the sandbox itself is going away ends quietly.

Ctrl-C in `tts-harness bench run` cancels the run's requests while the embedded sandbox is still reading
their bodies (`starlette.requests.ClientDisconnect`), then stops the sandbox; the pipeline's catch-all used
to log each as "sandbox: POST … failed" with a traceback, breaking the CLI's one-line exit (seen in
tests/cli/test_bad_inputs.py's Ctrl-C test). A client that leaves is one debug line; a request whose
resources went with a stopping sandbox (its synthesis pool shut down) is a debug line and a 503; the same
failure while the sandbox runs is a bug, logged with its traceback. Every wait is on an event (a log record,
a hanging request, a response), bounded."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from harness.sandbox import Sandbox, running
from harness.sandbox.faults import FAULT_HEADER

BOUND = 30.0  # seconds any wait below may take at most: a failure fails, it does not hang
PATH = "/v1/text:synthesize"
BODY: dict[str, Any] = {
    "input": {"text": "Stopping."},
    "voice": {"languageCode": "en-US", "name": "en-US-Neural2-F"},
    "audioConfig": {"audioEncoding": "LINEAR16"},
}


class Records(logging.Handler):
    """Every record of the sandbox's loggers; `wait_for` blocks until one mentions a text."""

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

    def loud(self) -> list[str]:
        return [record.getMessage() for record in self.records if record.levelno >= logging.WARNING]


@pytest.fixture()
def records() -> Iterator[Records]:
    handler = Records()
    logger = logging.getLogger("harness.sandbox")  # the pipeline's, and harness.sandbox.connections beneath it
    saved = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(saved)


def _post(sb: Sandbox, fault: str | None = None) -> httpx.Response:
    headers = {"x-goog-api-key": sb.default_key("google"), **({FAULT_HEADER: fault} if fault else {})}
    with httpx.Client(timeout=BOUND, trust_env=False) as client:
        return client.post(sb.base_url("google", "api") + PATH, json=BODY, headers=headers)


def test_a_client_that_leaves_mid_body_is_one_debug_line(records: Records) -> None:
    """The interrupted run's case: the key is good, so the pipeline is reading the body when the client goes."""
    with running(profile="fast", providers=("google",)) as sb:
        mount = sb.base_url("google", "api").removeprefix(sb.url)
        with socket.create_connection((sb.host, sb.port), timeout=BOUND) as connection:
            connection.sendall(
                f"POST {mount}{PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"x-goog-api-key: {sb.default_key('google')}\r\nContent-Length: 500\r\n\r\n"
                '{"input": {"te'.encode()
            )
        line = records.wait_for(f"{mount}{PATH}")  # the pipeline's or the middleware's, whichever speaks
    assert line.getMessage().endswith(f"left during POST {mount}{PATH} (ClientDisconnect)")
    assert line.levelno == logging.DEBUG and line.exc_info is None
    assert records.loud() == []


def test_a_request_the_stopping_sandbox_cannot_finish_is_a_debug_line_and_a_503(records: Records) -> None:
    with ThreadPoolExecutor(1) as pool:
        with running(profile="fast", clock="manual", providers=("google",)) as sb:
            pending = pool.submit(_post, sb, "hang")
            sb.wait_hanging(1, timeout=BOUND)
            # The synthesis pool goes first, as when a stop outwaits its join or the interpreter exits
            # around the server's thread; leaving the block stops the sandbox and releases the hang.
            sb.state.producer.close()
        answer = pending.result(timeout=BOUND)
    assert answer.status_code == 503, answer.text
    line = records.wait_for("dropped: the sandbox is stopping")
    assert line.levelno == logging.DEBUG and "cannot schedule new futures" in line.getMessage()
    assert records.loud() == []


def test_the_same_failure_while_the_sandbox_runs_is_a_bug_with_its_traceback(records: Records) -> None:
    with running(profile="fast", clock="manual", providers=("google",)) as sb:
        sb.state.producer.close()
        answer = _post(sb)
    assert answer.status_code == 500, answer.text
    line = records.wait_for(f"POST {sb.base_url('google', 'api').removeprefix(sb.url)}{PATH} failed")
    assert line.levelno == logging.ERROR and line.exc_info is not None
