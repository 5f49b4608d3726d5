"""Finding providers: every installed package may register one under the `tts_harness.providers`
entry-point group, so adding a provider touches no core file.

This is the only place providers are discovered; every command (bench, contract, providers, the pytest
plugin, the report) asks it, so they all see the same providers and fail the same way:

* `TTS_HARNESS_PROVIDERS=a,b` loads only the entry points named a and b; the others are never imported.
* Providers declared in a file (`harness.core.declared`: tts-harness.toml or `[tool.tts-harness]`)
  join the installed ones; a declared name that an installed provider already has is a `UsageError`, and
  so is a declared `key_env` that an installed provider reads (`declared.check_key_envs`: every installed
  plugin counts there, even one `TTS_HARNESS_PROVIDERS` leaves out).
* A plugin that does not load, or whose entry point is not a `Provider`, is a `UsageError` on one line
  that names the entry point (`name = module:ATTR`), says why, and says how to leave it out. A broken
  plugin is never skipped silently: a benchmark without it would look complete.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from importlib.metadata import EntryPoint, entry_points

from harness.core import declared
from harness.core.errors import UsageError
from harness.core.installed import ENTRY_POINT_GROUP  # one owner: the installed providers' group
from harness.core.names import not_known
from harness.core.prices import Rate
from harness.core.spec import Provider

ONLY_ENV = "TTS_HARNESS_PROVIDERS"  # comma-separated names: load only these (e.g. to skip a broken plugin)


def _load(entry: EntryPoint) -> Provider:
    where = f"provider plugin {entry.name} = {entry.value}"
    leave_out = f"set {ONLY_ENV} to the providers to load without it"
    try:
        provider = entry.load()
    except Exception as error:
        reason = " ".join(f"{type(error).__name__}: {error}".split())  # one line, whatever the message holds
        raise UsageError(f"{where} failed to load ({reason}); {leave_out}") from error
    if not isinstance(provider, Provider):
        raise UsageError(f"{where} is a {type(provider).__name__}, not a harness Provider; {leave_out}")
    return provider


@cache
def providers() -> dict[str, Provider]:
    """All registered providers by name, in a stable order: installed ones, then the file's, in its order."""
    only = {name.strip() for name in os.environ.get(ONLY_ENV, "").split(",") if name.strip()}
    found: dict[str, Provider] = {}
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if not only or entry.name in only:
            provider = _load(entry)
            found[provider.name] = provider
    for provider in declared_providers():
        if only and provider.name not in only:
            continue
        if provider.name in found:
            raise UsageError(
                f"{provider.title}: the name {provider.name!r} is taken by an installed provider; rename the table"
            )
        found[provider.name] = provider
    return found


@cache
def declared_providers() -> tuple[Provider, ...]:
    """The providers the providers file in effect declares (none without a file)."""
    file = declared.load(claimed=_claimed_key_envs())
    return tuple(file.providers()) if file is not None else ()


@cache
def declared_prices() -> Mapping[str, tuple[Rate, ...]]:
    """The team's own rates the providers file in effect gives (`[prices]`), by "provider/model"."""
    file = declared.load(claimed=_claimed_key_envs())
    return file.prices if file is not None else {}


def _claimed_key_envs() -> dict[str, str]:
    """Each installed provider's key variable -> its name. A plugin left out by `TTS_HARNESS_PROVIDERS` is
    loaded here too (its key is still in the environment); one that does not load claims nothing."""
    only = {name.strip() for name in os.environ.get(ONLY_ENV, "").split(",") if name.strip()}
    claimed: dict[str, str] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            provider = _load(entry)
        except UsageError:
            if not only or entry.name in only:
                raise  # a plugin in use that does not load: reported as providers() reports it
            continue
        if provider.key_env:
            claimed[provider.key_env] = f"the installed provider {provider.name}"
    return claimed


def get_provider(name: str) -> Provider:
    known = providers()
    if name not in known:
        raise UsageError(f"{not_known('provider', [name], known)}; known: {', '.join(known) or 'none installed'}")
    return known[name]
