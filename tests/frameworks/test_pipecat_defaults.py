"""Pipecat's services with their own default models and voices (pipecat-ai 1.14.0), pointed at the sandbox unchanged
(issue 53 item 3: "where a framework or official client's default names a model no reference lists, record that with
the evidence rather than refusing it silently"). Each default below was refused before the declarations were made
current: Cartesia's `sonic-3.6` (no stored page lists it: `source: client`), Deepgram's `aura-2-helena-en` (the official
client's list), Inworld's `inworld-tts-2` (clients' default); all three failed on the declarations before (Inworld's
"Unknown model: inworld-tts-2"). Only what the service cannot do without is given: its key, its URL, a voice where
it has no default."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from harness.sandbox import Sandbox, running
from tests.helpers.pipecat import speak
from tests.helpers.realtime import CARTESIA_VOICE

pytest.importorskip("pipecat", reason="Pipecat's services are a test extra: pip install -e .[test]")
pytest.importorskip("aiohttp", reason="Pipecat's services are a test extra: pip install -e .[test]")

TEXT = "Hello from the sandbox, with the service's own defaults."


def _socket_url(sandbox: Sandbox, provider: str) -> str:
    return sandbox.base_url(provider, "api").replace("http://", "ws://", 1)


def _cartesia(sandbox: Sandbox, key: str) -> Any:
    from pipecat.services.cartesia.tts import CartesiaTTSService as Service

    return Service(
        api_key=key,
        url=_socket_url(sandbox, "cartesia") + "/tts/websocket",
        settings=Service.Settings(voice=CARTESIA_VOICE),
    )  # Cartesia's services name no default voice


def _deepgram(sandbox: Sandbox, key: str) -> Any:
    from pipecat.services.deepgram.tts import DeepgramTTSService as Service

    return Service(api_key=key, base_url=_socket_url(sandbox, "deepgram"))


def _inworld(sandbox: Sandbox, key: str) -> Any:
    from pipecat.services.inworld.tts import InworldTTSService as Service

    return Service(api_key=key, url=_socket_url(sandbox, "inworld") + "/tts/v1/voice:streamBidirectional")


DEFAULTS: dict[str, tuple[Callable[[Sandbox, str], Any], str]] = {
    # provider: (the service with its defaults, the default the sandbox refused before)
    "cartesia": (_cartesia, "sonic-3.6"),
    "deepgram": (_deepgram, "aura-2-helena-en"),
    "inworld": (_inworld, "inworld-tts-2"),
}


@pytest.fixture(scope="module")
def defaults_sandbox() -> Iterator[Sandbox]:
    with running(profile="fast", providers=tuple(DEFAULTS)) as sandbox:
        yield sandbox


@pytest.mark.parametrize("provider", sorted(DEFAULTS))
async def test_the_service_speaks_with_its_own_defaults(provider: str, defaults_sandbox: Sandbox) -> None:
    build, default = DEFAULTS[provider]
    service = build(defaults_sandbox, defaults_sandbox.default_key(provider))
    assert default in (service._settings.model, service._settings.voice)  # the default this test is about
    spoken = await speak(service, TEXT, timeout_s=15)
    spoken.raise_for_errors()
    assert spoken.audio_frames >= 1
    assert spoken.speech_seconds() > 0.5, f"{spoken.speech_seconds():.2f} s of speech in {len(spoken.audio)} bytes"
