"""RFC 6901 JSON pointers over parsed JSON: the one reading (and writing, `put` and `drop`) every module of the
harness uses (it imports nothing of the harness, so the vocabulary and the readers below it can all use it)."""

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


def put(data: dict[str, Any], where: str, value: Any) -> None:
    """Set `value` at JSON pointer `where` in `data`, making what is missing on the way: an array where the
    next part is an index (`/candidates/0/content`), an object otherwise."""
    parts = [part.replace("~1", "/").replace("~0", "~") for part in where.lstrip("/").split("/")]
    node: Any = data
    for place, part in enumerate(parts):
        key: Any = int(part) if isinstance(node, list) else part
        if isinstance(node, list):
            node.extend([None] * (key + 1 - len(node)))
        if place == len(parts) - 1:
            node[key] = value
            return
        inner = node[key] if isinstance(node, list) else node.get(key)
        if not isinstance(inner, dict | list):
            inner = [] if parts[place + 1].isdigit() else {}
            node[key] = inner
        node = inner


def drop(data: dict[str, Any], where: str) -> None:
    """Remove the value at JSON pointer `where` from `data`, if it is there."""
    parts = [part.replace("~1", "/").replace("~0", "~") for part in where.lstrip("/").split("/")]
    for part in parts[:-1]:
        inner = data.get(part)
        if not isinstance(inner, dict):
            return
        data = inner
    data.pop(parts[-1], None)
