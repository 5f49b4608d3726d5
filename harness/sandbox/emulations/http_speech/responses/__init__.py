"""How the HTTP speech family's imitation answers: `emulation` (the `Emulation` subclass: every synthesis,
listing and token endpoint of a `SpeechService`) and `socket` (the WebSocket speech family's channels of the same
provider, `harness.core.protocols.websocket_speech`, imitated from their `Socket` declarations); `proto3` (a proto3
JSON document read by its camelCase names)."""
