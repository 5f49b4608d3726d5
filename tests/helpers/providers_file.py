"""Putting a providers file in effect for the length of a block: the registry reads it once and caches,
so its caches are cleared on the way in and out (no other test of the session sees the file)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def providers_file_in_effect(path: Path) -> Iterator[None]:
    from harness.core import declared, registry

    saved = os.environ.get(declared.FILE_ENV)
    os.environ[declared.FILE_ENV] = str(path)
    registry.providers.cache_clear()
    registry.declared_providers.cache_clear()
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(declared.FILE_ENV, None)
        else:
            os.environ[declared.FILE_ENV] = saved
        registry.providers.cache_clear()
        registry.declared_providers.cache_clear()
