"""Realtime providers declared in a providers file: each protocol's table becomes a provider with its
HTTP endpoints and its WebSocket channel; a wrong protocol or value stops with one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.core import declared
from harness.core.errors import UsageError
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.protocols.websocket_speech import socket_of
from harness.providers.cartesia.declaration import SERVICE as CARTESIA
from harness.providers.elevenlabs.sockets import spec_of as eleven_spec_of
from tests.helpers.realtime import realtime_toml

FILE = Path("tts-harness.toml")


def test_each_protocol_declares_its_endpoints_channel_auth_and_price() -> None:
    found = {p.name: p for p in declared.parse(realtime_toml(), FILE).providers()}
    eleven, carte, dgram = found["eleven"], found["carte"], found["dgram"]
    assert [e.signature for e in eleven.endpoints] == [
        "POST /v1/text-to-speech/{voice_id}",
        "POST /v1/text-to-speech/{voice_id}/stream",
        "POST /v1/text-to-speech/{voice_id}/with-timestamps",
        "POST /v1/text-to-speech/{voice_id}/stream/with-timestamps",
    ]
    assert [c.signature for c in (*eleven.channels, *carte.channels, *dgram.channels)] == [
        "WS /v1/text-to-speech/{voice_id}/stream-input",
        "WS /v1/text-to-speech/{voice_id}/multi-stream-input",
        "WS /tts/websocket",
        "WS /v1/speak",
    ]
    assert (eleven.auth.header, carte.auth.header_value("k"), dgram.auth.header_value("k")) == (
        "xi-api-key",
        "Bearer k",
        "Token k",
    )
    price = eleven.endpoints[0].price
    # 100 USD a million characters (the file's price, for the model a request names)
    assert price is not None and price({"text": "x" * 10_000, "model_id": "eleven_flash_v2_5"}).amount == 1
    assert all(p.protocol for p in found.values()) and eleven.title.endswith("declared in tts-harness.toml)")


def test_the_channel_url_is_the_base_urls_websocket_twin() -> None:
    eleven = next(p for p in declared.parse(realtime_toml(), FILE).providers() if p.name == "eleven")
    url = eleven.channels[0].url("https://api.elevenlabs.io", {"voice_id": "v 1"}, {"output_format": "pcm_24000"})
    assert url == "wss://api.elevenlabs.io/v1/text-to-speech/v%201/stream-input?output_format=pcm_24000"


def test_an_unknown_protocol_names_the_four_known() -> None:
    with pytest.raises(UsageError) as refused:
        declared.parse(realtime_toml().replace('"cartesia"', '"cartesian"', 1), FILE)
    message = str(refused.value)
    assert "providers.carte.protocol" in message and "\n" not in message
    assert all(name in message for name in ("openai-speech", "elevenlabs", "cartesia", "deepgram-speak"))


def test_a_format_the_protocol_does_not_have_is_one_line() -> None:
    text = realtime_toml().replace('formats = ["pcm_24000", "mp3_44100_128"]', 'formats = ["pcm_23000"]')
    with pytest.raises(UsageError, match=r"^tts-harness.toml: providers\.eleven\.formats\.0: "):
        declared.parse(text, FILE).providers()  # a `like` table is checked against its built-in as it is built


def test_each_protocols_format_names_read_as_audio() -> None:
    assert eleven_spec_of("mp3_44100_128") == AudioSpec("mp3", 44100, "mp3")
    assert eleven_spec_of("ulaw_8000") == AudioSpec("pcm_mulaw", 8000)
    wav = CARTESIA.synthesis("tts.bytes").format_of(
        {"output_format": {"container": "wav", "encoding": "pcm_f32le", "sample_rate": 44100}}
    )
    assert (wav.spec.codec, wav.spec.container, 44100 in wav.rates) == ("pcm_f32le", "wav", True)
    from harness.providers.deepgram import PROVIDER  # Deepgram's speak socket: "8000 or 24000" are the defaults

    speak = socket_of(PROVIDER.channels[0])
    assert speak.format("mulaw").spec == AudioSpec("pcm_mulaw", 8000)
    assert speak.format("linear16").spec == AudioSpec("pcm_s16le", 24000)
