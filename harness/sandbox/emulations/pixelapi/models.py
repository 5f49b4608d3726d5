"""What the sandbox keeps of PixelAPI's two modes: how each voice sounds and how long a job takes.

Voice design is Piper `joe` at 1.1x length, shaped by the description: "slow"/"fast" change the pace,
"female"/"woman"/"girl" raise the pitch, "male"/"man"/"deep" lower it, "elderly"/"old" lower and slow
it. Voice cloning is Piper at 0.95x length in the voice chosen by the uploaded reference (see
`harness.sandbox.voices`). Output: WAV at 16 kHz (the document names no format; `cfg_value` and
`inference_timesteps` are VoxCPM's parameters, and VoxCPM-0.5B speaks at 16 kHz).
"""

from __future__ import annotations

import re

from harness.sandbox.emulation import Timing
from harness.speech import Engine, Rendition

SAMPLE_RATE = 16_000
DESIGN_LENGTH = 1.1
CLONE_LENGTH = 0.95
DESIGN_TIMING = Timing(1.0, 3.0, 0.02)
CLONE_TIMING = Timing(1.5, 5.0, 0.03)

# Description words -> (length factor, pitch shift in semitones).
_DESCRIPTION_WORDS: tuple[tuple[tuple[str, ...], float, float], ...] = (
    (("slow", "gentle", "calm"), 1.15, 0.0),
    (("fast", "quick", "energetic", "excited"), 0.85, 0.0),
    (("female", "woman", "girl", "lady"), 1.0, 4.0),
    (("male", "man", "deep", "baritone"), 1.0, -1.5),
    (("elderly", "old"), 1.08, -1.5),
    (("cheerful", "happy", "bright"), 0.95, 1.0),
    (("sad", "whisper", "whispering"), 1.1, -0.5),
)


def design_rendition(description: str) -> Rendition:
    """The voice a description designs: deterministic, so equal descriptions share cached renders."""
    words = set(re.findall(r"[a-z]+", description.lower()))
    length, pitch = DESIGN_LENGTH, 0.0
    for keys, length_factor, shift in _DESCRIPTION_WORDS:
        if words & set(keys):
            length *= length_factor
            pitch += shift
    return Rendition(Engine.PIPER, round(max(0.6, min(1.6, length)), 3), SAMPLE_RATE,
                     pitch_shift=round(max(-8.0, min(8.0, pitch)), 2))
