"""Alibaba Cloud Model Studio (DashScope) Qwen-TTS: a provider of the HTTP speech family and the WebSocket speech
family (`declaration`: what its documents say; `models`: its wire payloads; `sockets`: the realtime WebSocket).
The package exports the provider only."""

from harness.providers.dashscope.declaration import PROVIDER

__all__ = ["PROVIDER"]
