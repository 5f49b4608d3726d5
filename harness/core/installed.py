"""The installed providers as templates for a providers file: `like = "<name>"` starts from one, and an old
`protocol = "<name>"` table means the provider whose family declaration lists that name in
`SpeechService.file_protocols` (`harness.core.declared`).

The registry (`harness.core.registry`) finds the providers a command uses; this module only reads the installed
ones as declarations to copy, so it is not limited by `TTS_HARNESS_PROVIDERS` (a template is not a provider in
use) and a plugin that does not load is reported only when a file names it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib.metadata import entry_points

from harness.core.errors import UsageError
from harness.core.names import did_you_mean
from harness.core.spec import Provider

ENTRY_POINT_GROUP = "tts_harness.providers"


def _entries() -> dict[str, object]:
    return {entry.name: entry for entry in entry_points(group=ENTRY_POINT_GROUP)}


@cache
def builtin(name: str) -> Provider:
    """The installed provider registered as `name`; a `UsageError` (its reason, one line) where there is none
    or it does not load."""
    entry = _entries().get(name)
    if entry is None:
        raise UsageError(f"no installed provider is called {name!r}{did_you_mean(name, _entries())}")
    try:
        provider = entry.load()  # type: ignore[attr-defined]
    except Exception as error:
        reason = " ".join(f"{type(error).__name__}: {error}".split())
        raise UsageError(f"the installed provider {name} does not load ({reason})") from error
    if not isinstance(provider, Provider):
        raise UsageError(f"the installed provider {name} is a {type(provider).__name__}, not a harness Provider")
    return provider


@cache
def file_protocols() -> Mapping[str, str]:
    """Each `protocol =` name a built-in family provider claims (`SpeechService.file_protocols`) -> its name.
    A plugin that does not load claims nothing here."""
    claimed: dict[str, str] = {}
    for name in sorted(_entries()):
        try:
            provider = builtin(name)
        except UsageError:
            continue
        for protocol in getattr(provider.family, "file_protocols", ()):
            claimed.setdefault(protocol, name)
    return claimed
