"""How the sandbox plays PixelAPI (`responses`: plans, bodies, error words; `models`: each mode's voice
and timing). Endpoints, validation, prices, lifecycle and limits come from the provider's spec."""

from harness.providers.pixelapi import PROVIDER
from harness.sandbox.emulations.pixelapi.responses import PixelApiEmulation

EMULATION = PixelApiEmulation(PROVIDER)

__all__ = ["EMULATION"]
