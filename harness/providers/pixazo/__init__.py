"""Pixazo gateway: XTTS v2, Chatterbox, VibeVoice and VibeVoice-Realtime-0.5B behind one job API."""

from harness.providers.pixazo.spec import PROVIDER

__all__ = ["PROVIDER"]
