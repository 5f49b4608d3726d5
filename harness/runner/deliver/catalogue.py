"""The providers' catalogues, kept with each run: every endpoint a provider documents as listing its voices or
models (`Provider.catalogue`) is asked once as the run starts, through the run's own target and keys, and its
answer stored as a row (`catalogues`), so `tts-harness history` can diff them run to run — a voice added, a model
removed, a field the listing newly shows (`harness.history.catalogue`). A listing that fails is kept as its
one-line error: it never fails the run, whose jobs are what was asked for."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import httpx

from harness._version import __version__
from harness.core.account_catalogue import CatalogueError, from_listings, load_catalogue_file
from harness.core.errors import HarnessError, UsageError
from harness.core.protocols.catalogues import AccountCatalogue
from harness.core.redact import Redactor
from harness.core.spec import Provider
from harness.core.transport import build_request
from harness.results import CatalogueRow, Existing, Store, now_iso, read_latest_catalogues
from harness.runner.deliver.deadline import Deadline
from harness.runner.deliver.exchange import ExchangeFailed, send
from harness.runner.plan.target import Target

MAX_BODY_BYTES = 4_000_000  # a listing larger than this is kept as its size (a voices list can be ~1 MB)
SQLITE_MAGIC = b"SQLite format 3\x00"  # the first bytes of every SQLite database file (a runs.db)


def account_catalogues(path: Path) -> dict[str, AccountCatalogue]:
    """The team's own catalogue from `path` (`--catalogue FILE`): a TOML or JSON file of voices and models per
    provider (`harness.core.account_catalogue`), or a results store whose latest run recorded the providers'
    listings live (this module's rows): their names, as the account had them. UsageError, one line, otherwise."""
    try:
        with path.open("rb") as opened:
            head = opened.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise UsageError(f"--catalogue {path}: cannot read it ({error.strerror or error})") from None
    if head != SQLITE_MAGIC:
        try:
            return load_catalogue_file(path)
        except CatalogueError as error:
            raise UsageError(str(error)) from None
    rows = read_latest_catalogues(path)
    if not rows:
        raise UsageError(
            f"--catalogue {path}: a results store in which no run recorded a catalogue (a live "
            "`bench run` records each provider's listings)"
        )
    return from_listings(rows)


async def record_catalogues(
    run_id: str,
    providers: Iterable[Provider],
    target: Target,
    store: Store,
    client: httpx.AsyncClient,
    within_s: float = 60.0,
) -> int:
    """Ask every catalogue endpoint of `providers` once and keep the answers; how many were asked. A resumed
    run keeps the answers it had (the listing as the run first found it). Each listing is given `within_s`
    seconds in all (`--request-timeout`): a listing that drips never holds the run."""
    rows = []
    for provider in providers:
        for key in provider.catalogue:
            rows.append(await _listing(run_id, provider, key, target, client, within_s))
    store.insert("catalogues", rows, Existing.KEEP)
    return len(rows)


async def _listing(
    run_id: str, provider: Provider, key: str, target: Target, client: httpx.AsyncClient, within_s: float
) -> CatalogueRow:
    asked = CatalogueRow(
        run_id=run_id, provider=provider.name, endpoint=key, harness_version=__version__, fetched_at=now_iso()
    )
    redactor = Redactor(target.secrets)
    try:
        endpoint = provider.endpoint(key)
        request = build_request(
            provider, endpoint, target.base_url(provider, endpoint.host), None, key=target.key(provider)
        )
        exchange = await send(
            client,
            request,
            secrets=target.secrets,
            deadline=Deadline.after(within_s, whose="a listing's", setting="--request-timeout"),
        )
    except (ExchangeFailed, HarnessError, httpx.HTTPError, KeyError) as error:
        return replace(asked, error=redactor.text(str(error).splitlines()[0] if str(error) else type(error).__name__))
    answered = replace(asked, status=exchange.response.status_code)
    if len(exchange.body) > MAX_BODY_BYTES:
        return replace(answered, error=f"a listing of {len(exchange.body):,} bytes, beyond the {MAX_BODY_BYTES:,} kept")
    try:
        return replace(answered, body_json=redactor.text(json.dumps(json.loads(exchange.body), sort_keys=True)))
    except ValueError:
        return replace(answered, error=f"not JSON ({exchange.response.headers.get('content-type', 'no Content-Type')})")
