"""Gemini text to speech (the Gemini API's generateContent with audio output): a provider of the HTTP speech family
(`declaration`: what its documents say; `models`: its wire payloads). The package exports the provider only."""

from harness.providers.gemini.declaration import PROVIDER

__all__ = ["PROVIDER"]
