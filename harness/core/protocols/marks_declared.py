"""Where a provider's declaration says timing marks come: every synthesis (`http_speech.Synthesis.marks`) and socket
(`websocket_speech.Socket.marks`) that declares them. The one listing every face asks (the catalogue test that holds
them against the documents, a run that reads them). It names no provider."""

from __future__ import annotations

from dataclasses import dataclass

from harness.core.protocols.http_speech import SpeechService
from harness.core.protocols.marks import Marks
from harness.core.protocols.websocket_speech import SocketGrammar
from harness.core.spec import Provider

ENDPOINT, CHANNEL = "endpoint", "channel"


@dataclass(frozen=True, slots=True)
class MarksPlace:
    """An endpoint (HTTP) or a channel (a socket) whose answers carry marks, and their declaration."""

    over: str  # ENDPOINT or CHANNEL: an endpoint and a channel may share a key ("tts.live", an SSE and a socket)
    key: str
    marks: Marks


def declared_marks(provider: Provider) -> tuple[MarksPlace, ...]:
    """The provider's declared marks, each with the endpoint (or channel) whose answers carry them."""
    found: list[MarksPlace] = []
    if isinstance(provider.family, SpeechService):
        found += [MarksPlace(ENDPOINT, s.endpoint.key, s.marks) for s in provider.family.syntheses
                  if s.marks is not None]
    found += [MarksPlace(CHANNEL, c.key, c.grammar.socket.marks) for c in provider.channels
              if isinstance(c.grammar, SocketGrammar) and c.grammar.socket.marks is not None]
    return tuple(found)
