"""How the sandbox plays the Pixazo gateway (`responses`: plans, bodies, error words; `models`: each
model's voice and timing). Endpoints, validation, lifecycle and prices come from the provider's spec."""

from harness.providers.pixazo import PROVIDER
from harness.sandbox.emulations.pixazo.responses import PixazoEmulation

EMULATION = PixazoEmulation(PROVIDER)

__all__ = ["EMULATION"]
