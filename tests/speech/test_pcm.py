"""Headerless PCM: the four codecs realtime protocols stream, checked against G.711's fixed points and
round trips (every 8-bit code survives decode then encode)."""

from __future__ import annotations

import numpy as np
import pytest

from harness.speech import RAW_CODECS, AudioCodecError, decode_as, decode_raw, encode_as, encode_raw


def test_g711_fixed_points() -> None:
    assert encode_raw([0.0], "pcm_mulaw") == b"\xff" and encode_raw([0.0], "pcm_alaw") == b"\xd5"
    assert encode_raw([1.0], "pcm_mulaw") == b"\x80" and encode_raw([-1.0], "pcm_mulaw") == b"\x00"


@pytest.mark.parametrize("codec", ["pcm_mulaw", "pcm_alaw"])
def test_every_g711_code_survives_a_round_trip(codec: str) -> None:
    codes = bytes(range(256))
    again = encode_raw(decode_raw(codes, codec), codec)
    same = [a == b or decode_raw(bytes([a]), codec)[0] == decode_raw(bytes([b]), codec)[0]
            for a, b in zip(codes, again, strict=True)]  # μ-law has two codes for zero
    assert all(same)


@pytest.mark.parametrize("codec", RAW_CODECS)
def test_samples_come_back_within_the_codecs_step(codec: str) -> None:
    samples = (0.8 * np.sin(np.linspace(0, 40, 4000))).astype(np.float32)
    step = {"pcm_s16le": 1e-4, "pcm_f32le": 0.0, "pcm_mulaw": 0.02, "pcm_alaw": 0.02}[codec]
    assert float(np.max(np.abs(decode_raw(encode_raw(samples, codec), codec) - samples))) <= step


def test_broken_samples_and_containers_are_named() -> None:
    with pytest.raises(AudioCodecError, match="not whole pcm_s16le samples"):
        decode_raw(b"\x00\x01\x02", "pcm_s16le")
    wav = encode_as(np.zeros(800, dtype=np.float32), 8000, "pcm_mulaw", "wav")
    assert decode_as(wav, "pcm_mulaw", "wav")[1] == 8000  # the container says its own rate
    with pytest.raises(AudioCodecError, match="do not read as wav"):
        decode_as(b"RIFF-not-really", "pcm_s16le", "wav")
