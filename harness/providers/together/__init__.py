"""Together AI's text to speech: a provider of the HTTP speech family (`declaration`: what its documents say;
`models`: its wire payloads). The package exports the provider only."""

from harness.providers.together.declaration import PROVIDER

__all__ = ["PROVIDER"]
