"""A catalogue listing (voices, models) diffed with an earlier answer of the same endpoint: what a provider
newly lists, no longer lists, newly shows or no longer shows. Generic over any JSON listing: a name is the value
of an identifying key (`name`, `id`, `voice_id`, `ShortName`, ...) of an object inside a list, a field is a key
path with list positions as `*` (`/voices/*/naturalSampleRateHertz`). One owner for the nightly history
(`harness.history.catalogue`) and `contracts diff` (`harness.report.contract_diff`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

# Keys that name an entry of a listing, in the spellings listing documents use; the first an object has is its
# name.
NAME_KEYS = ("ShortName", "voice_id", "model_id", "voiceId", "modelId", "Id", "id", "name", "Name")
SHOWN = 12  # names listed in one finding before "and N more"


def names(document: Any) -> set[str]:
    """The names a listing lists: each identifying key's value (`NAME_KEYS`) of an object inside a list."""
    found: set[str] = set()

    def walk(node: Any, in_list: bool) -> None:
        if isinstance(node, Mapping):
            if in_list:
                name = next((node[k] for k in NAME_KEYS if isinstance(node.get(k), str)), None)
                if name is not None:
                    found.add(name)
            for value in node.values():
                walk(value, False)
        elif isinstance(node, list):
            for item in node:
                walk(item, True)

    walk(document, False)
    return found


def _fields(document: Any, path: str = "") -> Iterator[str]:
    if isinstance(document, Mapping):
        for key, value in document.items():
            here = f"{path}/{key}"
            yield here
            yield from _fields(value, here)
    elif isinstance(document, list):
        for item in document:
            yield from _fields(item, f"{path}/*")


def _few(names: Iterable[str]) -> str:
    ordered = sorted(names)
    more = f" and {len(ordered) - SHOWN} more" if len(ordered) > SHOWN else ""
    return ", ".join(ordered[:SHOWN]) + more


def listed(before: Any, after: Any) -> tuple[str, str]:
    """The names newly listed and those no longer listed, each as one phrase ("" where none)."""
    old_names, new_names = names(before), names(after)
    added = f"newly listed: {_few(new_names - old_names)}" if new_names - old_names else ""
    removed = f"no longer listed: {_few(old_names - new_names)}" if old_names - new_names else ""
    return added, removed


def diff(before: Any, after: Any) -> list[str]:
    """What changed between two answers of one listing, each a line (none: the same catalogue)."""
    changes = [phrase for phrase in listed(before, after) if phrase]
    old_fields, new_fields = set(_fields(before)), set(_fields(after))
    if new_fields - old_fields:
        changes.append(f"the listing newly shows {_few(new_fields - old_fields)}")
    if old_fields - new_fields:
        changes.append(f"the listing no longer shows {_few(old_fields - new_fields)}")
    return changes
