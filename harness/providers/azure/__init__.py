"""Azure AI Speech text to speech (REST): a provider of the HTTP speech family, SSML in and the audio out,
in a region (`declaration`: what its documents say; `models`: its wire payloads). Exports the provider."""

from harness.providers.azure.declaration import PROVIDER

__all__ = ["PROVIDER"]
