"""The voice-agent frameworks' realtime speech-to-speech services (issue 80), unchanged, against the sandbox's
imitations of OpenAI's Realtime API (GA) and Gemini's Live API: each service is pointed at the sandbox through its
own constructor options (the host and the key; otherwise its defaults: its default model, voice and session), asked
to answer a user's message the way an app asks it, and must give back speech (above a whisper, not silence) at the
service's own sample rate, with the service's transcript of it the asked text — the sandbox's model says what it is
asked to say (docs/sandbox-differences.md). One TLS sandbox for the module: google-genai, under Pipecat's Gemini
service, insists on wss.

- Pipecat's `OpenAIRealtimeLLMService` (`base_url`, the socket's URL) and `GeminiLiveLLMService` (`http_options`,
  google-genai's): an `LLMContextFrame` holding the user's message, as a context aggregator pushes it, run as
  tests.helpers.pipecat runs a service (no transport); the audio is its `TTSAudioRawFrame`s until `TTSStoppedFrame`.
  Pipecat's Gemini service sets `api_version: v1beta` beside the host: google-genai 3.6.1's own default is `v1`, a
  Live path no stored page names (the sandbox answers it 404 with a finding, as any undeclared socket path).
- LiveKit's OpenAI `RealtimeModel` (`base_url`; `http_session`, the aiohttp session an app gives it, here one that
  trusts the sandbox's CA): a `RealtimeSession` given the user's message (`update_chat_ctx`) and asked to reply
  (`generate_reply`), its generation's audio stream read.

Not here: livekit-plugins-google (its `RealtimeModel` for the Live API) is not installed (not in the test extra: the
plugin is left out for the pins of its TTS, docs/providers.md, "Evidence from LiveKit Agents").

What the frameworks sent that the sandbox had refused, each fixed from the documents: Pipecat's default model
`gpt-realtime-2.1` and LiveKit's `gpt-realtime` (both in the official client's list of the session's models: spoken as
gpt-realtime-1.5, unpriced); Pipecat's `session.update` without `audio.output` (the voice and format are optional:
the session's defaults); Gemini's `realtimeInput` (one of the Live API's four client messages: taken, not heard).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from harness.sandbox import Sandbox, running
from tests.helpers.installed import skip_unless_installed
from tests.helpers.livekit import PluginReportedError
from tests.helpers.livekit import Spoken as LiveKitSpoken
from tests.helpers.pipecat import answer

pytestmark = skip_unless_installed(
    "pipecat",
    "livekit.agents",
    "google.genai",
    reason="the frameworks' services are a test extra: pip install -e .[test]",
)

TEXT = "Hello from the sandbox."
SPEECH_S = 0.4  # seconds above a whisper the words take at least (0.5 to 1.4 s in the sandbox's voices)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with running(profile="fast", providers=("openai", "gemini"), tls=True) as served:
        yield served


@pytest.fixture
def trusted(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The clients that build their own TLS context per connection (`websockets`, google-genai) trust the sandbox's
    CA through SSL_CERT_FILE; the context itself is for those given one (aiohttp's, read once at its import)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(sandbox.ca_file))
    assert sandbox.tls is not None
    return sandbox.tls.client_context()


@dataclass(frozen=True)
class PipecatCase:
    """One of Pipecat's realtime services: how an app points it at the sandbox, and the rate it says its audio is."""

    id: str
    build: Callable[[Sandbox], Any]
    rate: Callable[[], int]


def _pipecat_openai(sandbox: Sandbox) -> Any:
    from pipecat.services.openai.realtime.llm import OpenAIRealtimeLLMService

    socket = sandbox.base_url("openai", "v1").replace("https://", "wss://", 1) + "/realtime"
    return OpenAIRealtimeLLMService(api_key=sandbox.default_key("openai"), base_url=socket)


def _pipecat_openai_rate() -> int:
    from pipecat.services.openai._constants import OPENAI_SAMPLE_RATE  # what its audio frames say

    return int(OPENAI_SAMPLE_RATE)


def _pipecat_gemini(sandbox: Sandbox) -> Any:
    from google.genai.types import HttpOptions
    from pipecat.services.google.gemini_live.llm import GeminiLiveLLMService

    return GeminiLiveLLMService(
        api_key=sandbox.default_key("gemini"),
        http_options=HttpOptions(base_url=sandbox.base_url("gemini", "api"), api_version="v1beta"),
    )


PIPECAT = (
    PipecatCase("pipecat-openai", _pipecat_openai, _pipecat_openai_rate),
    # GeminiLiveLLMService's `_sample_rate = 24000`, the rate its audio frames say where the mime type names none
    PipecatCase("pipecat-gemini", _pipecat_gemini, lambda: 24000),
)


@pytest.mark.parametrize("case", PIPECAT, ids=lambda case: case.id)
async def test_a_pipecat_realtime_service_speaks_the_users_message(
    case: PipecatCase, sandbox: Sandbox, trusted: Any
) -> None:
    from pipecat.frames.frames import LLMContextFrame
    from pipecat.processors.aggregators.llm_context import LLMContext

    service = case.build(sandbox)
    spoken = await answer(service, LLMContextFrame(LLMContext(messages=[{"role": "user", "content": TEXT}])))
    spoken.raise_for_errors()
    assert spoken.sample_rates == {case.rate()} and spoken.audio_frames >= 1, (spoken.sample_rates, spoken.frame_names)
    assert spoken.speech_seconds() > SPEECH_S, f"{spoken.speech_seconds():.2f} s of speech in {len(spoken.audio)} bytes"
    assert spoken.said.strip() == TEXT, spoken.said  # the transcript the service pushed (its TTSTextFrames)


async def _livekit_reply(sandbox: Sandbox, trusted: Any) -> tuple[LiveKitSpoken, str]:
    """LiveKit's OpenAI RealtimeModel given the user's message and asked to reply; its audio and transcript."""
    import aiohttp
    from livekit.agents import llm
    from livekit.plugins.openai.realtime import RealtimeModel

    spoken, said = LiveKitSpoken(), ""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=trusted)) as http:
        model = RealtimeModel(
            api_key=sandbox.default_key("openai"), base_url=sandbox.base_url("openai", "v1"), http_session=http
        )
        session = model.session()
        try:
            chat = session.chat_ctx.copy()
            chat.add_message(role="user", content=TEXT)
            await session.update_chat_ctx(chat)
            generation = await session.generate_reply()
            async for message in generation.message_stream:
                async for frame in message.audio_stream:
                    spoken.audio.extend(bytes(frame.data.cast("B")))
                    spoken.sample_rates.add(frame.sample_rate)
                    spoken.frames += 1
                said += "".join([str(piece) async for piece in message.text_stream])
        except llm.RealtimeError as error:
            raise PluginReportedError(
                f"after {len(spoken.audio)} bytes of audio, the session raised {type(error).__name__}: {error}"
            ) from error
        finally:
            await session.aclose()
            await model.aclose()
    return spoken, said


async def test_livekits_openai_realtime_model_speaks_the_users_message(sandbox: Sandbox, trusted: Any) -> None:
    from livekit.plugins.openai.realtime.realtime_model import SAMPLE_RATE

    spoken, said = await _livekit_reply(sandbox, trusted)
    assert spoken.sample_rates == {SAMPLE_RATE} and spoken.frames >= 1, (spoken.sample_rates, spoken.frames)
    assert spoken.speech_seconds() > SPEECH_S, f"{spoken.speech_seconds():.2f} s of speech in {len(spoken.audio)} bytes"
    assert said.strip() == TEXT, said
