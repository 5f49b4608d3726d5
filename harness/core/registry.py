"""Finding providers, from two sources: every installed package may register one under the
`tts_harness.providers` entry-point group (so adding a provider touches no core file), and a providers
file may declare more that speak a known protocol (`harness.core.declared`). This is the one discovery
path: the CLI, the contract suite, the sandbox and the benchmark all ask `providers()`."""

from __future__ import annotations

import os
from functools import cache
from importlib.metadata import entry_points

from harness.core import declared
from harness.core.errors import UsageError
from harness.core.spec import Provider

ENTRY_POINT_GROUP = "tts_harness.providers"
ONLY_ENV = "TTS_HARNESS_PROVIDERS"  # comma-separated names: load only these (e.g. to skip a broken plugin)


@cache
def providers() -> dict[str, Provider]:
    """All registered providers by name, in a stable order: installed ones, then the file's, in its order."""
    found: dict[str, Provider] = {}
    only = {name.strip() for name in os.environ.get(ONLY_ENV, "").split(",") if name.strip()}
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if only and entry.name not in only:
            continue
        try:
            provider = entry.load()
        except Exception as error:
            raise UsageError(
                f"provider plugin {entry.name!r} ({entry.value}) failed to load: {error}; "
                f"set {ONLY_ENV} to load only the others"
            ) from error
        if not isinstance(provider, Provider):
            raise TypeError(f"entry point {entry.value} is not a harness Provider")
        found[provider.name] = provider
    for provider in declared_providers():
        if only and provider.name not in only:
            continue
        if provider.name in found:
            raise UsageError(f"{provider.title}: the name {provider.name!r} is taken by an installed provider; "
                             "rename the table")
        found[provider.name] = provider
    return found


@cache
def declared_providers() -> tuple[Provider, ...]:
    """The providers the providers file in effect declares (none without a file)."""
    file = declared.load()
    return tuple(file.providers()) if file is not None else ()


def get_provider(name: str) -> Provider:
    known = providers()
    if name not in known:
        raise UsageError(f"unknown provider {name!r}; known: {', '.join(known) or 'none installed'}")
    return known[name]
