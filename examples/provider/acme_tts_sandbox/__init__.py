"""How the sandbox plays Acme Speech (`responses`: plans and bodies; `models`: voices and timing)."""

from acme_tts import PROVIDER
from acme_tts_sandbox.responses import AcmeEmulation

EMULATION = AcmeEmulation(PROVIDER)

__all__ = ["EMULATION"]
