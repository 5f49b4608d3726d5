"""How the sandbox imitates any provider declared with `protocol = "deepgram-speak"`: `POST /v1/speak`
and the `/v1/speak` WebSocket with binary audio frames (see `responses`)."""

from harness.sandbox.emulations.deepgram_speak.responses.emulation import DeepgramSpeakEmulation

EMULATION = DeepgramSpeakEmulation

__all__ = ["EMULATION"]
