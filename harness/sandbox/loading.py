"""Finding what to serve: every registered provider with the emulation registered under its name, else under
the name of the protocol it speaks.

Emulations are plugins, as providers are: the `tts_harness.emulations` entry-point group maps a
provider's or a protocol's name to an `Emulation` instance, or to a subclass the engine builds with the
provider: a wire family's imitation serves every provider of the family (`jobs =
"harness.sandbox.emulations.jobs:EMULATION"`), and a provider with an emulation of its own registers it
under its name from its own package (`X = "harness.providers.X.emulation:EMULATION"`). The engine names
neither; a provider's declaration never names its emulation, so a third-party package can bring a
provider, an emulation of someone else's, or both. Providers come
from the one registry (`harness.core.registry`). A provider without a usable emulation is left out
with a one-line reason rather than taking the whole sandbox down.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from harness.core.registry import providers
from harness.core.spec import Provider
from harness.sandbox.emulation import Emulation

EMULATION_GROUP = "tts_harness.emulations"

log = logging.getLogger("harness.sandbox")


@dataclass(frozen=True, slots=True)
class Served:
    provider: Provider
    emulation: Emulation


class NoEmulation(LookupError):
    """A provider the sandbox cannot serve; the message is the one-line reason."""


def registered_emulations() -> dict[str, EntryPoint]:
    """The `tts_harness.emulations` entry points by provider name."""
    return {entry.name: entry for entry in entry_points(group=EMULATION_GROUP)}


def load_emulation(provider: Provider, entry: EntryPoint | None) -> Emulation:
    """The emulation `entry` names, built for `provider`; `NoEmulation` says why there is none."""
    if entry is None:
        raise NoEmulation(f"provider {provider.name!r} has no emulation registered under {EMULATION_GROUP!r}")
    try:
        target = entry.load()
    except Exception as error:
        raise NoEmulation(
            f"the emulation of {provider.name!r} ({entry.value}) does not load: {type(error).__name__}: {error}"
        ) from error
    if isinstance(target, type) and issubclass(target, Emulation):
        target = target(provider)
    if not isinstance(target, Emulation):
        raise NoEmulation(f"{entry.value} is neither an Emulation nor an Emulation subclass")
    return target


def load_served(
    only: tuple[str, ...] | None = None, emulations: Mapping[str, EntryPoint] | None = None
) -> list[Served]:
    """Every registered provider (of `only`, when given) with its emulation; the others are logged."""
    entries = registered_emulations() if emulations is None else emulations
    if not entries:  # an install made before the group existed: its metadata lists none
        log.warning(
            "no package registers an emulation under %r; reinstall tts-harness (pip install -e .) "
            "so its entry points are current",
            EMULATION_GROUP,
        )
    served = []
    for provider in providers().values():
        if only is not None and provider.name not in only:
            continue
        try:
            # A provider's own emulation, else the one of the protocol it speaks (providers declared in a file).
            entry = entries.get(provider.name) or (entries.get(provider.protocol) if provider.protocol else None)
            served.append(Served(provider, load_emulation(provider, entry)))
        except NoEmulation as reason:
            log.warning("sandbox leaves out %s", reason)
    if only is not None:
        missing = set(only) - {s.provider.name for s in served}
        if missing:
            log.warning("sandbox cannot serve requested providers: %s", ", ".join(sorted(missing)))
    return served
