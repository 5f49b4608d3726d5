"""How the sandbox imitates any provider declared with `protocol = "cartesia"`: `POST /tts/bytes` and the
`/tts/websocket` channel with its multiplexed contexts (see `responses`)."""

from harness.sandbox.emulations.cartesia.responses.emulation import CartesiaEmulation

EMULATION = CartesiaEmulation

__all__ = ["EMULATION"]
