"""The sandbox's generic OpenAI-compatible host: any provider declared with `protocol = "openai-speech"`
is served at `/<name>/v1/audio/speech` with real Piper speech (see `emulation` for what it honours)."""

from harness.sandbox.emulations.openai.emulation import OpenAISpeechEmulation

__all__ = ["OpenAISpeechEmulation"]
