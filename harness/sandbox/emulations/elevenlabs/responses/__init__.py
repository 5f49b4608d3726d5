"""How the ElevenLabs imitation answers: `emulation` (the `Emulation` subclass and its HTTP handlers),
`socket` (the WebSocket channel, one connection at a time), `messages` (bodies and messages in the
protocol's shapes)."""
