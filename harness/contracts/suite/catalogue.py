"""The documentation catalogue (`harness/data/fixtures/docs/<provider>.json`, linked as the repository's
fixtures/docs): the shipped reference for the built-in providers' documents.

A catalogue holds every JSON example of its provider's documents (`examples`: doc, endpoint, kind, body,
note, and status or parts where they apply), the file names of those documents (`documents`), and the
passages the tests need quoted verbatim (`passages`: doc, endpoint, text). Tests read only this; the
documents themselves are read by the opt-in check in test_doc_examples.py here, from the folder that
`TTS_HARNESS_API_DOCS` names.
"""

from __future__ import annotations

import copy
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from harness.contracts.session import FIXTURES

CATALOGUE_DIR = FIXTURES / "docs"
API_DOCS_VARIABLE = "TTS_HARNESS_API_DOCS"


def catalogue_names() -> list[str]:
    """The providers that have a catalogue, sorted."""
    return sorted(path.stem for path in CATALOGUE_DIR.glob("*.json"))


@cache
def _load(provider: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CATALOGUE_DIR / f"{provider}.json").read_text(encoding="utf-8"))
    assert data["provider"] == provider, f"{provider}.json names {data['provider']!r}"
    return data


def catalogue(provider: str) -> dict[str, Any]:
    """A provider's catalogue, read once per session; each caller gets its own copy to change."""
    return copy.deepcopy(_load(provider))


def examples(provider: str) -> list[dict[str, Any]]:
    """Every documented JSON example of a provider, in document order."""
    return list(catalogue(provider)["examples"])


def documents(provider: str) -> list[str]:
    """The file names of a provider's documents."""
    return list(catalogue(provider)["documents"])


def passages(provider: str) -> list[dict[str, str]]:
    """The verbatim passages quoted from a provider's documents (none when the tests need none)."""
    return list(catalogue(provider).get("passages", []))


def api_docs_folder() -> Path | None:
    """The folder of the original documents when `TTS_HARNESS_API_DOCS` names one, else None.

    A name that is not a folder is a mistake worth stopping on, not a reason to skip quietly.
    """
    named = os.environ.get(API_DOCS_VARIABLE, "").strip()
    if not named:
        return None
    folder = Path(named)
    if not folder.is_dir():
        raise NotADirectoryError(f"{API_DOCS_VARIABLE}={named} is not a folder")
    return folder
