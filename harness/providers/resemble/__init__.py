"""Resemble AI's text to speech: a provider of the HTTP speech and WebSocket speech families (`declaration`: what
its reference says; `models`: its wire payloads; `sockets`: the streaming WebSocket). The package exports the
provider only."""

from harness.providers.resemble.declaration import PROVIDER

__all__ = ["PROVIDER"]
