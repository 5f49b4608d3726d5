"""Wire protocols that many providers speak, in the core vocabulary, so a provider that speaks one is a
few lines of configuration (see `harness.core.declared`) instead of a provider package.

    http-speech      http_speech_file.py  a POST whose answer is the audio, or JSON with it at a pointer
                                          (the HTTP speech family, `http_speech.py`, as a providers file says it),
                     websocket_speech_file.py  and sockets beside it (`[providers.x.sockets.<key>]`, `Socket`'s terms)

A table may instead start from a built-in family provider, `like = "<name>"`: one of the HTTP or WebSocket speech
families (`like.py`) or of the asynchronous jobs family (`like_jobs.py`); an old `protocol = "X"` means the built-in
whose `SpeechService.file_protocols` lists X (`harness.core.declared`).

`conformance.py` is what a compatible server of a built-in's API must do, clause by clause in its documents' words
(`SpeechService.conformance`, run by `tts-harness conform`).

`realtime_grammar.py` is the WebSocket vocabulary (channels, frames, sessions, the `Grammar` a socket is read with)
that the WebSocket speech family (`websocket_speech.py`: its `SocketGrammar`) speaks for every socket, a built-in's
or a file's; `realtime_session.py` runs one session with the `websockets` client and records it;
`realtime_events.py` is the Realtime event grammar (conversation.item.create, response.create, audio and transcript
deltas, response.done, error) the speech-to-speech sockets that copy it share as data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.core.protocols.declaration import ProtocolDeclaration
    from harness.core.spec import Provider


@dataclass(frozen=True, slots=True)
class DeclarableProtocol:
    """A protocol a providers file may name: how its table is validated and turned into a `Provider`."""

    name: str
    declaration: type[ProtocolDeclaration]
    build: Callable[[Any, str], Provider]


@cache
def declarable() -> Mapping[str, DeclarableProtocol]:
    """The protocols a providers file may name, by name. Built on first use, not when the package is imported:
    every module of the package imports this one first, and the families below (the HTTP speech family, its
    sockets, their wire models) are a good part of the CLI's start-up, which a command that reads no providers
    file (`bench run --help`, `report`) need not pay."""
    from harness.core.protocols import http_speech_file, websocket_speech_file

    return {
        p.name: p
        for p in (
            # The HTTP speech family, with the sockets a table may declare beside its endpoint (websocket_speech_file).
            DeclarableProtocol(
                http_speech_file.PROTOCOL,
                websocket_speech_file.SocketsDeclaration,
                websocket_speech_file.build_provider,
            ),
        )
    }
