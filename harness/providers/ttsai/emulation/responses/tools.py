"""TTS.ai's audio tools (enhance, echo removal, stem separation, key & BPM, conversion), answered from
a table.

No figure the harness measures reads what these tools do to audio, so the sandbox does no signal
processing for them: each answer is schema-valid, deterministic and plainly what it is.
- enhance and echo/reverb removal answer the upload unchanged, in its own format;
- separation names the stems Demucs and Spleeter produce for the stem count; `vocals` is the upload
  (sandbox audio is speech) and every other stem silence of the same length, in the asked format;
- the key & BPM finder answers the document's example, whatever the file;
- conversion re-encodes the upload with the project's codec in the asked format and sample rate
  (mono; `bitrate` and `channels` are accepted and not applied).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from harness.speech import MP3_SAMPLE_RATES, AudioFormat, Clip, encode

# The document's Key & BPM example, word for word.
KEY_BPM: Mapping[str, Any] = {
    "key": "C",
    "scale": "Major",
    "bpm": 120.0,
    "time_signature": "4/4",
    "camelot": "8B",
    "compatible_keys": ["C Major", "G Major", "F Major", "A Minor"],
}
# Stem count -> the stems a separator of that many produces (Demucs / Spleeter naming).
STEMS: Mapping[int, tuple[str, ...]] = {
    2: ("vocals", "accompaniment"),
    4: ("vocals", "drums", "bass", "other"),
    5: ("vocals", "drums", "bass", "piano", "other"),
    6: ("vocals", "drums", "bass", "guitar", "piano", "other"),
}


def encoded(clip: Clip, fmt: AudioFormat) -> bytes:
    """`clip` as a file in `fmt`; MP3 at 24 kHz where it cannot carry the clip's rate."""
    if fmt is AudioFormat.MP3 and clip.sample_rate not in MP3_SAMPLE_RATES:
        clip = clip.resampled(24000)
    return encode(clip, fmt)


def stems(clip: Clip, count: int, fmt: AudioFormat) -> dict[str, bytes]:
    """Each stem's file: the upload as the vocals, silence of its length for the others."""
    silence = encoded(Clip(np.zeros(len(clip.samples), np.float32), clip.sample_rate), fmt)
    vocals = encoded(clip, fmt)
    return {name: vocals if name == "vocals" else silence for name in STEMS[count]}


def converted(clip: Clip, fmt: AudioFormat, sample_rate: int | None) -> bytes:
    return encoded(clip.resampled(sample_rate or clip.sample_rate), fmt)
