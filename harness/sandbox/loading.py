"""Finding what to serve: every registered provider whose spec names an emulation that imports.

The engine names no provider. It asks the registry for providers and imports each one's
`Provider.emulation` ("module:ATTR"; ATTR is an `Emulation` instance, or a subclass taking the provider).
A provider that fails to load, or has no emulation yet, is skipped with a warning rather than taking the
whole sandbox down: providers are developed independently.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from importlib.metadata import entry_points

from harness.core.registry import ENTRY_POINT_GROUP, providers
from harness.core.spec import Provider
from harness.sandbox.emulation import Emulation

log = logging.getLogger("harness.sandbox")


@dataclass(frozen=True, slots=True)
class Served:
    provider: Provider
    emulation: Emulation


def _registered() -> list[Provider]:
    try:
        return list(providers().values())
    except Exception as error:  # one broken provider package must not hide the others
        log.warning("provider registry failed to load (%s); loading providers one by one", error)
    found = []
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            provider = entry.load()
        except Exception as error:
            log.warning("sandbox skips provider %r: it does not load (%s: %s)", entry.name, type(error).__name__, error)
            continue
        if isinstance(provider, Provider):
            found.append(provider)
    return found


def load_emulation(provider: Provider) -> Emulation:
    if not provider.emulation:
        raise LookupError(f"provider {provider.name!r} declares no emulation")
    module_name, _, attr = provider.emulation.partition(":")
    target = getattr(importlib.import_module(module_name), attr or "EMULATION")
    if isinstance(target, Emulation):
        return target
    if isinstance(target, type) and issubclass(target, Emulation):
        return target(provider)
    raise TypeError(f"{provider.emulation} is neither an Emulation nor an Emulation subclass")


def load_served(only: tuple[str, ...] | None = None) -> list[Served]:
    served = []
    for provider in _registered():
        if only is not None and provider.name not in only:
            continue
        try:
            served.append(Served(provider, load_emulation(provider)))
        except Exception as error:
            log.warning("sandbox skips provider %r: no usable emulation (%s: %s)",
                        provider.name, type(error).__name__, error)
    if only is not None:
        missing = set(only) - {s.provider.name for s in served}
        if missing:
            log.warning("sandbox cannot serve requested providers: %s", ", ".join(sorted(missing)))
    return served
