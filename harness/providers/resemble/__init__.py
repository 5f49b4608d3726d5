"""Resemble AI's synthesis API: a provider of the HTTP speech family (`declaration`: what its official client and
integrations say; `models`: its wire payloads). The package exports the provider only."""

from harness.providers.resemble.declaration import PROVIDER

__all__ = ["PROVIDER"]
