"""The catalogue watched: each provider's listings (voices, models), as every run kept them (`catalogues`,
recorded by `harness.runner.deliver.catalogue`), diffed run to run (`harness.core.catalogue.diff`) into findings of the
run where they changed — a name newly listed, a name no longer listed (a voice or model removed), a field the listing
newly shows or no longer shows (a parameter added, a `deprecated` flag appearing)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from harness.core.catalogue import diff
from harness.results import CatalogueRow


def catalogue_changes(listings: Iterable[tuple[str, Iterable[CatalogueRow]]]) -> Iterator[tuple[str, str, str, str]]:
    """(run_id, provider, endpoint, change) for every change of a listing from the run before that kept it,
    over `listings` — (run_id, its catalogue rows) in run order. A listing that failed in a run (no JSON) is
    skipped: the next good answer is compared with the last good one."""
    last: dict[tuple[str, str], Any] = {}
    for run_id, rows in listings:
        for listing in rows:
            if listing.body_json is None or listing.status != 200:
                continue
            key = (listing.provider, listing.endpoint)
            document = json.loads(listing.body_json)
            if key in last:
                for change in diff(last[key], document):
                    yield run_id, key[0], key[1], change
            last[key] = document
