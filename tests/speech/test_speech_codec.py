from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf

from harness.speech import (
    MEDIA_TYPES,
    AudioCodecError,
    AudioFormat,
    Clip,
    Engine,
    Rendition,
    SpeechEngine,
    decode,
    encode,
    sniff,
)

LOSSLESS = {AudioFormat.WAV, AudioFormat.FLAC}


@pytest.fixture
def speech(engine: SpeechEngine, sentence: str) -> Clip:
    # Real speech is what lossy codecs are tuned for; the degraded voice's hiss tests them a little harder.
    return engine.render(sentence, Rendition(Engine.PIPER_DEGRADED))


@pytest.mark.parametrize("fmt", list(AudioFormat))
@pytest.mark.parametrize("rate", [16000, 22050, 44100])
def test_round_trip(engine: SpeechEngine, sentence: str, fmt: AudioFormat, rate: int) -> None:
    clip = engine.render(sentence, Rendition(Engine.PIPER_DEGRADED, sample_rate=rate))
    data = encode(clip, fmt)
    assert sniff(data) is fmt
    back = decode(data)
    assert back.sample_rate == rate
    assert back.duration_s == pytest.approx(clip.duration_s, abs=0.03)
    n = min(len(back.samples), len(clip.samples))
    if fmt in LOSSLESS:
        assert np.max(np.abs(back.samples[:n] - clip.samples[:n])) <= 1.01 / 32768
    else:
        # Lossy, but the same waveform, in time (no codec delay left in by the decoder).
        assert np.corrcoef(back.samples[:n], clip.samples[:n])[0, 1] > 0.9


def test_every_format_has_a_media_type() -> None:
    assert set(MEDIA_TYPES) == set(AudioFormat)
    assert MEDIA_TYPES[AudioFormat.MP3] == "audio/mpeg"
    assert all(t.startswith("audio/") for t in MEDIA_TYPES.values())


def test_format_parse() -> None:
    assert AudioFormat.parse("MP3") is AudioFormat.MP3
    with pytest.raises(ValueError, match="unknown audio format 'aac'; valid formats: wav, mp3, flac, ogg"):
        AudioFormat.parse("aac")
    with pytest.raises(ValueError, match="aac"):
        encode(Clip(np.zeros(100, dtype=np.float32), 22050), "aac")


def test_encode_clips_instead_of_wrapping() -> None:
    loud = Clip(np.full(1000, 1.5, dtype=np.float32), 22050)
    back = decode(encode(loud, AudioFormat.WAV))
    assert back.samples.min() > 0.99


def test_mp3_rejects_rates_it_cannot_carry() -> None:
    with pytest.raises(AudioCodecError, match="MP3 cannot carry 20000 Hz"):
        encode(Clip(np.zeros(2000, dtype=np.float32), 20000), AudioFormat.MP3)


@pytest.mark.parametrize("data", [b"", b'{"error": "quota"}', b"RIFF\x00\x00\x00\x00WAVEjunk"])
def test_decode_garbage_is_a_codec_error(data: bytes) -> None:
    with pytest.raises(AudioCodecError, match="decode"):
        decode(data)


def test_an_undecodable_body_is_named_by_its_bytes_not_by_a_memory_address() -> None:
    """The one line a user reads: the bytes' start and libsndfile's reason, never the in-memory file's repr."""
    with pytest.raises(AudioCodecError) as raised:
        decode(b'{"error": "quota"}')
    said = str(raised.value)
    assert 'starting b\'{"error": "q\'' in said and said.endswith("Format not recognised.")
    assert "BytesIO" not in said and " at 0x" not in said


def test_decode_mixes_stereo_to_mono() -> None:
    stereo = np.stack([np.full(800, 0.5), np.full(800, -0.25)], axis=1)
    buffer = io.BytesIO()
    sf.write(buffer, stereo, 8000, format="WAV", subtype="FLOAT")
    clip = decode(buffer.getvalue())
    assert clip.samples.ndim == 1
    assert clip.samples[0] == pytest.approx(0.125)


def test_sniff_unknown_is_none(speech: Clip) -> None:
    assert sniff(b"<html>busy</html>") is None
    assert sniff(b"") is None
    assert sniff(encode(speech, AudioFormat.MP3)[:4]) is AudioFormat.MP3
