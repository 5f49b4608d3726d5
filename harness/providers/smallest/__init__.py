"""Smallest.ai's Waves text to speech (Lightning): a provider of the HTTP speech and WebSocket speech families
(`declaration`: what its official client says; `models`: its wire payloads; `sockets`: the live WebSocket). The
package exports the provider only."""

from harness.providers.smallest.declaration import PROVIDER

__all__ = ["PROVIDER"]
