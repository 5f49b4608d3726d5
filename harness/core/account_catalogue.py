"""A team's own catalogue, read: the voices and models its account holds per provider, so the sandbox speaks its cloned
and library voices and its current models as the provider does (`harness.core.protocols.catalogues.AccountCatalogue`).

Two forms. A file the team writes, TOML or JSON, a table per provider:

    [elevenlabs]
    voices = ["aBcD1234eFgH5678iJkL"]      # cloned, designed, library voices added to the account
    models = ["eleven_v4_preview"]        # models newer than the stored reference
    missing = ["OldVoiceRemoved00000"]    # ids to answer with the provider's not-found refusal

(JSON: `{"elevenlabs": {"voices": [...], "models": [...]}}`). Or the catalogue a live run recorded (the listing
answers in runs.db's `catalogues` table, `harness.runner.deliver.catalogue`), turned into one by `from_listings`: each
listing's names (`harness.core.catalogue.names`) are the provider's models where the listing endpoint's key names
models, else its voices. Every problem is one line (`CatalogueError`) naming the file and the place.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from harness.core.catalogue import names
from harness.core.protocols.catalogues import NO_ACCOUNT, AccountCatalogue

LISTS = ("voices", "models", "missing")


class CatalogueError(ValueError):
    """A catalogue file the harness cannot read, in one line."""


def parse_catalogue(document: Any, where: str) -> dict[str, AccountCatalogue]:
    """The account catalogues a parsed file holds: {provider: {"voices", "models", "missing"}}."""
    if not isinstance(document, Mapping):
        raise CatalogueError(f"{where}: expected a table per provider, got a {type(document).__name__}")
    found: dict[str, AccountCatalogue] = {}
    for provider, table in document.items():
        if not isinstance(table, Mapping):
            raise CatalogueError(f"{where}: [{provider}] must be a table of voices, models and/or missing")
        unknown = sorted(set(table) - set(LISTS))
        if unknown:
            raise CatalogueError(f"{where}: [{provider}] has {', '.join(unknown)}; give voices, models and/or missing")
        lists = {}
        for name in LISTS:
            ids = table.get(name, [])
            if not isinstance(ids, list) or not all(isinstance(i, str) and i.strip() for i in ids):
                raise CatalogueError(f"{where}: [{provider}] {name} must be a list of ids (non-empty strings)")
            lists[name] = frozenset(i.strip() for i in ids)
        found[str(provider)] = AccountCatalogue(lists["voices"], lists["models"], lists["missing"])
    return found


def load_catalogue_file(path: Path) -> dict[str, AccountCatalogue]:
    """A TOML or JSON catalogue file (by its suffix; anything else is tried as TOML, then JSON)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError(f"--catalogue {path}: cannot read it ({error.__class__.__name__}: {error})") from None
    readers = [_json, _toml] if path.suffix.lower() == ".json" else [_toml, _json]
    problems = []
    for reader in readers:
        try:
            return parse_catalogue(reader(text), f"--catalogue {path}")
        except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
            problems.append(str(error).splitlines()[0])
    kinds = "JSON" if path.suffix.lower() == ".json" else "TOML nor JSON"
    raise CatalogueError(f"--catalogue {path}: not {kinds} ({problems[0]})")


def _toml(text: str) -> Any:
    return tomllib.loads(text)


def _json(text: str) -> Any:
    return json.loads(text)


class StoredListing(Protocol):
    """A recorded listing, as the store keeps it (a row of `catalogues`, `harness.results.CatalogueRow`): the core
    names what it reads of one, not the store's record."""

    @property
    def provider(self) -> str: ...
    @property
    def endpoint(self) -> str: ...
    @property
    def status(self) -> int | None: ...
    @property
    def body_json(self) -> str | None: ...


def from_listings(listings: Iterable[StoredListing]) -> dict[str, AccountCatalogue]:
    """The account catalogues a run's recorded listings hold: a listing that failed adds nothing."""
    found: dict[str, AccountCatalogue] = {}
    for listing in listings:
        if listing.status != 200 or listing.body_json is None:
            continue
        listed = frozenset(names(json.loads(listing.body_json)))
        models = "model" in listing.endpoint.lower()
        adding = AccountCatalogue(models=listed) if models else AccountCatalogue(voices=listed)
        found[listing.provider] = found.get(listing.provider, NO_ACCOUNT).merged(adding)
    return found


def merged(*catalogues: Mapping[str, AccountCatalogue]) -> dict[str, AccountCatalogue]:
    """Several catalogues as one, provider by provider."""
    whole: dict[str, AccountCatalogue] = {}
    for catalogue in catalogues:
        for provider, account in catalogue.items():
            whole[provider] = whole.get(provider, NO_ACCOUNT).merged(account)
    return whole
