"""PixelAPI: voice design and voice cloning behind one queued-job endpoint.

The package exports the provider declaration; the documented limits the sandbox enforces and answers
with are in `models` (reference-recording rules, error messages) and `pricing` (plans, credits).
"""

from harness.providers.pixelapi.spec import PROVIDER

__all__ = ["PROVIDER"]
