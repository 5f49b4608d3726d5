"""Pixazo gateway: XTTS v2, Chatterbox, VibeVoice and VibeVoice-Realtime-0.5B behind one job API, a provider of
the jobs family (`declaration`: what its documents say; `models`: its wire payloads and lifecycle)."""

from harness.providers.pixazo.declaration import PROVIDER

__all__ = ["PROVIDER"]
