"""Groq's text to speech (its OpenAI-compatible `/openai/v1/audio/speech`): a provider of the HTTP speech family
(`declaration`: what its official client says; `models`: its wire payloads). The package exports the provider only."""

from harness.providers.groq.declaration import PROVIDER

__all__ = ["PROVIDER"]
