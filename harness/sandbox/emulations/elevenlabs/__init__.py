"""How the sandbox imitates any provider declared with `protocol = "elevenlabs"`: the three HTTP
endpoints and the stream-input WebSocket, speaking the embedded voice (see `responses`)."""

from harness.sandbox.emulations.elevenlabs.responses.emulation import ElevenLabsEmulation

EMULATION = ElevenLabsEmulation

__all__ = ["EMULATION"]
