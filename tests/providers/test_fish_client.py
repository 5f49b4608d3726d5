"""Fish Audio's official client `fish-audio-sdk`, unchanged, against the sandbox's imitation of the built-in `fish`
(the HTTP speech family's `/v1/tts`): a streamed synthesis sent as the client sends it (a MessagePack body, the model
in a header), and a bad key as the client's own typed `HttpCodeErr`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from harness.speech import decode

TEXT = "Hello from the sandbox."
BAD_KEY = "not-a-key-the-sandbox-knows"

fish_audio_sdk = pytest.importorskip(
    "fish_audio_sdk", reason="the official clients are test extras: pip install -e .[test]"
)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from harness.sandbox import running

    with running(profile="fast", providers=("fish",)) as running_sandbox:
        yield running_sandbox


def test_fish_client_streams_msgpack_requests_and_refuses_a_bad_key(sandbox: Any) -> None:
    from fish_audio_sdk import Session, TTSRequest
    from fish_audio_sdk.exceptions import HttpCodeErr

    base = sandbox.base_url("fish", "api")
    session = Session(sandbox.default_key("fish"), base_url=base)
    request = TTSRequest(text=TEXT, reference_id="7f92f8afb8ec43bf81429cc1c9199cb1")
    audio = b"".join(session.tts(request, backend="s1"))  # type: ignore[arg-type]
    clip = decode(audio)
    assert float(np.sum(np.abs(np.asarray(clip.samples)) > 0.02)) / clip.sample_rate > 0.5
    with pytest.raises(HttpCodeErr) as refused:
        b"".join(Session(BAD_KEY, base_url=base).tts(request, backend="s1"))  # type: ignore[arg-type]
    assert refused.value.status == 401


def test_a_body_that_is_not_messagepack_is_refused_in_one_line(sandbox: Any) -> None:
    import httpx

    answer = httpx.post(
        sandbox.base_url("fish", "api") + "/v1/tts",
        content=b"\xc1\xc1 not msgpack",
        headers={
            "Authorization": f"Bearer {sandbox.default_key('fish')}",
            "Content-Type": "application/msgpack",
            "model": "s1",
        },
    )
    assert answer.status_code == 400
    assert "not valid MessagePack" in answer.json()["message"]


def test_fish_live_websocket_speaks_msgpack_events_and_refuses_a_bad_key(sandbox: Any) -> None:
    """The official client's live socket (`FishAudio.tts.stream_websocket`), unchanged: MessagePack start, text,
    flush and stop; audio events read until finish. A bad key is refused on the upgrade."""
    from fishaudio import FishAudio
    from fishaudio.types import FlushEvent
    from httpx_ws import WebSocketUpgradeError

    from harness.speech import decode_raw

    base = sandbox.base_url("fish", "api")
    client = FishAudio(api_key=sandbox.default_key("fish"), base_url=base)
    chunks = ["Hello from ", "the sandbox.", FlushEvent(), " And goodbye."]
    pcm = b"".join(
        client.tts.stream_websocket(
            iter(chunks), reference_id="7f92f8afb8ec43bf81429cc1c9199cb1", format="pcm", model="s1"
        )
    )
    assert float(np.sum(np.abs(decode_raw(pcm, "pcm_s16le")) > 0.02)) / 44100 > 0.5
    with pytest.raises(WebSocketUpgradeError) as refused:
        b"".join(FishAudio(api_key=BAD_KEY, base_url=base).tts.stream_websocket(iter([TEXT]), model="s1"))
    assert refused.value.response.status_code == 401
