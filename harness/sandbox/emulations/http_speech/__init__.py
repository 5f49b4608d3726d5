"""The sandbox's imitation of every provider of the HTTP speech family (`harness.core.protocols.http_speech`):
any `SpeechService` is served from its declaration alone (`responses` says what it honours)."""

from harness.sandbox.emulations.http_speech.responses.emulation import SpeechServiceEmulation

# A class, built by the engine for each provider whose `protocol` is "http-speech".
EMULATION = SpeechServiceEmulation

__all__ = ["EMULATION"]
