"""The harder ASR set (harness.scoring.asr.hard_set): read by the voices asked for, each voice's noise its own."""

from __future__ import annotations

import numpy as np
import pytest

from harness.scoring.asr.hard_set import build_hard_set
from harness.speech import Engine, unavailable_reason

ITEM = [("read-1", "Seven green boxes sat on the shelf.")]


@pytest.mark.skipif(unavailable_reason(Engine.ESPEAK) is not None, reason=str(unavailable_reason(Engine.ESPEAK)))
def test_the_voices_asked_read_and_a_voices_clips_are_the_same_whichever_others_read() -> None:
    alone = build_hard_set(ITEM, voices=["espeak"])
    assert alone.voices == ["espeak"] and len(alone.clips) == 4 and not alone.unavailable_voices
    beside = build_hard_set(ITEM, voices=["espeak", "piper-degraded"])
    assert beside.voices == ["espeak", "piper-degraded"] and len(beside.clips) == 8
    espeak = [clip for clip in beside.clips if clip.voice == "espeak"]
    assert [clip.condition for clip in espeak] == [clip.condition for clip in alone.clips]
    assert all(np.array_equal(a.samples, b.samples) for a, b in zip(alone.clips, espeak, strict=True))


def test_an_unknown_voice_is_named_with_the_valid_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown voices \['kokoro-2'\]; valid voices: piper, piper-degraded"):
        build_hard_set(ITEM, voices=["piper", "kokoro-2"])
