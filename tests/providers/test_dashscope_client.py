"""DashScope's official client `dashscope`, unchanged, against the sandbox's imitation of the built-in `dashscope`
(the HTTP speech family's streamed Qwen-TTS synthesis, the WebSocket speech family's realtime session): a streamed
synthesis, a realtime session (session.update, append, commit, finish), and a bad key as the client's own answer
(a response carrying the status and `InvalidApiKey`; a refused realtime upgrade, which the client reports as its
TimeoutError after its own 5 s wait)."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from harness.speech import decode_raw
from tests.helpers.installed import skip_unless_installed

TEXT = "Hello from the sandbox."
BAD_KEY = "not-a-key-the-sandbox-knows"

# Imported where used, not while collecting (tests.helpers.installed).
pytestmark = skip_unless_installed("dashscope", reason="the official clients are test extras: pip install -e .[test]")


def _speech_seconds(samples: Any, rate: int) -> float:
    return float(np.sum(np.abs(np.asarray(samples)) > 0.02)) / rate


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("dashscope",)) as running_sandbox:
        yield running_sandbox


@pytest.fixture
def pointed(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    """The client's module-wide base URLs pointed at the sandbox (the client's own settings, not a patch of it)."""
    import dashscope

    base = sandbox.base_url("dashscope", "api")
    monkeypatch.setattr(dashscope, "base_http_api_url", base + "/api/v1")
    return base


def test_dashscope_streams_a_synthesis_and_answers_a_bad_key_with_its_code(sandbox: Any, pointed: str) -> None:
    import dashscope

    pcm = bytearray()
    for part in dashscope.MultiModalConversation.call(
        model="qwen3-tts-flash", api_key=sandbox.default_key("dashscope"), text=TEXT, voice="Cherry", stream=True
    ):
        assert part.status_code == 200, part
        pcm += base64.b64decode(part.output.audio.data or "")
    assert _speech_seconds(decode_raw(bytes(pcm), "pcm_s16le"), 24000) > 0.5
    refused = dashscope.MultiModalConversation.call(
        model="qwen3-tts-flash", api_key=BAD_KEY, text=TEXT, voice="Cherry", stream=True
    )
    answers = list(refused)
    assert answers[0].status_code == 401 and answers[0].code == "InvalidApiKey"


class Listener:
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.closed = threading.Event()
        self.code: int | None = None


def _realtime(base: str, key: str) -> Listener:
    import dashscope
    from dashscope.audio.qwen_tts_realtime import AudioFormat, QwenTtsRealtime, QwenTtsRealtimeCallback

    heard = Listener()

    class Callback(QwenTtsRealtimeCallback):  # type: ignore[misc]
        def on_event(self, response: dict[str, Any]) -> None:
            heard.events.append(response)

        def on_close(self, close_status_code: int, close_msg: str) -> None:
            heard.code = close_status_code
            heard.closed.set()

    dashscope.api_key = key
    client = QwenTtsRealtime(
        model="qwen3-tts-flash-realtime",
        callback=Callback(),
        url=base.replace("http://", "ws://") + "/api-ws/v1/realtime",
    )
    client.connect()
    client.update_session(voice="Cherry", response_format=AudioFormat.PCM_24000HZ_MONO_16BIT, mode="commit")
    client.append_text(TEXT)
    client.commit()
    client.finish()
    assert heard.closed.wait(30), "the server did not close after session.finish"
    return heard


def test_dashscope_realtime_session_speaks_and_a_bad_key_is_refused(sandbox: Any, pointed: str) -> None:
    heard = _realtime(pointed, sandbox.default_key("dashscope"))
    kinds = [e.get("type") for e in heard.events]
    assert kinds[0] == "session.created" and "session.updated" in kinds and "response.done" in kinds, kinds
    pcm = b"".join(base64.b64decode(e["delta"]) for e in heard.events if e.get("type") == "response.audio.delta")
    assert _speech_seconds(decode_raw(pcm, "pcm_s16le"), 24000) > 0.5
    # A refused upgrade (401) is, to this client, a connection that never opened: it waits its 5 s and says so.
    with pytest.raises(TimeoutError, match="could not established"):
        _realtime(pointed, BAD_KEY)
