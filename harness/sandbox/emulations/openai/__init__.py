"""The sandbox's generic OpenAI-compatible host: any provider declared with `protocol = "openai-speech"`
is served at `/<name>/v1/audio/speech` with real Piper speech (`responses` says what it honours)."""

from harness.sandbox.emulations.openai.responses import OpenAISpeechEmulation

# A class, built by the engine for each declared provider. (`OpenAISpeechEmulation` stays importable
# here: installs made before the entry point named EMULATION still load.)
EMULATION = OpenAISpeechEmulation

__all__ = ["EMULATION"]
