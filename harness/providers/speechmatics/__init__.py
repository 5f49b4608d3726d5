"""Speechmatics' text to speech (preview): a provider of the HTTP speech family (`declaration`: what its quickstart
and official client say; `models`: its wire payloads). The package exports the provider only."""

from harness.providers.speechmatics.declaration import PROVIDER

__all__ = ["PROVIDER"]
