"""Headerless PCM: the four codecs realtime protocols stream, checked against G.711's fixed points and
round trips (every 8-bit code survives decode then encode)."""

from __future__ import annotations

import numpy as np
import pytest

from harness.core.audio import AudioKind, inspect, read_declared
from harness.speech import (
    RAW_CODECS,
    AudioCodecError,
    Engine,
    Rendition,
    SpeechEngine,
    decode_as,
    decode_audio,
    decode_raw,
    encode_as,
    encode_raw,
    sample_width,
)


def test_g711_fixed_points() -> None:
    assert encode_raw([0.0], "pcm_mulaw") == b"\xff" and encode_raw([0.0], "pcm_alaw") == b"\xd5"
    assert encode_raw([1.0], "pcm_mulaw") == b"\x80" and encode_raw([-1.0], "pcm_mulaw") == b"\x00"


@pytest.mark.parametrize("codec", ["pcm_mulaw", "pcm_alaw"])
def test_every_g711_code_survives_a_round_trip(codec: str) -> None:
    codes = bytes(range(256))
    again = encode_raw(decode_raw(codes, codec), codec)
    same = [
        a == b or decode_raw(bytes([a]), codec)[0] == decode_raw(bytes([b]), codec)[0]
        for a, b in zip(codes, again, strict=True)
    ]  # μ-law has two codes for zero
    assert all(same)


@pytest.mark.parametrize("codec", RAW_CODECS)
def test_samples_come_back_within_the_codecs_step(codec: str) -> None:
    samples = (0.8 * np.sin(np.linspace(0, 40, 4000))).astype(np.float32)
    step = {"pcm_s16le": 1e-4, "pcm_f32le": 0.0, "pcm_mulaw": 0.02, "pcm_alaw": 0.02}[codec]
    assert float(np.max(np.abs(decode_raw(encode_raw(samples, codec), codec) - samples))) <= step


def test_speech_survives_aac_in_adts_frames(engine: SpeechEngine) -> None:
    """OpenAI's `aac`, as the sandbox writes it: the audio rule reads the bytes as AAC at 24 kHz mono, the one
    decoder gives the speech back (delayed by the encoder's priming, which ADTS cannot say) within two frames of its
    length, and a stream cut inside its last frame decodes to the frames that arrived."""
    rate = 24000
    speech = engine.render("Hello there.", Rendition(Engine.PIPER, sample_rate=rate)).samples
    data = encode_as(speech, rate, "aac", "aac")
    info = inspect(data)
    assert data[:2] == b"\xff\xf1" and (info.kind, info.sample_rate, info.channels) == (AudioKind.AAC, rate, 1)
    decoded = decode_audio(data)
    assert (decoded.sample_rate, decoded.channels, decoded.media_type) == (rate, 1, "audio/aac")
    back = decoded.mono()
    assert 0 <= len(back) - len(speech) <= 2 * 1024 and decoded.duration_s == info.duration_s
    size = 1 << int(np.ceil(np.log2(len(back) + len(speech))))
    lags = np.fft.irfft(np.fft.rfft(back, size) * np.conj(np.fft.rfft(speech, size)), size)
    lag = int(np.argmax(lags[: 2 * 1024]))  # the priming: 1,024 samples, give or take the filters' delay
    aligned = back[lag : lag + len(speech)]
    assert abs(lag - 1024) <= 64 and float(np.corrcoef(aligned, speech[: len(aligned)])[0, 1]) > 0.95
    cut = decode_audio(data[:-5])
    assert cut.info.truncated and cut.frames == decoded.frames - 1024
    with pytest.raises(AudioCodecError, match="as AAC in ADTS frames"):
        decode_audio(data[:7] + bytes(400))


def test_broken_samples_and_containers_are_named() -> None:
    with pytest.raises(AudioCodecError, match="not whole pcm_s16le samples"):
        decode_raw(b"\x00\x01\x02", "pcm_s16le")
    wav = encode_as(np.zeros(800, dtype=np.float32), 8000, "pcm_mulaw", "wav")
    assert decode_as(wav, "pcm_mulaw", "wav")[1] == 8000  # the container says its own rate
    with pytest.raises(AudioCodecError, match="do not read as wav"):
        decode_as(b"RIFF-not-really", "pcm_s16le", "wav")


@pytest.mark.parametrize(
    ("codec", "container"),
    [
        ("pcm_s16le", "raw"),
        ("pcm_f32le", "raw"),
        ("pcm_mulaw", "raw"),
        ("pcm_s16le", "wav"),
        ("pcm_f32le", "wav"),
        ("mp3", "mp3"),
        ("opus", "ogg"),
        ("vorbis", "ogg"),
        ("flac", "flac"),
        ("aac", "aac"),
    ],
)
def test_the_bytes_alone_tell_the_decoders_length(codec: str, container: str) -> None:
    """The contract checks time audio by `read_declared` (no decoder, for the base install): the length it
    reads from the bytes is the decoder's, within one 48 kHz Opus frame's rounding."""
    rate = 24000
    tone = 0.3 * np.sin(2 * np.pi * 220 * np.arange(int(1.37 * rate)) / rate)
    data = encode_as(tone, rate, codec, container)
    samples, decoded_rate = decode_as(data, codec, container, rate)
    info = read_declared(data, codec, container, rate)
    assert info.problem is None and info.duration_s is not None
    assert abs(info.duration_s - len(samples) / decoded_rate) < 0.001, (info.duration_s, len(samples) / decoded_rate)
    assert sample_width("pcm_f32le") == 4
    with pytest.raises(AudioCodecError, match="unknown headerless codec"):
        sample_width("pcm_s24le")


def test_a_file_is_encoded_once_for_the_same_samples_and_again_for_others(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sandbox speaks one text in one voice for many providers and requests: the MP3 (or Opus, FLAC, WAV) of the
    same samples is encoded once and kept, bounded; other samples, another rate or another bitrate mode are new."""
    from harness.speech import _pcm

    encoded: list[tuple[int, str, bool]] = []
    real = _pcm._encode_file

    def counted(clipped: np.ndarray, rate: int, codec: str, container: str, *, constant_bitrate: bool) -> bytes:
        encoded.append((rate, container, constant_bitrate))
        return real(clipped, rate, codec, container, constant_bitrate=constant_bitrate)

    monkeypatch.setattr(_pcm, "_encode_file", counted)
    monkeypatch.setattr(_pcm, "_encoded", type(_pcm._encoded)())
    monkeypatch.setattr(_pcm, "_encoded_bytes", 0)
    samples = (0.5 * np.sin(np.linspace(0, 300, 8000))).astype(np.float32)
    first = encode_as(samples, 16000, "mp3", "mp3")
    assert encode_as(samples.copy(), 16000, "mp3", "mp3") == first and len(encoded) == 1
    encode_as(samples, 22050, "mp3", "mp3")
    encode_as(samples, 16000, "mp3", "mp3", constant_bitrate=True)
    encode_as(samples * 0.5, 16000, "mp3", "mp3")
    assert encoded == [(16000, "mp3", False), (22050, "mp3", False), (16000, "mp3", True), (16000, "mp3", False)]
    assert decode_as(first, "mp3", "mp3")[1] == 16000
    for step in range(_pcm._ENCODED_KEPT + 5):  # bounded: the oldest goes first
        encode_as(samples * (step + 1) / 200, 16000, "pcm_s16le", "wav")
    assert len(_pcm._encoded) == _pcm._ENCODED_KEPT
    assert _pcm._encoded_bytes == sum(map(len, _pcm._encoded.values()))  # the bound's count follows what is kept
    encode_as(samples, 16000, "mp3", "mp3")
    assert len(encoded) == 4 + _pcm._ENCODED_KEPT + 5 + 1
