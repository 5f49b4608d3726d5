"""How the sandbox imitates any provider declared with `protocol = "cartesia"`: `POST /tts/bytes` and the
`/tts/websocket` channel with its multiplexed contexts (see `routes` and `socket`)."""

from harness.sandbox.emulations.cartesia.routes import CartesiaEmulation

EMULATION = CartesiaEmulation

__all__ = ["EMULATION", "CartesiaEmulation"]
