"""Audio read as a protocol declared it (`harness.core.audio.read_declared`, `float_peak`), with no decoder:
headerless samples by their codec's width at the declared rate, a container by its header and of the kind
it names; the loudest float sample, NaN and infinity included, headerless or in a float WAV (either byte
order). tests/speech/test_pcm.py holds the durations against the decoder's."""

from __future__ import annotations

import math
import struct

import pytest

from harness.core.audio import (
    RAW_SAMPLE_BYTES,
    AudioDecodeError,
    AudioKind,
    container_kinds,
    float_peak,
    raw_sample_width,
    read_declared,
)
from tests.helpers.wav import pcm_wav


def _float_wav(samples: list[float], order: str = "<") -> bytes:
    """A mono 32-bit IEEE float WAV (format tag 3) at 8 kHz; RIFX when `order` is big-endian."""
    data = struct.pack(f"{order}{len(samples)}f", *samples)
    fmt = struct.pack(f"{order}HHIIHH", 3, 1, 8000, 32000, 4, 32)
    body = b"WAVE" + b"fmt " + struct.pack(f"{order}I", len(fmt)) + fmt + b"data" + struct.pack(f"{order}I", len(data))
    return (b"RIFF" if order == "<" else b"RIFX") + struct.pack(f"{order}I", len(body) + len(data)) + body + data


@pytest.mark.parametrize(("codec", "width"), sorted(RAW_SAMPLE_BYTES.items()))
def test_headerless_samples_last_their_count_at_the_declared_rate(codec: str, width: int) -> None:
    info = read_declared(b"\x00" * width * 8000, codec, "raw", 16000)
    assert (info.kind, info.sample_rate, info.duration_s, info.problem) == (AudioKind.PCM, 16000, 0.5, None)
    if width > 1:
        cut = read_declared(b"\x00" * (width * 10 + 1), codec, "raw", 16000)
        assert cut.truncated and cut.problem == f"{width * 10 + 1} bytes are not whole {codec} samples of {width} bytes"


def test_an_unknown_headerless_codec_names_the_valid_ones() -> None:
    with pytest.raises(AudioDecodeError, match="unknown headerless codec 'pcm_s24le'; valid: pcm_s16le, pcm_f32le"):
        read_declared(b"\x00" * 6, "pcm_s24le")
    assert raw_sample_width("pcm_mulaw") == 1


def test_a_container_is_read_by_its_header_and_must_be_of_its_kind() -> None:
    wav = pcm_wav(frames=4000, rate=8000)
    info = read_declared(wav, "pcm_s16le", "wav", 24000)  # the declared rate is the caller's to compare
    assert (info.kind, info.sample_rate, info.duration_s, info.problem) == (AudioKind.WAV, 8000, 0.5, None)
    assert read_declared(wav, "mp3", "mp3", 8000).problem == "wav bytes, not mp3 in mp3"
    assert read_declared(wav[: len(wav) // 2], "pcm_s16le", "wav").truncated
    assert str(read_declared(b"\x00" * 64, "mp3", "mp3").problem).startswith("64 bytes that do not read as mp3:")
    assert read_declared(wav, "aac", "aac").problem == "wav bytes, not aac in aac"  # aac: ADTS frames
    assert read_declared(wav, "opus", "webm").problem is None  # a container this rule does not judge by kind


def test_ogg_holds_opus_unless_the_codec_says_vorbis() -> None:
    assert container_kinds("ogg", "opus") == (AudioKind.OPUS,)
    assert container_kinds("ogg", "vorbis") == (AudioKind.VORBIS,)
    assert container_kinds("raw", "pcm_s16le") == ()


@pytest.mark.parametrize(("samples", "peak"), [([0.25, -0.75, 0.5], 0.75), ([], 0.0), ([0.1, -math.inf], math.inf)])
def test_the_loudest_float_sample(samples: list[float], peak: float) -> None:
    assert float_peak(struct.pack(f"<{len(samples)}f", *samples)) == peak
    assert float_peak(_float_wav(samples), "wav") == peak
    assert float_peak(_float_wav(samples, ">"), "wav") == peak


def test_a_float_that_is_not_a_number_is_the_peak_and_int_samples_have_none() -> None:
    assert math.isnan(float(float_peak(struct.pack("<3f", 0.1, math.nan, 2.0)) or 0.0))
    assert float_peak(pcm_wav(), "wav") is None  # 16-bit integers: no float to be out of range
    assert float_peak(b"\x00" * 8, "mp3") is None
    assert float_peak(struct.pack("<2f", 0.5, -0.25) + b"\x01") == 0.5  # a partial last sample is left out
