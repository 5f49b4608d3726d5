"""elevenlabs as a built-in provider: a declaration (`declaration`) in its wire protocol's terms
(`harness.core.protocols`), reachable with its key alone. The package exports the provider only."""

from harness.providers.elevenlabs.declaration import PROVIDER

__all__ = ["PROVIDER"]
