"""Classified scoring errors, so callers can tell bad input from a broken ASR install.

The hierarchy::

    ScoringError
    ├── ScoringInputError        the clip or its reference cannot be scored as given
    ├── MissingDependencyError   an optional extra (torch, openai-whisper, ...) is not installed
    ├── AsrBackendError          the ASR backend failed to load or to transcribe
    │   └── ModelNotFoundError   the requested model is neither shipped, cached nor a valid path
    └── ConversionError          a CTranslate2 model could not be converted to an openai-whisper checkpoint

    AudioDecodeError             the audio bytes do not decode to samples: the one decoder's error
                                 (harness.core.audio), re-exported here; the scorer turns it into a finding

Messages say what was expected and what came; none carries audio or secrets.
"""

from __future__ import annotations

from harness.core.audio import AudioDecodeError

__all__ = [
    "AsrBackendError",
    "AudioDecodeError",
    "ConversionError",
    "MissingDependencyError",
    "ModelNotFoundError",
    "ScoringError",
    "ScoringInputError",
]


class ScoringError(Exception):
    """Base class of every error raised by harness.scoring."""


class ScoringInputError(ScoringError):
    """The clip, its reference text or its declared properties are unusable."""


class MissingDependencyError(ScoringError):
    """An optional scoring dependency is not importable."""

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(
            f"scoring needs the Python module {module!r}, which is not installed; "
            f"install the tts-harness[{extra}] extra (openai-whisper and resemblyzer with --no-deps: CONTRIBUTING.md)"
        )
        self.module = module
        self.extra = extra


class AsrBackendError(ScoringError):
    """The ASR backend could not load its model or failed while transcribing."""


class ModelNotFoundError(AsrBackendError):
    """No model matches the requested name or path."""


class ConversionError(ScoringError):
    """A CTranslate2 Whisper model could not be converted."""
