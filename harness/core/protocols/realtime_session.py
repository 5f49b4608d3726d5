"""One realtime session run with a maintained WebSocket client (`websockets`), every frame recorded.

    session = await run_session(url, headers, messages, complete=..., closing=..., ssl=...)
    session = await speak(channel, base_url, headers, utterance)         # the grammar drives it

Time is the process's monotonic clock (`time.monotonic`, the sandbox's clock too, so a session lines up
with the sandbox's truth of the same stream), counted from the connect call (`Session.started_at`): a sent frame
is stamped when it is handed to the socket, a received one when `recv` returns it. Messages go out at
their `at_s` after the handshake completed (all at once, or paced like a language model's tokens); a
message sent `after` an event waits until the server's frames hold one of that kind (`heard`), its `at_s`
counting from then.
A key a protocol carries in a message (`KEY_SLOT`) is put in as the message leaves; the session keeps the mark.
The session ends when the server closes; when the client closes after the grammar says the utterance is
complete; when the connection drops (closing code None); or after `idle_timeout_s` without a frame. Where the
server is the one to close, it has `CLOSE_TIMEOUT_S` to do so once the utterance is complete, or once it sent an
error frame (`heard` holds ERROR); then the client closes: nothing it waits for can come any more.
A refused upgrade is kept as `handshake_status` (and the body's first 500 characters), not raised.
"""

from __future__ import annotations

import asyncio
import json
import ssl as ssl_module
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from harness.core.protocols.realtime_grammar import (
    KEY_SLOT,
    Channel,
    Closing,
    Direction,
    Event,
    Grammar,
    Kind,
    Outgoing,
    Session,
    Utterance,
)
from harness.core.redact import Redactor

CLOSE_TIMEOUT_S = 2.0
LOOK_S = 0.005  # how often a waiting receiver looks whether a frame has come (the width of its arrival bound)


async def run_session(
    url: str,
    headers: Mapping[str, str],
    messages: Sequence[Outgoing],
    *,
    complete: Callable[[Session], bool] | None = None,
    closing: Sequence[str] = (),
    client_closes: bool = True,
    ssl: ssl_module.SSLContext | None = None,
    idle_timeout_s: float = 30.0,
    secrets: tuple[str, ...] = (),
    heard: Callable[[Session], frozenset[Kind]] | None = None,
    key: str = "",
    quiet_s: float | None = None,
) -> Session:
    """Open `url`, send `messages` on their schedule, record everything until the socket ends. `quiet_s`: once every
    message is sent, the client closes when no frame has come for that long (a cancelled utterance, which has no end to
    wait for: `harness.core.protocols.cancel`)."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

    start = time.monotonic()

    def now() -> float:
        return time.monotonic() - start

    session = Session(url=Redactor(secrets).text(url), started_at=start)
    try:
        socket = await asyncio.wait_for(
            connect(
                url,
                additional_headers=dict(headers),
                ssl=ssl if url.startswith("wss:") else None,
                max_size=None,
                ping_interval=None,
                close_timeout=CLOSE_TIMEOUT_S,
                compression=None,
            ),
            idle_timeout_s,
        )
    except InvalidStatus as refused:
        session.handshake_status = refused.response.status_code
        session.handshake_body = Redactor(secrets).cut(refused.response.body.decode("utf-8", "replace"), 500)
        session.closing = Closing(None, f"the upgrade was refused with HTTP {session.handshake_status}", now())
        return session
    except (OSError, InvalidHandshake, TimeoutError) as error:
        session.closing = Closing(None, f"cannot connect: {type(error).__name__}: {error}", now(), by_server=False)
        return session
    session.opened_s = now()
    gate = _Gate(heard)
    sender = asyncio.create_task(_send_all(socket, session, messages, now, gate, key))
    try:
        quiet = None if quiet_s is None else (sender, quiet_s)
        await _receive(
            socket,
            session,
            now=now,
            complete=complete,
            closing=closing,
            client_closes=client_closes,
            idle_timeout_s=idle_timeout_s,
            gate=gate,
            key=key,
            quiet=quiet,
        )
    except ConnectionClosed as closed:
        received = closed.rcvd
        if received is None:
            session.closing = Closing(None, "the connection dropped without a close frame", now())
        else:
            session.closing = Closing(received.code, received.reason, now(), by_server=closed.rcvd_then_sent is True)
    finally:
        sender.cancel()
        await asyncio.gather(sender, return_exceptions=True)
        await socket.close()
    return session


class _Gate:
    """When each kind of event was first heard (`heard` of the session): messages sent `after` one wait for it."""

    def __init__(self, heard: Callable[[Session], frozenset[Kind]] | None) -> None:
        self.heard = heard
        self.first: dict[Kind, float] = {}
        self.changed = asyncio.Condition()

    async def look(self, session: Session, at_s: float) -> None:
        if self.heard is None:
            return
        new = [kind for kind in self.heard(session) if kind not in self.first]
        if new:
            async with self.changed:
                self.first.update({kind: at_s for kind in new})
                self.changed.notify_all()

    async def wait(self, kind: Kind) -> float:
        async with self.changed:
            await self.changed.wait_for(lambda: kind in self.first)
        return self.first[kind]


def _wire(message: str | bytes, key: str) -> str | bytes:
    """The message as it leaves: the key in its slot (the session records the slot). The slot sits in a JSON
    string, so the key goes in as JSON writes it there: a quote or a backslash in a key would break the message."""
    return message.replace(KEY_SLOT, json.dumps(key)[1:-1]) if key and isinstance(message, str) else message


async def _send_all(
    socket: Any, session: Session, messages: Sequence[Outgoing], now: Callable[[], float], gate: _Gate, key: str
) -> None:
    from websockets.exceptions import ConnectionClosed

    opened = session.opened_s or 0.0
    for outgoing in messages:
        base = opened
        if outgoing.after is not None and gate.heard is not None:
            base = await gate.wait(outgoing.after)
        delay = base + outgoing.at_s - now()
        if delay > 0:
            await asyncio.sleep(delay)
        session.add(Direction.SEND, now(), outgoing.message)
        try:
            await socket.send(_wire(outgoing.message, key))
        except ConnectionClosed:
            return  # the server ended the session; what it said is read by the receiver


async def _receive(
    socket: Any,
    session: Session,
    *,
    now: Callable[[], float],
    complete: Callable[[Session], bool] | None,
    closing: Sequence[str],
    client_closes: bool,
    idle_timeout_s: float,
    gate: _Gate,
    key: str,
    quiet: tuple[asyncio.Task[None], float] | None = None,
) -> None:
    finished = False
    bound = last_frame = session.opened_s or 0.0
    waiting_since: float | None = None  # since when only the server's close is awaited (complete, or an error)
    while True:
        looked = now()
        if not _queued(socket):  # nothing has arrived yet: the next frame arrives after this instant
            bound = looked
        try:
            # Wake every LOOK_S to look again (cancelling recv loses nothing): a frame's arrival is then
            # known to within LOOK_S plus the loop's delay, not to within the whole wait.
            message = await asyncio.wait_for(socket.recv(), LOOK_S)
        except TimeoutError:
            if waiting_since is not None and looked - waiting_since >= CLOSE_TIMEOUT_S:
                why = "the utterance was complete" if finished else "an error frame"
                session.closing = Closing(
                    1000, f"the server did not close {CLOSE_TIMEOUT_S:g} s after {why}", now(), by_server=False
                )
                await socket.close()
                return
            if (
                quiet is not None
                and quiet[0].done()
                and session.sent()
                and looked - max(last_frame, session.sent()[-1].t_s) >= quiet[1]
            ):
                session.closing = Closing(
                    1000, f"no frame for {quiet[1]:g} s after the client's last message", now(), by_server=False
                )
                await socket.close()
                return
            if looked - last_frame >= idle_timeout_s:
                session.closing = Closing(None, f"no frame for {idle_timeout_s:g} s", now(), by_server=False)
                return
            continue
        last_frame = now()
        session.arrived_after[session.add(Direction.RECV, last_frame, message).index] = bound
        await gate.look(session, last_frame)
        if waiting_since is None and Kind.ERROR in gate.first:
            waiting_since = last_frame
        if finished or complete is None or not complete(session):
            continue
        finished = True
        waiting_since = last_frame if waiting_since is None else waiting_since
        for text in closing:
            session.add(Direction.SEND, now(), text)
            await socket.send(_wire(text, key))
        if client_closes:
            session.closing = Closing(1000, "", now(), by_server=False)
            await socket.close()
            return


def _queued(socket: Any) -> bool:
    """Whether a received frame is already waiting in the client's queue (`websockets`' assembler). When the
    library hides it, say yes: the arrival bound then stays the previous frame's, which is always valid."""
    frames = getattr(getattr(socket, "recv_messages", None), "frames", None)
    try:
        return frames is None or len(frames) > 0
    except TypeError:
        return True


def reader(grammar: Grammar, enough: Callable[[Sequence[Event]], bool]) -> Callable[[Session], bool]:
    """A `complete` test for `run_session`: reads each new received frame into events (once), then asks
    `enough` whether the client has seen what it waits for."""
    events: list[Event] = []
    read = [0]

    def complete(session: Session) -> bool:
        for frame in session.frames[read[0] :]:
            if frame.direction is Direction.RECV:
                events.extend(grammar.read(frame).events)
        read[0] = len(session.frames)
        return enough(events)

    return complete


def listener(grammar: Grammar) -> Callable[[Session], frozenset[Kind]]:
    """A `heard` for `run_session`: the kinds of event the server's frames have held so far."""
    kinds: set[Kind] = set()

    def enough(events: Sequence[Event]) -> bool:
        kinds.update(e.kind for e in events)
        return False

    read = reader(grammar, enough)

    def heard(session: Session) -> frozenset[Kind]:
        read(session)
        return frozenset(kinds)

    return heard


async def speak(
    channel: Channel,
    base_url: str,
    headers: Mapping[str, str],
    utterance: Utterance,
    *,
    ssl: ssl_module.SSLContext | None = None,
    idle_timeout_s: float = 30.0,
    secrets: tuple[str, ...] = (),
    key: str = "",
) -> Session:
    """Say one utterance over `channel` at `base_url` as the grammar's client would, recording the session."""
    grammar = channel.grammar
    opening = grammar.opening(utterance)
    url = channel.url(base_url, opening.path_params, opening.query)
    complete = reader(grammar, lambda events: grammar.complete(events, opening))
    return await run_session(
        url,
        headers,
        opening.messages,
        complete=complete,
        closing=opening.closing,
        client_closes=opening.client_closes,
        ssl=ssl,
        idle_timeout_s=idle_timeout_s,
        secrets=(*secrets, key) if key else secrets,
        heard=listener(grammar),
        key=key,
    )
