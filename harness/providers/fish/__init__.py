"""Fish Audio's text to speech API: a provider of the HTTP speech family (`declaration`: what its documents and
official client say; `models`: its wire payloads). The package exports the provider only."""

from harness.providers.fish.declaration import PROVIDER

__all__ = ["PROVIDER"]
