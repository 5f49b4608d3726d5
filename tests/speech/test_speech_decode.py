"""The one decoder: what the headers say decides how bytes are read (headerless PCM only when declared and
the bytes have no header, L16 big-endian, a streamed WAV read to its end), and every failure is one error
that both the speech engine's and the core's callers catch."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf

from harness.core.audio import AudioDecodeError, AudioKind
from harness.speech import AudioCodecError, SpeechError, decode_audio

RAMP = (np.arange(2400, dtype=np.float32) / 2400 - 0.5) * 0.8


def _wav(samples: np.ndarray, rate: int) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, samples, rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def test_l16_is_read_big_endian_with_its_rate_from_the_media_type() -> None:
    big = (RAMP * 32767).astype(">i2").tobytes()
    decoded = decode_audio(big, "audio/L16; rate=24000")
    assert decoded.sample_rate == 24000 and decoded.kind is AudioKind.PCM and decoded.media_type == "audio/l16"
    assert np.allclose(decoded.mono(), RAMP, atol=1e-4)
    little = decode_audio((RAMP * 32767).astype("<i2").tobytes(), "audio/pcm_s16le", 24000)
    assert np.allclose(little.mono(), RAMP, atol=1e-4)


def test_bytes_with_a_header_are_read_by_it_whatever_the_declaration() -> None:
    decoded = decode_audio(_wav(RAMP, 16000), "audio/pcm", 24000)
    assert (decoded.kind, decoded.sample_rate, decoded.frames) == (AudioKind.WAV, 16000, len(RAMP))


def test_a_streamed_wav_is_read_to_its_end() -> None:
    wav = bytearray(_wav(RAMP, 16000))
    wav[40:44] = bytes(4)  # data size 0: a writer that did not know the length
    decoded = decode_audio(bytes(wav))
    assert decoded.frames == len(RAMP) and decoded.missing_share is None


def test_a_cut_wav_says_what_is_missing() -> None:
    wav = _wav(RAMP, 16000)
    decoded = decode_audio(wav[: 44 + len(RAMP)])  # half the samples
    assert decoded.info.truncated and decoded.missing_share == pytest.approx(0.5)


@pytest.mark.parametrize("data", [b"", b"<html>503</html>", b"RIFF\x24\x00\x00\x00WAVEfmt "])
def test_one_error_for_every_failure(data: bytes) -> None:
    with pytest.raises(AudioCodecError) as raised:
        decode_audio(data)
    assert isinstance(raised.value, AudioDecodeError) and isinstance(raised.value, SpeechError)
    assert "decode" in str(raised.value)
