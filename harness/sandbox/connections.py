"""How long the sandbox waits for a client, and what it says when one leaves.

A server that answers a network meets clients that connect and send nothing, that send a request's head
a byte at a time (slowloris), or that stop halfway through a body. uvicorn's h11 protocol waits for them
for ever: its one timer, `timeout_keep_alive`, runs only between two requests, and it offers no header or
body read timeout. `GuardedH11Protocol` adds the deadlines (`ConnectionTimeouts`): a request's head must
have arrived `head_s` after the connection opened (or after the first byte that follows a keep-alive
pause), its body `body_s` after its head; past a deadline the connection is closed, with one debug line.
While the application works on a request nothing is timed here (a hang fault must be able to hang).

A client that leaves mid-request makes the application's `receive()` say `http.disconnect`, and whatever
was reading the body raises (`ClientDisconnect`); uvicorn would log that as "Exception in ASGI
application" with a traceback, one per client. `QuietDisconnects` turns it into one debug line.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, ClassVar

import h11
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("harness.sandbox.connections")


@dataclass(frozen=True, slots=True)
class ConnectionTimeouts:
    """Seconds the sandbox waits for a client (all > 0)."""

    keep_alive_s: float = 30.0  # idle between two requests on one connection
    head_s: float = 10.0  # the request line and headers, from the connection's (or the request's) first moment
    body_s: float = 60.0  # the whole body, from the end of the head

    def __post_init__(self) -> None:
        if not all(0 < value < float("inf") for value in (self.keep_alive_s, self.head_s, self.body_s)):
            raise ValueError(f"connection timeouts must be finite and > 0, got {self}")


def _peer(client: tuple[str, int] | None) -> str:
    return f"{client[0]}:{client[1]}" if client else "a client"


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline on reading each request (see the module docstring)."""

    timeouts: ClassVar[ConnectionTimeouts] = ConnectionTimeouts()

    @classmethod
    def with_timeouts(cls, timeouts: ConnectionTimeouts) -> type[GuardedH11Protocol]:
        """The protocol class for one server (uvicorn builds one instance per connection from a class)."""
        return type(cls.__name__, (cls,), {"timeouts": timeouts})

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._deadline: asyncio.TimerHandle | None = None
        self._awaiting: str | None = None  # "head" or "body": what the running deadline waits for
        super().connection_made(transport)
        self._follow()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop()
        super().connection_lost(exc)

    def _follow(self) -> None:
        """Start, keep or stop the deadline for what the client owes now."""
        state = self.conn.their_state
        if self.transport.is_closing():
            self._stop()
        elif state is h11.IDLE and self.timeout_keep_alive_task is None:
            self._start("head", self.timeouts.head_s)  # a new request (or a fresh connection): its head
        elif state is h11.SEND_BODY:
            self._start("body", self.timeouts.body_s)
        else:
            self._stop()  # between requests (the keep-alive timer runs), or the application is working

    def _start(self, awaiting: str, seconds: float) -> None:
        if self._awaiting == awaiting:
            return  # a deadline runs from the first moment, not from the last byte (slowloris)
        self._stop()
        self._awaiting = awaiting
        self._deadline = self.loop.call_later(seconds, self._expire, awaiting, seconds)

    def _stop(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline, self._awaiting = None, None

    def _expire(self, awaiting: str, seconds: float) -> None:
        self._deadline, self._awaiting = None, None
        if not self.transport.is_closing():
            log.debug(
                "closing the connection of %s: no whole request %s within %g s", _peer(self.client), awaiting, seconds
            )
            self.transport.close()


class QuietDisconnects:
    """ASGI middleware: a request whose client left ends with one debug line, not a traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        gone = False

        async def watched() -> Message:
            nonlocal gone
            message = await receive()
            gone = gone or message["type"] == "http.disconnect"
            return message

        try:
            await self.app(scope, watched, send)
        except Exception as error:
            if not (gone or isinstance(error, ClientDisconnect)):
                raise
            log.debug(
                "%s left during %s %s (%s)",
                _peer(scope.get("client")),
                scope["method"],
                scope["path"],
                type(error).__name__,
            )


def uvicorn_settings(timeouts: ConnectionTimeouts) -> dict[str, Any]:
    """The `uvicorn.Config` arguments that apply the timeouts."""
    return {"http": GuardedH11Protocol.with_timeouts(timeouts), "timeout_keep_alive": timeouts.keep_alive_s}
