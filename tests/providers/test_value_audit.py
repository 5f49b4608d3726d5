"""The value audit, both ways (issue 67): for each socket and HTTP format parameter the documents catalogue lists values
for (`harness/data/fixtures/docs/<name>.json`, `values`: the parameter, the values and the quoted words with their
page), the values the declaration accepts are exactly the documented ones. A documented value the declaration refuses
fails, unless the entry names it under `not_imitated` with the reason (each such reason points at
docs/sandbox-differences.md, where the difference is listed); a value the declaration accepts that no document lists
fails too (it would be taken without a finding)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest

from harness.core.protocols.http_speech import Format
from harness.core.protocols.websocket_speech import socket_of
from harness.core.registry import providers

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "harness" / "data" / "fixtures" / "docs"
DIFFERENCES = (ROOT / "docs" / "sandbox-differences.md").read_text()


def _entries() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(DOCS.glob("*.json")):
        for entry in json.loads(path.read_text()).get("values", ()):
            yield path.stem, entry


def _formats(provider: str, where: str) -> Sequence[Format]:
    kind, _, key = where.partition(" ")
    if kind == "socket":
        return socket_of(providers()[provider].channel(key)).formats
    return import_module(f"harness.providers.{provider}.declaration").SERVICE.synthesis(key).formats


def _accepted(formats: Sequence[Format], field: str) -> set[Any]:
    """What the declaration takes at the parameter: the format names, every rate, or a field the formats set."""
    if field == "name":
        return {f.name for f in formats}
    if field == "rate":
        return {rate for f in formats for rate in (f.rates or (f.spec.sample_rate,))}
    return {f.sets[field] for f in formats if f.sets.get(field) is not None}


ENTRIES = list(_entries())


@pytest.mark.parametrize(("provider", "entry"), ENTRIES,
                         ids=[f"{p}:{e['where']}:{e['parameter']}" for p, e in ENTRIES])
def test_declared_values_are_the_documented_ones(provider: str, entry: dict[str, Any]) -> None:
    assert entry["doc"] and entry["quote"], "each list quotes its page"
    documented = set(entry["values"])
    if "range" in entry:
        low, high = entry["range"]
        documented |= set(range(low, high + 1))
    accepted = _accepted(_formats(provider, entry["where"]), entry["field"])
    # JSON keys are text: a rate left out is named as its digits
    left_out = {int(value) if entry["field"] == "rate" else value: reason
                for value, reason in entry.get("not_imitated", {}).items()}
    assert not set(left_out) & accepted, f"named as not imitated, yet accepted: {set(left_out) & accepted}"
    assert all("sandbox-differences" in reason for reason in left_out.values())
    refused = documented - accepted - set(left_out)
    assert not refused, f"documented, refused: {sorted(refused, key=str)}"
    beyond = accepted - documented
    assert not beyond, f"accepted, documented nowhere: {sorted(beyond, key=str)}"


def test_every_value_left_out_is_a_listed_difference() -> None:
    for provider, entry in ENTRIES:
        for value in entry.get("not_imitated", {}):
            assert f"`{value}`" in DIFFERENCES, f"{provider} {entry['where']} {value}: not a listed difference"
