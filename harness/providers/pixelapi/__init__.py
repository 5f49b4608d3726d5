"""PixelAPI: voice design and voice cloning behind one queued-job endpoint, a provider of the jobs family.

The package exports the provider declaration (`declaration`); its wire payloads, the documented limits
and error messages are in `models`.
"""

from harness.providers.pixelapi.declaration import PROVIDER

__all__ = ["PROVIDER"]
