"""A sandbox serving one provider per realtime protocol over TLS (the ElevenLabs client insists on wss://),
for the whole session; its declarations come from a providers file in effect only while it starts."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers.providers_file import providers_file_in_effect
from tests.helpers.realtime import realtime_toml


@pytest.fixture(scope="session")
def realtime_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from harness.sandbox import running
    from harness.sandbox.connections import ConnectionTimeouts

    path = tmp_path_factory.mktemp("realtime") / "tts-harness.toml"
    path.write_text(realtime_toml(), encoding="utf-8")
    # The official clients' WebSocket handshakes once closed without an answer on a loaded 2-core machine (a
    # request head 10 s late would be closed so): these tests are about the clients, not the deadlines
    # (tests/sandbox test those), so the sandbox waits as long as the clients do (their open_timeout: 60 s),
    # and says at debug level, captured with a failure, when it closes a connection.
    logging.getLogger("harness.sandbox.connections").setLevel(logging.DEBUG)
    patient = ConnectionTimeouts(keep_alive_s=60.0, head_s=60.0, body_s=60.0)
    with contextlib.ExitStack() as stack:
        with providers_file_in_effect(path):
            sandbox = stack.enter_context(
                running(profile="fast", tls=True, timeouts=patient, providers=("eleven", "carte", "dgram"))
            )
        yield sandbox


@pytest.fixture
def trust_sandbox_ca(realtime_sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Clients that build their own TLS context (the `websockets` default) trust the sandbox's CA."""
    monkeypatch.setenv("SSL_CERT_FILE", str(realtime_sandbox.ca_file))
    return realtime_sandbox.tls.client_context()
