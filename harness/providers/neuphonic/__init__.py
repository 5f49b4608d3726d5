"""Neuphonic's text to speech API: a provider of the HTTP speech family (`declaration`: what its official client says;
`models`: its wire payloads). The package exports the provider only."""

from harness.providers.neuphonic.declaration import PROVIDER

__all__ = ["PROVIDER"]
