from __future__ import annotations

import numpy as np
import pytest

from harness.speech import DEFAULT_VOICES, Clip, Engine, Rendition


def test_rendition_normalises_engine_and_default_voice() -> None:
    by_name = Rendition("espeak")  # type: ignore[arg-type]
    assert by_name.engine is Engine.ESPEAK
    assert by_name.voice == DEFAULT_VOICES[Engine.ESPEAK] == "en-us"
    assert Rendition().voice == "joe"
    # Equal settings must give one cache key however they were spelled.
    assert by_name == Rendition(Engine.ESPEAK, voice="en-us")
    assert hash(by_name) == hash(Rendition(Engine.ESPEAK, voice="en-us"))
    assert Rendition(length_scale=1) == Rendition(length_scale=1.0)


def test_unknown_engine_lists_valid_ones() -> None:
    valid = "valid engines: piper, piper-degraded, espeak"
    with pytest.raises(ValueError, match=rf"unknown speech engine 'festival'; {valid}"):
        Rendition("festival")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"length_scale": 0.1}, "length_scale must be within"),
        ({"length_scale": 5.0}, "length_scale must be within"),
        ({"pitch_shift": 13.0}, "pitch_shift"),
        ({"sample_rate": 4000}, "sample_rate must be within"),
        ({"sample_rate": 22050.0}, "sample_rate must be an integer"),
        ({"sample_rate": True}, "sample_rate must be an integer"),
    ],
)
def test_rendition_rejects_out_of_range(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Rendition(**kwargs)  # type: ignore[arg-type]


def test_clip_is_read_only_and_leaves_caller_array_writable() -> None:
    source = np.zeros(22050, dtype=np.float32)
    clip = Clip(source, 22050)
    assert clip.duration_s == pytest.approx(1.0)
    assert not clip.samples.flags.writeable
    with pytest.raises(ValueError):
        clip.samples[0] = 1.0
    source[0] = 0.5  # the caller's array is untouched by the freeze
    assert source[0] == 0.5


def test_clip_converts_to_float32_and_rejects_stereo() -> None:
    assert Clip(np.zeros(10, dtype=np.float64), 8000).samples.dtype == np.float32
    with pytest.raises(ValueError, match="mono"):
        Clip(np.zeros((10, 2), dtype=np.float32), 8000)
    with pytest.raises(ValueError, match="sample_rate must be positive"):
        Clip(np.zeros(10, dtype=np.float32), 0)


def test_clip_resampled() -> None:
    tone = Clip(np.sin(2 * np.pi * 440 * np.arange(22050) / 22050).astype(np.float32), 22050)
    down = tone.resampled(16000)
    assert (down.sample_rate, len(down.samples)) == (16000, 16000)
    assert tone.resampled(22050) is tone
