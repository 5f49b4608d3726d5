"""Mistral's Voxtral text to speech: a provider of the HTTP speech family and the WebSocket speech family
(`declaration`: what its documents say; `models`: its wire payloads; `sockets`: the realtime WebSocket). The
package exports the provider only."""

from harness.providers.mistral.declaration import PROVIDER

__all__ = ["PROVIDER"]
