"""Each provider's official Python client, unchanged, completes a synthesis against the sandbox's imitation
over HTTP and over its WebSocket (install them with `pip install -e .[realtime-clients]`).

The sandbox serves TLS here, as the ElevenLabs client requires (its WebSocket helper always uses wss://
on the base URL's host): HTTP clients get the CA through their own httpx client, WebSocket clients (the
`websockets` library's default context) through SSL_CERT_FILE.
"""

from __future__ import annotations

import ssl
from typing import Any

import httpx
import numpy as np
import pytest

from harness.speech import decode, decode_raw
from tests.helpers.realtime import CARTESIA_MODEL, CARTESIA_VOICE, DEEPGRAM_MODEL, ELEVEN_MODEL, ELEVEN_VOICE

TEXT = "Hello from the sandbox."
MISSING = "the official clients are a test extra: pip install -e .[realtime-clients]"


def _speech_seconds(samples: Any, rate: int) -> float:
    """Seconds of audio above a whisper: real speech, not silence or noise of the right length."""
    return float(np.sum(np.abs(np.asarray(samples)) > 0.02)) / rate


def test_elevenlabs_client_speaks_over_http_and_the_stream_input_socket(
    realtime_sandbox: Any, trust_sandbox_ca: ssl.SSLContext
) -> None:
    client_module = pytest.importorskip("elevenlabs.client", reason=MISSING)
    base = realtime_sandbox.base_url("eleven", "api")
    with httpx.Client(verify=trust_sandbox_ca, timeout=60) as http:
        client = client_module.ElevenLabs(
            api_key=realtime_sandbox.default_key("eleven"), base_url=base, httpx_client=http
        )
        mp3 = b"".join(client.text_to_speech.convert(ELEVEN_VOICE, text=TEXT, model_id=ELEVEN_MODEL))
        streamed = b"".join(
            client.text_to_speech.convert_realtime(
                ELEVEN_VOICE,
                text=iter(["Hello from ", "the sandbox."]),
                model_id=ELEVEN_MODEL,
                output_format="pcm_24000",
            )
        )
    clip = decode(mp3)
    assert clip.sample_rate == 44100 and _speech_seconds(clip.samples, 44100) > 0.3  # mp3_44100_128, the default
    assert len(streamed) % 2 == 0 and _speech_seconds(decode_raw(streamed, "pcm_s16le"), 24000) > 0.3


def test_cartesia_client_speaks_over_http_and_a_websocket_context(
    realtime_sandbox: Any, trust_sandbox_ca: ssl.SSLContext
) -> None:
    cartesia = pytest.importorskip("cartesia", reason=MISSING)
    raw = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 24000}
    with httpx.Client(verify=trust_sandbox_ca, timeout=60) as http:
        client = cartesia.Cartesia(
            api_key=realtime_sandbox.default_key("carte"),
            base_url=realtime_sandbox.base_url("carte", "api"),
            http_client=http,
        )
        wav = client.tts.generate(
            model_id=CARTESIA_MODEL, transcript=TEXT, voice=CARTESIA_VOICE, output_format={**raw, "container": "wav"}
        ).read()
        # The client's own handshake timeout (websockets' 10 s) ran out once on a loaded 2-core CI machine;
        # the option is the client's documented pass-through to websockets' connect.
        with client.tts.websocket_connect(websocket_connection_options={"open_timeout": 60}) as connection:
            context = connection.context(
                model_id=CARTESIA_MODEL,
                voice={"mode": "id", "id": CARTESIA_VOICE},
                output_format=raw,
                add_timestamps=True,
            )
            context.push("Hello from ")
            context.push("the sandbox.")
            context.no_more_inputs()
            responses = list(context.receive())
    clip = decode(wav)
    assert clip.sample_rate == 24000 and _speech_seconds(clip.samples, 24000) > 0.3
    audio = b"".join(r.audio for r in responses if r.type == "chunk" and r.audio)
    assert _speech_seconds(decode_raw(audio, "pcm_s16le"), 24000) > 0.3
    words = [w for r in responses if r.type == "timestamps" for w in r.word_timestamps.words]
    # the words as the reference's example writes them, without their punctuation ("Hello, world!": ["Hello", "world"])
    assert words == ["Hello", "from", "the", "sandbox"]
    assert responses[-1].type == "done"


def test_deepgram_client_speaks_over_http_and_the_speak_socket(
    realtime_sandbox: Any, trust_sandbox_ca: ssl.SSLContext
) -> None:
    pytest.importorskip("deepgram", reason=MISSING)
    from deepgram import DeepgramClient
    from deepgram.environment import DeepgramClientEnvironment
    from deepgram.speak.v1.types import SpeakV1Flushed, SpeakV1Text

    base = realtime_sandbox.base_url("dgram", "api")
    origin = base.replace("https://", "wss://")
    environment = DeepgramClientEnvironment(base=base, production=origin, agent=origin, agent_rest=base)
    with httpx.Client(verify=trust_sandbox_ca, timeout=60) as http:
        client = DeepgramClient(
            api_key=realtime_sandbox.default_key("dgram"), environment=environment, httpx_client=http
        )
        wav = b"".join(
            client.speak.v1.audio.generate(text=TEXT, model=DEEPGRAM_MODEL, encoding="linear16", sample_rate=16000)
        )
        audio = bytearray()
        with client.speak.v1.connect(model=DEEPGRAM_MODEL, encoding="linear16", sample_rate="24000") as socket:
            socket.send_text(SpeakV1Text(type="Speak", text=TEXT))
            socket.send_flush()
            for message in socket:
                if isinstance(message, bytes):
                    audio.extend(message)
                elif isinstance(message, SpeakV1Flushed):
                    break
            socket.send_close()
    clip = decode(wav)
    assert clip.sample_rate == 16000 and _speech_seconds(clip.samples, 16000) > 0.3
    assert _speech_seconds(decode_raw(bytes(audio), "pcm_s16le"), 24000) > 0.3
