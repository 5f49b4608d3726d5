"""MiniMax's T2A v2 (synchronous HTTP): a provider of the HTTP speech family (`declaration`: what its documents
say; `models`: its wire payloads). The package exports the provider only."""

from harness.providers.minimax.declaration import PROVIDER

__all__ = ["PROVIDER"]
