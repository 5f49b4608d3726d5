"""Wire protocols that many providers speak, in the core vocabulary, so a provider that speaks one is a
few lines of configuration (see `harness.core.declared`) instead of a provider package.

    openai-speech    openai_speech.py     POST {base_url}/audio/speech (+ SSE)
    elevenlabs       elevenlabs.py        POST /v1/text-to-speech/{voice_id}[...] + WS stream-input
    cartesia         cartesia.py          POST /tts/bytes + WS /tts/websocket (contexts)
    http-speech      http_speech_file.py  a POST whose answer is the audio, or JSON with it at a pointer
                                          (the HTTP speech family, `http_speech.py`, as a providers file says it)

`realtime.py` is the WebSocket vocabulary the last three share (channels, frames, sessions, grammars);
`realtime_session.py` runs one session with the `websockets` client and records it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from harness.core.protocols import cartesia, elevenlabs, http_speech_file, openai_speech
from harness.core.protocols.declaration import ProtocolDeclaration
from harness.core.spec import Provider


@dataclass(frozen=True, slots=True)
class DeclarableProtocol:
    """A protocol a providers file may name: how its table is validated and turned into a `Provider`."""

    name: str
    declaration: type[ProtocolDeclaration]
    build: Callable[[Any, str], Provider]


DECLARABLE: Mapping[str, DeclarableProtocol] = {
    p.name: p for p in (
        DeclarableProtocol(openai_speech.PROTOCOL, openai_speech.SpeechDeclaration, openai_speech.build_provider),
        DeclarableProtocol(elevenlabs.PROTOCOL, elevenlabs.ElevenLabsDeclaration, elevenlabs.build_provider),
        DeclarableProtocol(cartesia.PROTOCOL, cartesia.CartesiaDeclaration, cartesia.build_provider),
        DeclarableProtocol(http_speech_file.PROTOCOL, http_speech_file.HttpSpeechDeclaration,
                           http_speech_file.build_provider),
    )
}
