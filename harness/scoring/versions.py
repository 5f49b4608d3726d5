"""Version stamps stored on every score row, so a figure can always be traced to the code that made it."""

from __future__ import annotations

import importlib.metadata
from functools import cache

from harness._version import __version__


def harness_version() -> str:
    """The tts-harness version (`harness._version`, the one the bench and the fixtures stamp too)."""
    return __version__


@cache
def package_version(distribution: str) -> str:
    """The installed version of a distribution, or ``"absent"`` (never raises)."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "absent"
