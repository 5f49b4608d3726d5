"""Errors of the speech engine, classified so the sandbox can tell "not installed" from "bad input".

    HarnessError                       (harness.core.errors)
    └── SpeechError                    anything the speech engine raises on purpose
        ├── EmptyTextError             nothing to say (also a ValueError)
        ├── EngineUnavailableError     an engine's program or package is missing; names what to install
        ├── SynthesisError             the engine ran but produced an error or no audio
        └── AudioCodecError            bytes that cannot be encoded or decoded as audio; also a
                                       harness.core.audio.AudioDecodeError, what callers outside catch

Invalid settings (an unknown engine, a speaking rate out of range) raise plain `ValueError` with a
message that lists the valid values, as the rest of the harness does for value types.
"""

from __future__ import annotations

from harness.core.audio import AudioDecodeError
from harness.core.errors import HarnessError


class SpeechError(HarnessError):
    """Base of every error the speech engine raises on purpose."""


class EmptyTextError(SpeechError, ValueError):
    """The text to speak is empty or only whitespace."""


class EngineUnavailableError(SpeechError):
    """An engine cannot run here; the message names the package that provides it."""

    def __init__(self, engine: str, remedy: str) -> None:
        self.engine = engine
        self.remedy = remedy
        super().__init__(f"speech engine {engine!r} is not available: {remedy}")


class SynthesisError(SpeechError):
    """The engine ran but failed, or produced no audio for the text."""


class AudioCodecError(SpeechError, AudioDecodeError):
    """Audio bytes that cannot be written or read in the requested format (the one decoder's one error)."""
