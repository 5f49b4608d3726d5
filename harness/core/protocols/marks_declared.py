"""Where a provider's declaration says timing marks come: every synthesis (`http_speech.Synthesis.marks`) and socket
(`websocket_speech.Socket.marks`) that declares them. The one listing every face asks (the catalogue test that holds
them against the documents, a run that reads them). It names no provider."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
        found += [
            MarksPlace(ENDPOINT, s.endpoint.key, s.marks) for s in provider.family.syntheses if s.marks is not None
        ]
    found += [
        MarksPlace(CHANNEL, c.key, c.grammar.socket.marks)
        for c in provider.channels
        if isinstance(c.grammar, SocketGrammar) and c.grammar.socket.marks is not None
    ]
    return tuple(found)


def endpoint_marks(provider: Provider, key: str) -> Marks | None:
    """The marks the answers of the provider's endpoint `key` carry (None: it declares none)."""
    return next(
        (place.marks for place in declared_marks(provider) if place.over == ENDPOINT and place.key == key), None
    )


def ask_marks(provider: Provider, key: str, request: dict[str, Any]) -> Marks | None:
    """Make a request to endpoint `key` ask for the marks its answer carries, as a socket's declared messages ask for
    theirs (a flag in the socket's opening): every run reads the marks of the place an offering goes to. Marks that
    come in place of the audio (`lines`: a request of their own) are not asked here. Returns the marks (None: none
    declared)."""
    marks = endpoint_marks(provider, key)
    if marks is not None and not marks.lines:
        marks.ask(request)
    return marks
