"""What the sandbox keeps of Acme Speech: how each voice sounds and how long a job takes."""

from __future__ import annotations

from harness.sandbox import Timing
from harness.speech import Engine, Rendition

VOICES = {
    "ada": Rendition(Engine.PIPER, 1.0, 22050, pitch_shift=3.0),
    "bob": Rendition(Engine.PIPER, 1.1, 22050, pitch_shift=-2.0),
}
TIMING = Timing(queue_s=0.5, processing_s=1.0, per_char_s=0.01)  # the realistic profile's medians
