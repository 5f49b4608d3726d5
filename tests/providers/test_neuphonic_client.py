"""Neuphonic's official client `pyneuphonic`, unchanged, against the sandbox's imitation of the built-in `neuphonic`
(the HTTP speech family's `/sse/speak/{lang_code}`): a streamed synthesis read as the client's typed responses, and a
bad key refused (the client's SSE path raises nothing for it: it yields no message, which is what is asserted)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from harness.speech import decode_raw

TEXT = "Hello from the sandbox."
BAD_KEY = "not-a-key-the-sandbox-knows"

pyneuphonic = pytest.importorskip("pyneuphonic", reason="the official clients are test extras: pip install -e .[test]")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("neuphonic",)) as running_sandbox:
        yield running_sandbox


def _client(sandbox: Any, key: str) -> Any:
    # The client takes a host, and speaks plain HTTP to one named localhost (its own rule for local servers).
    base = sandbox.base_url("neuphonic", "api").replace("http://127.0.0.1", "localhost")
    return pyneuphonic.Neuphonic(api_key=key, base_url=base)


def test_neuphonic_streams_a_synthesis_and_refuses_a_bad_key(sandbox: Any) -> None:
    sse = _client(sandbox, sandbox.default_key("neuphonic")).tts.SSEClient()
    pcm = b"".join(
        message.data.audio
        for message in sse.send(TEXT, tts_config={"lang_code": "en"})
        if message.data is not None and message.data.audio
    )
    assert float(np.sum(np.abs(decode_raw(pcm, "pcm_s16le")) > 0.02)) / 24000 > 0.5
    # The client's SSE path reads no status: a refused key (401, a JSON body with no `data:` line) yields nothing.
    refused = list(_client(sandbox, BAD_KEY).tts.SSEClient().send(TEXT, tts_config={"lang_code": "en"}))
    assert refused == []


def test_neuphonic_websocket_client_speaks_until_stop_and_refuses_a_bad_key(sandbox: Any) -> None:
    """The client's `AsyncTTSWebsocketClient`, unchanged: its URL query from TTSConfig, a {"text"} message (the
    documents' dict form), `complete()`'s {"text": " <STOP>"}; answers read from its queue until one says stop —
    twice on one socket, a passage each."""
    import asyncio

    from pyneuphonic.models import TTSConfig

    config = TTSConfig(voice_id="8e9c4bc8-3979-48ab-8626-df53befc2090", sampling_rate=24000)

    async def speak() -> list[tuple[bytes, list[bool]]]:
        """Two passages on one socket, each ended by complete() ("all the audio chunks up to that point")."""
        ws = _client(sandbox, sandbox.default_key("neuphonic")).tts.AsyncWebsocketClient()
        await ws.open(config)
        passages = []
        for _ in range(2):
            await ws.send({"text": TEXT})
            await ws.complete()
            pcm, stops = b"", list[bool]()
            while not stops or not stops[-1]:
                message = await asyncio.wait_for(ws.receive(), 10)
                pcm += message.data.audio or b""
                stops.append(bool(getattr(message.data, "stop", False)))
            passages.append((pcm, stops))
        await ws.close()
        return passages

    for pcm, stops in asyncio.run(speak()):
        assert stops[-1] and not any(stops[:-1])
        assert float(np.sum(np.abs(decode_raw(pcm, "pcm_s16le")) > 0.02)) / 24000 > 0.5

    async def refused() -> None:
        await _client(sandbox, BAD_KEY).tts.AsyncWebsocketClient().open(config)

    with pytest.raises(Exception, match="Connection to Neuphonic server failed"):
        asyncio.run(refused())
