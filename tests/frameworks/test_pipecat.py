"""Pipecat's own TTS services (pipecat-ai, a test extra), unchanged, against the sandbox's imitations: each
service is pointed at the sandbox through its own options (a base URL or a socket URL) and run as a Pipecat
app runs it (tests.helpers.pipecat): a `TTSSpeakFrame` gives its audio frames — real speech at the service's
sample rate —, and a bad key gives the service's own ErrorFrame. For a WebSocket service the speech is its
streaming form: text sent on the socket, audio frames as the chunks arrive.

Not here, each for a reason of Pipecat's (docs/providers.md): no option names another host for
`RimeHttpTTSService` (https://users.rime.ai/v1/rime-tts), `InworldHttpTTSService` (https://api.inworld.ai/tts/v1/voice),
`FishAudioTTSService` (wss://api.fish.audio/v1/tts/live), `MistralTTSService` (`Mistral(api_key=...)` only) and
Google's services (the endpoint is built from `location`: `{location}-texttospeech.googleapis.com`); Pipecat's aws
extra (`AWSPollyTTSService`) pins a botocore older than boto3's here, and its Azure services (not installed: a native
SDK) speak the Speech SDK's socket, not the REST endpoint the sandbox imitates. `GroqTTSService` takes no base URL
either: its client, groq's `AsyncGroq`, reads GROQ_BASE_URL, which is how it is pointed here.

A request of Pipecat's that the sandbox refuses is a strict xfail naming the refusal: it flips (and fails, strict)
once the sandbox serves it.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from harness.sandbox import Sandbox, running
from tests.helpers.pipecat import ServiceReportedError, speak, speak_turns
from tests.helpers.realtime import CARTESIA_MODEL, CARTESIA_VOICE, DEEPGRAM_MODEL, ELEVEN_MODEL, ELEVEN_VOICE

pytest.importorskip("pipecat", reason="Pipecat's services are a test extra: pip install -e .[test]")
pytest.importorskip("aiohttp", reason="Pipecat's services are a test extra: pip install -e .[test]")

import aiohttp  # after the skip: it comes with pipecat-ai

TEXT = "Hello from the sandbox, through Pipecat."
BAD_KEY = "not-a-key-0123456789"
PROVIDERS = (
    "openai",
    "cartesia",
    "elevenlabs",
    "deepgram",
    "rime",
    "minimax",
    "inworld",
    "speechify",
    "xai",
    "together",
    "neuphonic",
    "resemble",
    "smallest",
    "groq",
    "sarvam",
    "speechmatics",
)
RIME_MODEL, RIME_VOICE = "arcana", "celeste"  # a model and the voice Rime's documents pair with it
NEUPHONIC_VOICE = "8e9c4bc8-3979-48ab-8626-df53befc2090"  # the sandbox's voices: each provider's declared ones
RESEMBLE_VOICE = "55592656"

Build = Callable[[Sandbox, str, aiohttp.ClientSession], Any]


@dataclass(frozen=True)
class Case:
    """One of Pipecat's services: how an app points it at the sandbox, and the words of its bad-key error."""

    id: str
    provider: str
    build: Build
    bad_key: str  # a pattern the service's ErrorFrame text matches for a refused key
    speak_refused: str | None = None  # the sandbox's refusal of a request the service sends to speak, if any
    key_refused: str | None = None  # the refusal that comes before the key is even looked at, if any
    environ: Callable[[Sandbox], dict[str, str]] = lambda _sandbox: {}  # settings its client reads from there
    rate: int | None = None  # the audio frames' rate where it is not the one the service asks for


def _socket_url(sandbox: Sandbox, provider: str, host: str = "api") -> str:
    return sandbox.base_url(provider, host).replace("http://", "ws://", 1)


def _openai(sandbox: Sandbox, key: str, _session: aiohttp.ClientSession) -> Any:
    from pipecat.services.openai.tts import OpenAITTSService as Service

    return Service(
        api_key=key,
        base_url=sandbox.base_url("openai"),
        settings=Service.Settings(model="gpt-4o-mini-tts", voice="alloy"),
    )


def _cartesia_http(sandbox: Sandbox, key: str, session: aiohttp.ClientSession) -> Any:
    from pipecat.services.cartesia.tts import CartesiaHttpTTSService as Service

    return Service(
        api_key=key,
        base_url=sandbox.base_url("cartesia", "api"),
        aiohttp_session=session,
        settings=Service.Settings(model=CARTESIA_MODEL, voice=CARTESIA_VOICE),
    )


def _cartesia_socket(sandbox: Sandbox, key: str, _session: aiohttp.ClientSession) -> Any:
    from pipecat.services.cartesia.tts import CartesiaTTSService as Service

    return Service(
        api_key=key,
        url=_socket_url(sandbox, "cartesia") + "/tts/websocket",
        settings=Service.Settings(model=CARTESIA_MODEL, voice=CARTESIA_VOICE),
    )


def _elevenlabs_http(sandbox: Sandbox, key: str, session: aiohttp.ClientSession) -> Any:
    from pipecat.services.elevenlabs.tts import ElevenLabsHttpTTSService as Service

    return Service(
        api_key=key,
        base_url=sandbox.base_url("elevenlabs", "api"),
        aiohttp_session=session,
        settings=Service.Settings(model=ELEVEN_MODEL, voice=ELEVEN_VOICE),
    )


def _elevenlabs_socket(sandbox: Sandbox, key: str, _session: aiohttp.ClientSession) -> Any:
    from pipecat.services.elevenlabs.tts import ElevenLabsTTSService as Service

    return Service(
        api_key=key,
        url=_socket_url(sandbox, "elevenlabs"),
        settings=Service.Settings(model=ELEVEN_MODEL, voice=ELEVEN_VOICE),
    )


def _deepgram_http(sandbox: Sandbox, key: str, session: aiohttp.ClientSession) -> Any:
    from pipecat.services.deepgram.tts import DeepgramHttpTTSService as Service

    return Service(
        api_key=key,
        base_url=sandbox.base_url("deepgram", "api"),
        aiohttp_session=session,
        settings=Service.Settings(voice=DEEPGRAM_MODEL),
    )


def _deepgram_socket(sandbox: Sandbox, key: str, _session: aiohttp.ClientSession) -> Any:
    from pipecat.services.deepgram.tts import DeepgramTTSService as Service

    return Service(
        api_key=key, base_url=_socket_url(sandbox, "deepgram"), settings=Service.Settings(voice=DEEPGRAM_MODEL)
    )


def _rime_socket(sandbox: Sandbox, key: str, _session: aiohttp.ClientSession) -> Any:
    from pipecat.services.rime.tts import RimeTTSService as Service

    return Service(
        api_key=key,
        url=_socket_url(sandbox, "rime", "ws") + "/ws3",
        settings=Service.Settings(model=RIME_MODEL, voice=RIME_VOICE),
    )


def _rime_plain_socket(sandbox: Sandbox, key: str, _session: aiohttp.ClientSession) -> Any:
    from pipecat.services.rime.tts import RimeNonJsonTTSService as Service

    # Its default is wss://users.rime.ai/ws, Rime's HTTP host; Rime's reference names wss://users-ws.rime.ai/ws, the
    # host of its JSON socket too (the sandbox's "ws"): pointed there (docs/providers.md, clients that differ).
    return Service(
        api_key=key,
        url=_socket_url(sandbox, "rime", "ws") + "/ws",
        settings=Service.Settings(model=RIME_MODEL, voice=RIME_VOICE),
    )


def _minimax_http(sandbox: Sandbox, key: str, session: aiohttp.ClientSession) -> Any:
    from pipecat.services.minimax.tts import MiniMaxHttpTTSService as Service

    return Service(
        api_key=key,
        group_id="sandbox-group",
        base_url=sandbox.base_url("minimax") + "/v1/t2a_v2",
        aiohttp_session=session,
        settings=Service.Settings(voice="English_Graceful_Lady"),
    )


def _inworld_socket(sandbox: Sandbox, key: str, _session: aiohttp.ClientSession) -> Any:
    from pipecat.services.inworld.tts import InworldTTSService as Service

    return Service(
        api_key=key,
        url=_socket_url(sandbox, "inworld") + "/tts/v1/voice:streamBidirectional",
        settings=Service.Settings(voice="Ashley", model="inworld-tts-1.5-max"),
    )


def _speechify_http(sandbox: Sandbox, key: str, session: aiohttp.ClientSession) -> Any:
    from pipecat.services.speechify.tts import SpeechifyHttpTTSService as Service

    return Service(
        api_key=key,
        base_url=sandbox.base_url("speechify"),
        aiohttp_session=session,
        # a streaming-native model: the legacy simba-english is "400 speech_marks_unsupported" on this route
        settings=Service.Settings(voice="george", model="simba-3.0"),
    )


def _xai_http(sandbox: Sandbox, key: str, session: aiohttp.ClientSession) -> Any:
    from pipecat.services.xai.tts import XAIHttpTTSService as Service

    return Service(
        api_key=key,
        base_url=sandbox.base_url("xai") + "/v1/tts",
        aiohttp_session=session,
        settings=Service.Settings(voice="eve"),
    )


def _xai_socket(sandbox: Sandbox, key: str, _session: aiohttp.ClientSession) -> Any:
    from pipecat.services.xai.tts import XAITTSService as Service

    return Service(
        api_key=key, base_url=_socket_url(sandbox, "xai") + "/v1/tts", settings=Service.Settings(voice="eve")
    )


def _together_socket(sandbox: Sandbox, key: str, _session: aiohttp.ClientSession) -> Any:
    from pipecat.services.together.tts import TogetherTTSService as Service

    return Service(
        api_key=key,
        url=_socket_url(sandbox, "together") + "/v1/audio/speech/websocket",
        settings=Service.Settings(model="canopylabs/orpheus-3b-0.1-ft", voice="tara"),
    )


def _neuphonic_http(sandbox: Sandbox, key: str, session: aiohttp.ClientSession) -> Any:
    from pipecat.services.neuphonic.tts import NeuphonicHttpTTSService as Service

    return Service(
        api_key=key,
        url=sandbox.base_url("neuphonic"),
        aiohttp_session=session,
        settings=Service.Settings(voice=NEUPHONIC_VOICE),
    )


def _neuphonic_socket(sandbox: Sandbox, key: str, _session: aiohttp.ClientSession) -> Any:
    from pipecat.services.neuphonic.tts import NeuphonicTTSService as Service

    return Service(api_key=key, url=_socket_url(sandbox, "neuphonic"), settings=Service.Settings(voice=NEUPHONIC_VOICE))


def _resemble_socket(sandbox: Sandbox, key: str, _session: aiohttp.ClientSession) -> Any:
    from pipecat.services.resembleai.tts import ResembleAITTSService as Service

    return Service(
        api_key=key,
        url=_socket_url(sandbox, "resemble", "websocket") + "/stream",
        settings=Service.Settings(voice=RESEMBLE_VOICE),
    )


def _smallest_socket(sandbox: Sandbox, key: str, _session: aiohttp.ClientSession) -> Any:
    from pipecat.services.smallest.tts import SmallestTTSService as Service

    return Service(
        api_key=key,
        base_url=_socket_url(sandbox, "smallest"),
        settings=Service.Settings(model="lightning_v3.1", voice="emily"),
    )


def _sarvam_http(sandbox: Sandbox, key: str, session: aiohttp.ClientSession) -> Any:
    from pipecat.services.sarvam.tts import SarvamHttpTTSService as Service

    return Service(
        api_key=key,
        base_url=sandbox.base_url("sarvam"),
        aiohttp_session=session,
        settings=Service.Settings(model="bulbul:v3", voice="shubh"),
    )


def _sarvam_socket(sandbox: Sandbox, key: str, _session: aiohttp.ClientSession) -> Any:
    from pipecat.services.sarvam.tts import SarvamTTSService as Service

    return Service(
        api_key=key,
        url=_socket_url(sandbox, "sarvam") + "/text-to-speech/ws",
        settings=Service.Settings(model="bulbul:v3", voice="shubh"),
    )


def _speechmatics_http(sandbox: Sandbox, key: str, session: aiohttp.ClientSession) -> Any:
    from pipecat.services.speechmatics.tts import SpeechmaticsTTSService as Service

    return Service(
        api_key=key,
        base_url=sandbox.base_url("speechmatics"),
        aiohttp_session=session,
        settings=Service.Settings(voice="sarah"),
    )


def _groq(_sandbox: Sandbox, key: str, _session: aiohttp.ClientSession) -> Any:
    from pipecat.services.groq.tts import GroqTTSService as Service

    return Service(api_key=key, settings=Service.Settings(model="canopylabs/orpheus-v1-english", voice="autumn"))


def _groq_environ(sandbox: Sandbox) -> dict[str, str]:
    """GroqTTSService takes no base URL; its client (groq's AsyncGroq) reads GROQ_BASE_URL, its documented way."""
    return {"GROQ_BASE_URL": sandbox.base_url("groq")}


CASES = (
    Case("openai", "openai", _openai, bad_key=r"401 - Incorrect API key provided"),
    Case("cartesia-http", "cartesia", _cartesia_http, bad_key=r"status 401.*invalid_api_key"),
    Case("cartesia-socket", "cartesia", _cartesia_socket, bad_key=r"rejected WebSocket connection: HTTP 401"),
    Case("elevenlabs-http", "elevenlabs", _elevenlabs_http, bad_key=r"invalid_api_key"),
    Case("elevenlabs-socket", "elevenlabs", _elevenlabs_socket, bad_key=r"invalid_api_key|HTTP 401"),
    Case("deepgram-http", "deepgram", _deepgram_http, bad_key=r"HTTP 401.*Invalid credentials"),
    Case(
        "deepgram-socket",
        "deepgram",
        _deepgram_socket,
        bad_key=r"refused the connection \(HTTP 401\): Invalid credentials",
    ),
    Case("rime-socket", "rime", _rime_socket, bad_key=r"rejected WebSocket connection: HTTP 401"),
    Case("rime-plain-socket", "rime", _rime_plain_socket, bad_key=r"rejected WebSocket connection: HTTP 401"),
    Case("minimax-http", "minimax", _minimax_http, bad_key=r"MiniMax TTS error: HTTP 401"),
    Case("inworld-socket", "inworld", _inworld_socket, bad_key=r"rejected WebSocket connection: HTTP 401"),
    Case("speechify-http", "speechify", _speechify_http, bad_key=r"Speechify API error: .*Invalid API key"),
    Case("xai-http", "xai", _xai_http, bad_key=r"status: 401.*Incorrect API key provided"),
    # xAI's socket rests on its clients' evidence (harness/providers/xai/sockets.py, source: client): this service's.
    Case("xai-socket", "xai", _xai_socket, bad_key=r"HTTP 401"),
    Case("together-socket", "together", _together_socket, bad_key=r"rejected WebSocket connection: HTTP 401"),
    Case("neuphonic-http", "neuphonic", _neuphonic_http, bad_key=r"HTTP 401 .*Invalid API key"),
    Case("neuphonic-socket", "neuphonic", _neuphonic_socket, bad_key=r"rejected WebSocket connection: HTTP 401"),
    Case("resemble-socket", "resemble", _resemble_socket, bad_key=r"rejected WebSocket connection: HTTP 401"),
    Case("smallest-socket", "smallest", _smallest_socket, bad_key=r"rejected WebSocket connection: HTTP 401"),
    Case("sarvam-http", "sarvam", _sarvam_http, bad_key=r"Sarvam API error: .*invalid_api_key_error"),
    Case("sarvam-socket", "sarvam", _sarvam_socket, bad_key=r"rejected WebSocket connection: HTTP 401"),
    # SpeechmaticsTTSService reads no error body: a refused key is its "Service unavailable [401]".
    Case("speechmatics-http", "speechmatics", _speechmatics_http, bad_key=r"Service unavailable \[401\]"),
    # GroqTTSService passes the WAV's own rate on: Groq's one rate, 48 kHz ("Must be 48000 Hz for Groq TTS").
    Case("groq", "groq", _groq, bad_key=r"Error code: 401 .*invalid_api_key", environ=_groq_environ, rate=48000),
)


def _cases(refusal: Callable[[Case], str | None], raises: type[BaseException]) -> list[Any]:
    return [
        pytest.param(
            case,
            id=case.id,
            marks=[pytest.mark.xfail(strict=True, raises=raises, reason=reason)] if (reason := refusal(case)) else [],
        )
        for case in CASES
    ]


@pytest.fixture(scope="module")
def pipecat_sandbox() -> Iterator[Sandbox]:
    """Plain HTTP and WS: every service here takes an http:// or ws:// URL, so no CA is needed."""
    with running(profile="fast", providers=PROVIDERS) as sandbox:
        yield sandbox


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """The aiohttp session an app hands the HTTP services that take one (their own default otherwise)."""
    async with aiohttp.ClientSession() as http:
        yield http


@pytest.mark.parametrize("case", _cases(lambda case: case.speak_refused, ServiceReportedError))
async def test_the_service_speaks_the_text(
    case: Case, pipecat_sandbox: Sandbox, session: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in case.environ(pipecat_sandbox).items():
        monkeypatch.setenv(name, value)
    service = case.build(pipecat_sandbox, pipecat_sandbox.default_key(case.provider), session)
    spoken = await speak(service, TEXT, timeout_s=15)
    spoken.raise_for_errors()
    # The rate the service asked for (Pipecat's 24 kHz but where the service keeps its own), or the case's.
    assert spoken.sample_rates == {case.rate or service.sample_rate} and spoken.audio_frames >= 1
    assert spoken.speech_seconds() > 0.5, f"{spoken.speech_seconds():.2f} s of speech in {len(spoken.audio)} bytes"


@pytest.mark.parametrize("case", _cases(lambda case: case.key_refused, AssertionError))
async def test_a_bad_key_gives_the_services_own_error(
    case: Case, pipecat_sandbox: Sandbox, session: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in case.environ(pipecat_sandbox).items():
        monkeypatch.setenv(name, value)
    spoken = await speak(case.build(pipecat_sandbox, BAD_KEY, session), TEXT, timeout_s=15)
    assert not spoken.audio
    assert spoken.errors and re.search(case.bad_key, spoken.errors[0]), spoken.errors
    assert not any(BAD_KEY in error for error in spoken.errors)  # the key is never repeated back


async def test_elevenlabs_socket_speaks_two_turns_on_one_connection(
    pipecat_sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    """An agent keeps ElevenLabsTTSService's multi-context socket across turns: each turn a context of its own
    ({"text": " ", "context_id"} opening it, close_context ending it), the second opened on the same connection."""
    service = _elevenlabs_socket(pipecat_sandbox, pipecat_sandbox.default_key("elevenlabs"), session)
    sockets: list[int] = []
    turns = await speak_turns(
        service,
        [TEXT, "And a second turn, on the same socket."],
        timeout_s=15,
        after_turn=lambda _index: sockets.append(id(service._websocket)),
    )
    for spoken in turns:
        spoken.raise_for_errors()
        assert spoken.sample_rates == {service.sample_rate} and spoken.audio_frames >= 1
        assert spoken.speech_seconds() > 0.5, f"{spoken.speech_seconds():.2f} s of speech in {len(spoken.audio)} bytes"
    assert len(sockets) == 2 and sockets[0] == sockets[1], "the second turn came on another connection"
