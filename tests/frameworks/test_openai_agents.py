"""The OpenAI Agents SDK's voice pipeline TTS (openai-agents[voice], a test extra), unchanged, against the sandbox:
its `OpenAIVoiceModelProvider` pointed at the sandbox by its own `base_url`, the TTS model it gives for no name
(`gpt-4o-mini-tts`) run as `VoicePipeline` runs it — `run(text, TTSModelSettings())`: voice `ash`,
`response_format: pcm`, the pipeline's default `instructions` in the body — its chunks 24 kHz 16-bit PCM.
A bad key is the OpenAI client's own `AuthenticationError`.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from harness.sandbox import Sandbox, running
from tests.helpers.installed import skip_unless_installed

# The SDK keeps one module-global httpx client for every provider it makes (`shared_http_client`), bound to the
# event loop of its first request, as in an app's one long-lived loop: the tests share one loop too.
pytestmark = [
    skip_unless_installed(
        "agents.voice", reason="the OpenAI Agents SDK (voice) is a test extra: pip install -e .[test]"
    ),
    pytest.mark.asyncio(loop_scope="module"),
]

TEXT = "Hello from the sandbox, through the Agents SDK."
RATE = 24000  # the PCM OpenAI's speech endpoint answers: 24 kHz, 16-bit, mono
SPEECH_LEVEL = 0.02


@pytest.fixture(scope="module")
def agents_sandbox() -> Iterator[Sandbox]:
    with running(profile="fast", providers=("openai",)) as sandbox:
        yield sandbox


async def _speak(sandbox: Sandbox, key: str) -> bytes:
    from agents.voice import OpenAIVoiceModelProvider, TTSModelSettings

    tts = OpenAIVoiceModelProvider(api_key=key, base_url=sandbox.base_url("openai")).get_tts_model(None)
    audio = bytearray()
    async for chunk in tts.run(TEXT, TTSModelSettings()):
        audio.extend(chunk)
    return bytes(audio)


async def test_the_voice_pipelines_tts_speaks_the_text(agents_sandbox: Sandbox) -> None:
    audio = await _speak(agents_sandbox, agents_sandbox.default_key("openai"))
    assert len(audio) % 2 == 0, f"{len(audio)} bytes: not whole 16-bit samples"
    samples = np.frombuffer(audio, dtype="<i2").astype(np.float32) / 32768.0
    spoken = float(np.sum(np.abs(samples) > SPEECH_LEVEL)) / RATE
    assert spoken > 0.5, f"{spoken:.2f} s of speech in {len(audio)} bytes"


async def test_a_bad_key_gives_the_clients_own_error(agents_sandbox: Sandbox) -> None:
    import openai

    with pytest.raises(openai.AuthenticationError) as refused:
        await _speak(agents_sandbox, "not-a-key-0123456789")
    assert refused.value.status_code == 401 and "not-a-key-0123456789" not in str(refused.value)
