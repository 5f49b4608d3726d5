"""What the sandbox keeps to play a jobs provider: the declaration's voices and paces as the engine's own
types (`Rendition`, `Timing`), and the stamp forms its bodies print."""

from __future__ import annotations

from harness.core.protocols.jobs import Pace, Sound
from harness.sandbox.profiles import Timing
from harness.sandbox.stamps import StampForm
from harness.speech import Engine, Rendition


def rendition(sound: Sound) -> Rendition:
    """The embedded voice a declared `Sound` stands for."""
    return Rendition(Engine.parse(sound.engine), sound.length, sound.rate, pitch_shift=sound.pitch)


def timing(pace: Pace, scale: float = 1.0) -> Timing:
    """A model's job durations, its processing scaled (a request that trades speed for quality)."""
    if scale == 1.0:
        return Timing(pace.queue_s, pace.processing_s, pace.per_char_s)
    return Timing(pace.queue_s, pace.processing_s * scale, pace.per_char_s * scale)


def stamp_form(name: str) -> StampForm:
    return StampForm(name)
