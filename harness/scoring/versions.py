"""Version stamps stored on every score row, so a figure can always be traced to the code that made it."""

from __future__ import annotations

import importlib.metadata
from functools import cache


@cache
def harness_version() -> str:
    """The tts-harness version: ``harness.__version__`` when the package sets it, else its metadata."""
    import harness

    version = getattr(harness, "__version__", None)
    if isinstance(version, str):
        return version
    try:
        return importlib.metadata.version("tts-harness")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


@cache
def package_version(distribution: str) -> str:
    """The installed version of a distribution, or ``"absent"`` (never raises)."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "absent"
