"""The leaders' official Python clients, unchanged, against the sandbox's imitation of the BUILT-IN providers
(openai, elevenlabs, cartesia, deepgram: no providers file): per client a synthesis, a streamed call, and a bad
key raising the client's own typed error. (tests/realtime drives the same clients against providers declared in
a providers file; this is the built-ins' evidence, kept small.)

The sandbox serves TLS, as the ElevenLabs client's WebSocket helper requires; HTTP clients get the sandbox's CA
through their own httpx client, WebSocket clients (the `websockets` default context) through SSL_CERT_FILE.
"""

from __future__ import annotations

import base64
import json
import ssl
from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import pytest

from harness.speech import decode, decode_raw

TEXT = "Hello from the sandbox."
MISSING = "the official clients are test extras: pip install -e .[test,realtime-clients]"
BAD_KEY = "not-a-key-the-sandbox-knows"


def _speech_seconds(samples: Any, rate: int) -> float:
    """Seconds of audio above a whisper: real speech, not silence or noise of the right length."""
    return float(np.sum(np.abs(np.asarray(samples)) > 0.02)) / rate


@pytest.fixture(scope="module")
def leaders() -> Iterator[Any]:
    from harness.sandbox import running
    from harness.sandbox.connections import ConnectionTimeouts

    patient = ConnectionTimeouts(keep_alive_s=60.0, head_s=60.0, body_s=60.0)  # the clients' own timeouts rule
    with running(
        profile="fast", tls=True, timeouts=patient, providers=("openai", "elevenlabs", "cartesia", "deepgram")
    ) as sandbox:
        yield sandbox


@pytest.fixture
def tls(leaders: Any, monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    monkeypatch.setenv("SSL_CERT_FILE", str(leaders.ca_file))
    context: ssl.SSLContext = leaders.tls.client_context()
    return context


def test_openai_client_speaks_streams_sse_and_refuses_a_bad_key(leaders: Any, tls: ssl.SSLContext) -> None:
    openai = pytest.importorskip("openai", reason=MISSING)
    base = leaders.base_url("openai", "v1")
    with httpx.Client(verify=tls, timeout=60) as http:
        client = openai.OpenAI(api_key=leaders.default_key("openai"), base_url=base, http_client=http)
        raw = client.audio.speech.with_raw_response.create(
            model="tts-1", voice="alloy", input=TEXT, response_format="wav"
        )
        wav = raw.parse().read()
        pcm = bytearray()
        with client.audio.speech.with_streaming_response.create(
            model="gpt-4o-mini-tts", voice="coral", input=TEXT, response_format="pcm", stream_format="sse"
        ) as streamed:
            events = [json.loads(line[5:]) for line in streamed.iter_lines() if line.startswith("data:")]
        for event in events:
            if event["type"] == "speech.audio.delta":
                pcm.extend(base64.b64decode(event["audio"]))
        with pytest.raises(openai.AuthenticationError) as refused:
            openai.OpenAI(api_key=BAD_KEY, base_url=base, http_client=http).audio.speech.create(
                model="tts-1", voice="alloy", input=TEXT
            )
    # x-request-id on every answer, as the API overview says; the client hands it out on a result and an error.
    assert raw.request_id and refused.value.request_id and raw.request_id != refused.value.request_id
    clip = decode(wav)
    assert _speech_seconds(clip.samples, clip.sample_rate) > 0.3
    assert events[-1]["type"] == "speech.audio.done"
    assert _speech_seconds(decode_raw(bytes(pcm), "pcm_s16le"), 24000) > 0.3  # pcm: 24 kHz, no header


def test_elevenlabs_client_speaks_streams_and_refuses_a_bad_key(leaders: Any, tls: ssl.SSLContext) -> None:
    client_module = pytest.importorskip("elevenlabs.client", reason=MISSING)
    from elevenlabs.core.api_error import ApiError

    base = leaders.base_url("elevenlabs", "api")
    voice, model = "JBFqnCBsd6RMkjVDRZzb", "eleven_flash_v2_5"
    with httpx.Client(verify=tls, timeout=60) as http:
        client = client_module.ElevenLabs(api_key=leaders.default_key("elevenlabs"), base_url=base, httpx_client=http)
        mp3 = b"".join(client.text_to_speech.convert(voice, text=TEXT, model_id=model))
        streamed = b"".join(client.text_to_speech.stream(voice, text=TEXT, model_id=model, output_format="pcm_24000"))
        with pytest.raises(ApiError) as refused:
            b"".join(
                client_module.ElevenLabs(api_key=BAD_KEY, base_url=base, httpx_client=http).text_to_speech.convert(
                    voice, text=TEXT, model_id=model
                )
            )
    assert refused.value.status_code == 401
    clip = decode(mp3)
    assert _speech_seconds(clip.samples, clip.sample_rate) > 0.3
    assert _speech_seconds(decode_raw(streamed, "pcm_s16le"), 24000) > 0.3


def test_elevenlabs_client_streams_text_over_the_built_in_stream_input_socket(
    leaders: Any, tls: ssl.SSLContext
) -> None:
    """The client's convert_realtime (the xi-api-key header on the upgrade, a blank first message, text pieces and
    the empty closing text) against the built-in socket, declared in the WebSocket speech family."""
    client_module = pytest.importorskip("elevenlabs.client", reason=MISSING)
    with httpx.Client(verify=tls, timeout=60) as http:
        client = client_module.ElevenLabs(
            api_key=leaders.default_key("elevenlabs"), base_url=leaders.base_url("elevenlabs", "api"), httpx_client=http
        )
        streamed = b"".join(
            client.text_to_speech.convert_realtime(
                "JBFqnCBsd6RMkjVDRZzb",
                text=iter(["Hello from ", "the sandbox."]),
                model_id="eleven_flash_v2_5",
                output_format="pcm_24000",
            )
        )
    assert len(streamed) % 2 == 0 and _speech_seconds(decode_raw(streamed, "pcm_s16le"), 24000) > 0.3


def test_cartesia_client_speaks_streams_sse_and_a_context_and_refuses_a_bad_key(
    leaders: Any, tls: ssl.SSLContext
) -> None:
    cartesia = pytest.importorskip("cartesia", reason=MISSING)
    base = leaders.base_url("cartesia", "api")
    voice, raw = (
        "a0e99841-438c-4a64-b679-ae501e7d6091",
        {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 24000},
    )
    with httpx.Client(verify=tls, timeout=60) as http:
        client = cartesia.Cartesia(api_key=leaders.default_key("cartesia"), base_url=base, http_client=http)
        wav = client.tts.generate(
            model_id="sonic-3", transcript=TEXT, voice=voice, output_format={**raw, "container": "wav"}
        ).read()
        sse = list(
            client.tts.generate_sse(
                model_id="sonic-3", transcript=TEXT, voice=voice, output_format=raw, add_timestamps=True
            )
        )
        with client.tts.websocket_connect(websocket_connection_options={"open_timeout": 60}) as connection:
            context = connection.context(model_id="sonic-3", voice={"mode": "id", "id": voice}, output_format=raw)
            context.push(TEXT)
            context.no_more_inputs()
            responses = list(context.receive())
        with pytest.raises(cartesia.AuthenticationError):
            cartesia.Cartesia(api_key=BAD_KEY, base_url=base, http_client=http).tts.generate(
                model_id="sonic-3", transcript=TEXT, voice=voice, output_format={**raw, "container": "wav"}
            ).read()
    assert _speech_seconds(decode(wav).samples, 24000) > 0.3
    streamed = b"".join(e.audio for e in sse if e.type == "chunk" and e.audio)
    assert _speech_seconds(decode_raw(streamed, "pcm_s16le"), 24000) > 0.3 and sse[-1].type == "done"
    # the words as the reference's example writes them, without their punctuation ("Hello, world!": ["Hello", "world"])
    assert [w for e in sse if e.type == "timestamps" for w in e.word_timestamps.words] == TEXT.rstrip(".").split()
    audio = b"".join(r.audio for r in responses if r.type == "chunk" and r.audio)
    assert _speech_seconds(decode_raw(audio, "pcm_s16le"), 24000) > 0.3 and responses[-1].type == "done"


def test_deepgram_client_speaks_streams_and_refuses_a_bad_key(leaders: Any, tls: ssl.SSLContext) -> None:
    """`generate` is Deepgram's streamed REST call (the audio iterated as it arrives). Its speak socket is driven
    by tests/realtime/test_official_clients.py against the same imitation: this client's WebSocket helper takes
    no handshake timeout (websockets' 10 s), which a loaded 2-core machine has outrun here once."""
    pytest.importorskip("deepgram", reason=MISSING)
    from deepgram import DeepgramClient
    from deepgram.core.api_error import ApiError
    from deepgram.environment import DeepgramClientEnvironment

    base = leaders.base_url("deepgram", "api")
    origin = base.replace("https://", "wss://")
    environment = DeepgramClientEnvironment(base=base, production=origin, agent=origin, agent_rest=base)
    model = "aura-2-thalia-en"
    with httpx.Client(verify=tls, timeout=60) as http:
        client = DeepgramClient(api_key=leaders.default_key("deepgram"), environment=environment, httpx_client=http)
        pieces = list(client.speak.v1.audio.generate(text=TEXT, model=model, encoding="linear16", sample_rate=16000))
        with pytest.raises(ApiError) as refused:
            b"".join(
                DeepgramClient(api_key=BAD_KEY, environment=environment, httpx_client=http).speak.v1.audio.generate(
                    text=TEXT, model=model
                )
            )
    assert refused.value.status_code == 401
    assert len(pieces) > 1  # the client yields the body piece by piece as it reads it
    assert _speech_seconds(decode(b"".join(pieces)).samples, 16000) > 0.3


def test_deepgram_client_gets_raw_pcm_at_the_asked_rate_for_container_none(leaders: Any, tls: ssl.SSLContext) -> None:
    """`container=none` asks for the samples alone ("The Container feature allows users to specify the desired file
    format wrapper for the output audio", Deepgram's Container page; the reference's `container` enum: none, wav,
    ogg): no RIFF header, 16-bit samples at the asked rate, as many as the WAV answer of the same request holds."""
    pytest.importorskip("deepgram", reason=MISSING)
    from deepgram import DeepgramClient
    from deepgram.environment import DeepgramClientEnvironment

    base = leaders.base_url("deepgram", "api")
    origin = base.replace("https://", "wss://")
    environment = DeepgramClientEnvironment(base=base, production=origin, agent=origin, agent_rest=base)
    model = "aura-2-thalia-en"
    with httpx.Client(verify=tls, timeout=60) as http:
        client = DeepgramClient(api_key=leaders.default_key("deepgram"), environment=environment, httpx_client=http)
        raw = b"".join(
            client.speak.v1.audio.generate(
                text=TEXT, model=model, encoding="linear16", container="none", sample_rate=16000
            )
        )
        wav = b"".join(
            client.speak.v1.audio.generate(
                text=TEXT, model=model, encoding="linear16", container="wav", sample_rate=16000
            )
        )
    assert not raw.startswith(b"RIFF") and len(raw) % 2 == 0
    clip = decode(wav)
    assert clip.sample_rate == 16000
    assert len(raw) // 2 == len(clip.samples)  # the same samples at the same rate, only the header gone
    assert _speech_seconds(decode_raw(raw, "pcm_s16le"), 16000) > 0.3
