"""Issue 65: every built-in offering whose documents return times has them declared. The catalogue's `marks` section
(`harness/data/fixtures/docs/<provider>.json`) lists every endpoint and socket whose stored documents say they return
word or character times, with the documents' words; each is declared (`declared_marks`) and its declaration quotes
those words, or it is a gap the catalogue names with its reason, and no declaration exists for it. A declaration the
catalogue does not list fails too."""

from __future__ import annotations

from typing import Any

import pytest

from harness.contracts.suite.catalogue import catalogue, catalogue_names
from harness.core.protocols.marks_declared import CHANNEL, ENDPOINT, declared_marks
from harness.core.registry import providers

BUILT_IN = [name for name in catalogue_names() if name in providers()]


def _words(text: str) -> str:
    return " ".join(text.split())


def _entries(name: str) -> list[dict[str, Any]]:
    return list(catalogue(name).get("marks", []))


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_catalogued_offering_with_times_is_declared_quoting_its_documents(name: str) -> None:
    declared = {(place.over, place.key): place.marks for place in declared_marks(providers()[name])}
    listed = {(entry["over"], entry["key"]): entry for entry in _entries(name)}
    for (over, key), entry in listed.items():
        assert over in (ENDPOINT, CHANNEL) and entry["doc"] and entry["quote"], f"{name} {key}: incomplete entry"
        if "gap" in entry:
            assert (over, key) not in declared, f"{name} {over} {key} is declared now: drop its gap from the catalogue"
            continue
        assert (over, key) in declared, f"{name} {over} {key}: its documents return times, no marks declared"
        assert _words(entry["quote"]) in _words(declared[(over, key)].evidence), (
            f"{name} {over} {key}: the declaration does not quote {entry['quote']!r}"
        )
    unlisted = sorted(set(declared) - set(listed))
    assert not unlisted, f"{name}: marks declared without a catalogue entry quoting the documents: {unlisted}"


def test_the_catalogue_lists_the_offerings_issue_65_names() -> None:
    """The providers the issue names as returning times are all catalogued, declared or with a gap."""
    named = {
        "elevenlabs",
        "cartesia",
        "inworld",
        "resemble",
        "speechify",
        "rime",
        "polly",
        "fish",
        "lmnt",
        "minimax",
        "google",
    }
    assert named <= {name for name in BUILT_IN if _entries(name)}
