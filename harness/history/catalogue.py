"""The catalogue watched: each provider's listings (voices, models), as every run kept them (`catalogues`,
recorded by `harness.bench.catalogue`), diffed run to run into findings of the run where they changed — a name
newly listed, a name no longer listed (a voice or model removed), a field the listing newly shows or no longer
shows (a parameter added, a `deprecated` flag appearing). Generic over any JSON listing: a name is the value of
an identifying key (`name`, `id`, `voice_id`, `ShortName`, ...) of an object inside a list, a field is a key path
with list positions as `*` (`/voices/*/naturalSampleRateHertz`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

# Keys that name an entry of a listing, in the documents' spellings (Google and OpenAI `name`, ElevenLabs
# `voice_id` / `model_id`, Polly `Id`, Azure `ShortName`); the first an object has is its name.
NAME_KEYS = ("ShortName", "voice_id", "model_id", "voiceId", "modelId", "Id", "id", "name", "Name")
SHOWN = 12  # names listed in one finding before "and N more"


def _names(document: Any) -> set[str]:
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


def diff(before: Any, after: Any) -> list[str]:
    """What changed between two answers of one listing, each a line (none: the same catalogue)."""
    changes = []
    old_names, new_names = _names(before), _names(after)
    if new_names - old_names:
        changes.append(f"newly listed: {_few(new_names - old_names)}")
    if old_names - new_names:
        changes.append(f"no longer listed: {_few(old_names - new_names)}")
    old_fields, new_fields = set(_fields(before)), set(_fields(after))
    if new_fields - old_fields:
        changes.append(f"the listing newly shows {_few(new_fields - old_fields)}")
    if old_fields - new_fields:
        changes.append(f"the listing no longer shows {_few(old_fields - new_fields)}")
    return changes


def catalogue_changes(listings: Iterable[tuple[str, Iterable[Mapping[str, Any]]]]
                      ) -> Iterator[tuple[str, str, str, str]]:
    """(run_id, provider, endpoint, change) for every change of a listing from the run before that kept it,
    over `listings` — (run_id, its catalogue rows) in run order. A listing that failed in a run (no JSON) is
    skipped: the next good answer is compared with the last good one."""
    last: dict[tuple[str, str], Any] = {}
    for run_id, rows in listings:
        for row in rows:
            if row["body_json"] is None or row["status"] != 200:
                continue
            key = (str(row["provider"]), str(row["endpoint"]))
            document = json.loads(str(row["body_json"]))
            if key in last:
                for change in diff(last[key], document):
                    yield run_id, key[0], key[1], change
            last[key] = document
