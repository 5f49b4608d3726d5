"""The OpenAI speech checks judge what matters, each shown on an answer built here (respx, no server):
pcm by its bytes and rate with Content-Type aliases accepted and `audio/L16` flagged; a streamed body;
an unknown model refused; and a failure shows a binary body as size, format and hex, never raw."""

from __future__ import annotations

import io
import math
import struct
import wave
from collections.abc import Iterator

import httpx
import pytest
import respx

from harness.contracts.finding import body_summary
from harness.contracts.openai_speech import SpeechTarget, check_bad_model, check_format, check_stream_audio
from harness.core.protocols.openai_speech import SpeechDeclaration, build_provider

BASE = "http://speech.invalid/v1"
RATE = 22_050


def _target(formats: tuple[str, ...] = ("wav", "pcm")) -> SpeechTarget:
    declaration = SpeechDeclaration.model_validate({
        "name": "box", "protocol": "openai-speech", "base_url": BASE, "auth": "none", "models": ["m"],
        "voices": ["v"], "formats": list(formats), **({"sample_rate": RATE} if "pcm" in formats else {})})
    return SpeechTarget(build_provider(declaration), BASE, "")


def _tone(seconds: float, rate: int) -> list[int]:
    """A voiced-sounding signal: a 180 Hz tone with a slow swell (smooth sample to sample)."""
    count = int(seconds * rate)
    return [int(9000 * math.sin(2 * math.pi * 180 * i / rate) * (0.6 + 0.4 * math.sin(i / rate))) for i in
            range(count)]


def _pcm(samples: list[int], order: str = "<") -> bytes:
    return struct.pack(f"{order}{len(samples)}h", *samples)


def _wav(samples: list[int], rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(_pcm(samples))
    return buffer.getvalue()


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mocked:
        yield mocked


def _answer_by_format(router: respx.MockRouter, pcm: bytes, pcm_type: str, wav_seconds: float = 2.0) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        import json

        if json.loads(request.content)["response_format"] == "pcm":
            return httpx.Response(200, headers={"content-type": pcm_type}, content=pcm)
        return httpx.Response(200, headers={"content-type": "audio/wav"}, content=_wav(_tone(wav_seconds, RATE), RATE))

    router.post(f"{BASE}/audio/speech").mock(side_effect=answer)


@pytest.mark.parametrize("content_type", ["audio/pcm", "audio/pcm_s16le", "application/octet-stream",
                                          "audio/pcm;rate=22050"])
def test_pcm_under_any_little_endian_name_at_the_declared_rate_passes(router: respx.MockRouter,
                                                                      content_type: str) -> None:
    _answer_by_format(router, _pcm(_tone(2.0, RATE)), content_type)
    with httpx.Client() as client:
        assert check_format("pcm")(_target(), client) == []


def test_audio_l16_is_flagged_as_big_endian(router: respx.MockRouter) -> None:
    _answer_by_format(router, _pcm(_tone(2.0, RATE)), "audio/L16")
    with httpx.Client() as client:
        (found,) = check_format("pcm")(_target(), client)
    assert found.rule == "content-type" and "big-endian by RFC 2586" in found.got


def test_big_endian_samples_are_caught_by_their_bytes(router: respx.MockRouter) -> None:
    _answer_by_format(router, _pcm(_tone(2.0, RATE), ">"), "audio/pcm")
    with httpx.Client() as client:
        (found,) = check_format("pcm")(_target(), client)
    assert "little-endian" in found.expected and "big-endian" in found.got


def test_pcm_at_another_rate_than_declared_is_caught(router: respx.MockRouter) -> None:
    _answer_by_format(router, _pcm(_tone(2.0, 24_000)), "audio/pcm")  # 24 kHz samples, 22,050 declared
    with httpx.Client() as client:
        (found,) = check_format("pcm")(_target(), client)
    assert "22050 Hz" in found.expected and "24,000 Hz" in found.got


def test_a_buffered_whole_is_not_a_stream(router: respx.MockRouter) -> None:
    router.post(f"{BASE}/audio/speech").respond(200, headers={"content-type": "audio/wav"},
                                                content=_wav(_tone(1.0, RATE), RATE))
    with httpx.Client() as client:
        found = check_stream_audio(_target(("wav",)), client)
    assert any(v.pointer.endswith("content-length") and "a buffered whole" in v.got for v in found)


def test_a_chunked_body_in_several_reads_is_a_stream(router: respx.MockRouter) -> None:
    audio = _wav(_tone(1.0, RATE), RATE)

    def pieces() -> Iterator[bytes]:
        for start in range(0, len(audio), 4096):
            yield audio[start:start + 4096]

    router.post(f"{BASE}/audio/speech").respond(200, headers={"content-type": "audio/wav"}, stream=pieces())
    with httpx.Client() as client:
        assert check_stream_audio(_target(("wav",)), client) == []


def test_an_unknown_model_must_be_refused(router: respx.MockRouter) -> None:
    router.post(f"{BASE}/audio/speech").respond(200, headers={"content-type": "audio/wav"},
                                                content=_wav(_tone(1.0, RATE), RATE))
    with httpx.Client() as client:
        found = check_bad_model(_target(("wav",)), client)
    assert found and found[0].pointer == "error-bad-model" and found[0].got == "200"
    assert all("RIFF" not in v.got for v in found)  # the audio body is summarised, never shown raw


def test_a_binary_body_is_shown_as_size_format_and_hex() -> None:
    wav = _wav(_tone(0.1, RATE), RATE)
    shown = body_summary(wav, "audio/wav")
    assert shown.startswith(f"{len(wav):,} bytes (audio/wav), starting 52 49 46 46") and "RIFF" not in shown
    assert body_summary(b'{"error": "no"}', "application/json") == '{"error": "no"}'
    assert body_summary(b"\x00\x01\xfe", None).startswith("3 bytes (no known audio format), starting 00 01 fe")
    assert body_summary(b"") == "an empty body"
