"""RFC 6901 JSON pointers read over parsed JSON: the one reading every module of the harness uses (it imports
nothing of the harness, so the vocabulary and the readers below it can all use it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def resolve(data: Any, json_pointer: str) -> tuple[bool, Any]:
    """(found, value) at an RFC 6901 pointer."""
    current = data
    for raw in json_pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return False, None
    return True, current
