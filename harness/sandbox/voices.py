"""Cloning, emulated: a reference recording chooses the voice a cloning model speaks with.

The sandbox cannot clone a voice, but the harness's similarity scoring must see cloning *work*: a clone
of the espeak-ng reference should sound like espeak-ng (the degraded Piper voice where espeak-ng is not
installed), a clone of the Piper reference like Piper. So a
reference that is one of the project's generated reference clips (`reference_voices_dir()`, identified by its
sha256 in the manifest) selects that clip's engine and voice. Any other recording gets the model's base
voice shifted by -4..+4 semitones, derived from its bytes: different references give audibly different,
deterministic voices.

The same folder is served at `/_sandbox/voices/<file>` so tests and demos have loopback reference URLs.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

from harness.core.target import reference_voices_dir
from harness.speech import Engine, Rendition, decode, unavailable_reason

DEFAULT_VOICES_DIR = reference_voices_dir()
_UNKNOWN_SHIFT_SEMITONES = 4


class ReferenceVoices:
    """The reference clips the sandbox serves and recognises."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or DEFAULT_VOICES_DIR
        self._known: dict[str, tuple[Engine, str]] = {}
        self._readable: set[str] = set()
        manifest = self.directory / "manifest.json"
        if manifest.is_file():
            for clip in json.loads(manifest.read_text(encoding="utf-8")).get("clips", []):
                self._known[clip["sha256"]] = (Engine.parse(clip["engine"]), clip["voice"])

    def path(self, name: str) -> Path | None:
        """A served clip by file name (no directories), or None."""
        candidate = self.directory / name
        if "/" in name or "\\" in name or name.startswith(".") or not candidate.is_file():
            return None
        return candidate

    def names(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.name for p in self.directory.iterdir() if p.suffix in (".wav", ".mp3", ".flac", ".ogg"))

    def clone(self, base: Rendition, audio: bytes) -> Rendition:
        """The rendition a clone of `audio` speaks with. Raises `AudioCodecError` if it is not audio."""
        digest = hashlib.sha256(audio).hexdigest()
        if digest not in self._readable:
            decode(audio)  # a reference must be audio; the caller turns the error into a failed job
            self._readable.add(digest)  # many jobs clone the same recording: decode it once
        known = self._known.get(digest)
        if known is not None:
            engine, voice = known
            return speakable(replace(base, engine=engine, voice=voice))
        span = 2 * _UNKNOWN_SHIFT_SEMITONES + 1
        shift = int(digest[:8], 16) % span - _UNKNOWN_SHIFT_SEMITONES
        return replace(base, pitch_shift=max(-12.0, min(12.0, base.pitch_shift + shift)))


def speakable(rendition: Rendition) -> Rendition:
    """`rendition`, or where its engine is not installed here, a stand-in that still sounds like a voice of
    its own: espeak-ng is optional, and without it the sandbox speaks espeak-ng's voices with the degraded
    Piper voice, each espeak voice name at its own pitch, so different voices stay audibly different."""
    if rendition.engine is not Engine.ESPEAK or unavailable_reason(Engine.ESPEAK) is None:
        return rendition
    digest = hashlib.sha256(rendition.voice.encode()).hexdigest()
    shift = int(digest[:8], 16) % (2 * _UNKNOWN_SHIFT_SEMITONES + 1) - _UNKNOWN_SHIFT_SEMITONES
    return Rendition(
        Engine.PIPER_DEGRADED,
        rendition.length_scale,
        rendition.sample_rate,
        max(-12.0, min(12.0, rendition.pitch_shift + shift)),
    )
