"""Sarvam AI's text-to-speech REST API (Bulbul): a provider of the HTTP speech family (`declaration`: what its
documents say; `models`: its wire payloads), with its text-to-speech WebSocket (`sockets`). The package exports the
provider only."""

from harness.providers.sarvam.declaration import PROVIDER

__all__ = ["PROVIDER"]
