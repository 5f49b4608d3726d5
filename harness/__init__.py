"""tts-harness: conformance and benchmarking for hosted text-to-speech and voice-cloning APIs."""

from harness._version import __version__

__all__ = ["__version__"]
