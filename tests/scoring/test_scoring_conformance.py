"""Audio decoding and conformance findings, measured on rendered speech (no ASR needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soxr

from harness.scoring import AudioDecodeError, DeclaredFormat, Flag, check_conformance, decode_audio
from tests.helpers.speech import render, speak, wav_bytes

TEXT = "The captain steered the ship through the narrow passage between the rocks."


def _flags(audio: bytes, text: str | None = TEXT, **declared: Any) -> set[Flag]:
    decoded = decode_audio(audio, declared.get("media_type"), declared.get("sample_rate"), declared.get("channels"))
    return {finding.flag for finding in check_conformance(decoded, DeclaredFormat(**declared), text, "en").findings}


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    return render(TEXT)


def test_clean_speech_raises_no_finding_and_is_measured(speech: np.ndarray) -> None:
    audio = wav_bytes(speech, 22050)
    decoded = decode_audio(audio, "audio/x-wav", 22050, 1)
    result = check_conformance(decoded, DeclaredFormat("audio/wav; codecs=1", 22050, 1), TEXT, "en")
    assert result.findings == ()
    assert (result.media_type, result.sample_rate, result.channels) == ("audio/wav", 22050, 1)
    assert result.speech_s == pytest.approx(result.duration_s, abs=0.8)
    assert result.loudness_lufs is not None and -40 < result.loudness_lufs < -5
    assert result.clipping_ratio < 0.001


def test_truncated_download_is_flagged(speech: np.ndarray) -> None:
    audio = wav_bytes(speech, 22050)
    flags = _flags(audio[: len(audio) // 2])
    assert Flag.TRUNCATED_FILE in flags
    assert Flag.TOO_SHORT in flags  # half the speech the text needs


def test_audio_cut_short_is_flagged_even_in_a_valid_file(speech: np.ndarray) -> None:
    assert _flags(wav_bytes(speech[: len(speech) // 3], 22050)) == {Flag.TOO_SHORT}


def test_clipped_audio_is_flagged(speech: np.ndarray) -> None:
    clipped = np.clip(speech * 6.0, -1.0, 1.0)
    assert Flag.CLIPPING in _flags(wav_bytes(clipped, 22050))


def test_48_khz_declared_as_22_05_khz_is_flagged() -> None:
    audio = speak(TEXT, sample_rate=48000)
    assert _flags(audio, sample_rate=22050) == {Flag.SAMPLE_RATE_MISMATCH}
    assert _flags(audio, sample_rate=48000) == set()


def test_declared_media_type_and_channels_are_checked(speech: np.ndarray) -> None:
    mp3 = wav_bytes(speech, 22050, subtype="MPEG_LAYER_III", fmt="MP3")
    assert _flags(mp3, media_type="audio/wav") == {Flag.MEDIA_TYPE_MISMATCH}
    assert _flags(mp3, media_type="audio/mp3") == set()
    stereo = wav_bytes(np.stack([speech, speech], axis=1), 22050)
    assert _flags(stereo, channels=1) == {Flag.CHANNELS_MISMATCH}
    opus = wav_bytes(soxr.resample(speech, 22050, 48000), 48000, subtype="OPUS", fmt="OGG")
    assert _flags(opus, media_type="audio/opus") == set()


def test_silence_padding_and_slow_speech_are_flagged(speech: np.ndarray) -> None:
    pad = np.zeros(int(2.5 * 22050), dtype=np.float32)
    assert _flags(wav_bytes(np.concatenate([pad, speech]), 22050)) == {Flag.LEADING_SILENCE}
    assert _flags(wav_bytes(np.concatenate([speech, pad]), 22050)) == {Flag.TRAILING_SILENCE}
    looped = np.concatenate([speech] * 4)
    assert Flag.TOO_LONG in _flags(wav_bytes(looped, 22050))
    assert _flags(wav_bytes(np.zeros(22050, dtype=np.float32), 22050)) == {Flag.SILENT}


def test_headerless_pcm_decodes_when_declared(speech: np.ndarray) -> None:
    pcm = (speech * 32767).astype("<i2").tobytes()
    decoded = decode_audio(pcm, "audio/pcm", 22050, 1)
    assert decoded.frames == len(speech) and decoded.sample_rate == 22050
    with pytest.raises(AudioDecodeError, match="sample rate"):
        decode_audio(pcm, "audio/pcm")


def test_garbage_and_empty_bodies_do_not_decode() -> None:
    with pytest.raises(AudioDecodeError, match="starting"):
        decode_audio(b'{"error": "quota exceeded"}')
    with pytest.raises(AudioDecodeError, match="empty"):
        decode_audio(b"")


def test_resampling_to_16_khz_keeps_duration(speech: np.ndarray) -> None:
    decoded = decode_audio(wav_bytes(speech, 22050))
    assert len(decoded.mono_at(16000)) == pytest.approx(decoded.duration_s * 16000, abs=2)


def test_a_generic_binary_declaration_is_not_a_media_type_mismatch(tmp_path: Path) -> None:
    import soundfile as sf

    path = tmp_path / "tone.wav"
    sf.write(path, (0.3 * np.sin(np.linspace(0, 2000, 22050))).astype("float32"), 22050)
    data = path.read_bytes()
    generic = check_conformance(decode_audio(data), DeclaredFormat(media_type="application/octet-stream"), None, "en")
    wrong = check_conformance(decode_audio(data), DeclaredFormat(media_type="audio/mpeg"), None, "en")
    assert "media_type_mismatch" not in [f.flag.value for f in generic.findings]
    assert "media_type_mismatch" in [f.flag.value for f in wrong.findings]
