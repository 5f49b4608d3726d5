"""Timing-faithful replay of a recorded WebSocket session: a loopback server that plays it back.

A recorded `Session` (harness.core.protocols.realtime_grammar) holds every frame with its offset and direction.
`SessionReplay` serves it on a free loopback port (the `websockets` server, as the client is
`websockets`): a refused upgrade is refused again with its status; otherwise each server frame is sent
at its recorded offset from the client's first message (from the open for frames before any), so what
the client measures from its first text (time to first audio) is what it measured when the session was
recorded — but never before the replayed client's message it followed in the recording has arrived
(a client slower than the recorded one is answered after it speaks, as a server would). The session then ends
as recorded: the server's close frame with its code at its offset, a dropped connection (no close
frame), or the client's close.

    async with SessionReplay(recorded) as replay:
        session = await run_check(RealtimeTarget(provider, replay.base_url, "any-key"), plan)

`first_audio_ms(session, grammar)` is the time to first audio of a session (from the first text token,
as `bench run` counts it), the figure a recording promises with `first_audio_within_ms` (a key of the fixture);
`judge_replayed` replays a fixture with its check's plan and judges what this client saw.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from typing import Any

from harness.contracts.frame_checks import FrameFindings
from harness.contracts.realtime_checks import RealtimeTarget, judge, plans, run_check
from harness.contracts.replay import FIRST_AUDIO_FIELD, late_first_audio, pause_until
from harness.core import event_loop
from harness.core.protocols.realtime_grammar import Direction, Frame, Grammar, Kind, Session
from harness.core.spec import Provider

HOST = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class _Scheduled:
    """A server frame (or the recorded close), and how many client messages came before it."""

    after: int  # client messages recorded before it: it never leaves before the replayed client's `after`-th
    offset_s: float  # from the first client message (from the open when `after` is 0)
    frame: Frame | None  # None: the recorded close


def _schedule(session: Session) -> list[_Scheduled]:
    sends = [f.t_s for f in session.frames if f.direction is Direction.SEND]
    opened = session.opened_s or 0.0
    planned: list[_Scheduled] = []
    seen = 0
    for frame in session.frames:
        if frame.direction is Direction.SEND:
            seen += 1
            continue
        planned.append(_Scheduled(seen, max(0.0, frame.t_s - (sends[0] if seen else opened)), frame))
    closing = session.closing
    if closing is not None and closing.by_server:
        before = sum(1 for t in sends if t <= closing.t_s)
        planned.append(_Scheduled(before, max(0.0, closing.t_s - (sends[0] if before else opened)), None))
    return planned


class _Connection:
    """One replayed client: its messages' arrival times, and a way to wait for the k-th."""

    def __init__(self, socket: Any, opened: float) -> None:
        self.socket = socket
        self.opened = opened  # when the handler started (the handshake done)
        self.arrivals: list[float] = []
        self.arrived = asyncio.Condition()

    async def read(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for _ in self.socket:
                async with self.arrived:
                    self.arrivals.append(time.monotonic())
                    self.arrived.notify_all()
        except ConnectionClosed:
            pass
        finally:
            async with self.arrived:
                self.arrivals.append(float("inf"))  # no more messages: waiters stop waiting
                self.arrived.notify_all()

    async def anchor(self, k: int) -> float:
        if k == 0:
            return self.opened
        async with self.arrived:
            await self.arrived.wait_for(lambda: len(self.arrivals) >= k)
            return self.arrivals[k - 1]


class SessionReplay:
    """A loopback WebSocket server playing one recorded session back, timing included (one client at a
    time; each connection replays the whole session)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.planned = _schedule(session)
        self._server: Any = None

    @property
    def base_url(self) -> str:
        """An HTTP base URL whose WebSocket twin is this server (clients derive ws:// from it)."""
        port = self._server.sockets[0].getsockname()[1]
        return f"http://{HOST}:{port}"

    async def __aenter__(self) -> SessionReplay:
        # On the client's own event loop: a server thread would wait on the GIL's 5 ms switch interval.
        from websockets.asyncio.server import serve

        # No write limit worth the name: a send never waits for the client to read (its lag is its own).
        self._server = await serve(
            self._play,
            HOST,
            0,
            process_request=self._refuse,
            compression=None,
            ping_interval=None,
            max_size=None,
            write_limit=2**24,
        )
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._server.close()
        await self._server.wait_closed()

    def _refuse(self, connection: Any, request: Any) -> Any:
        status = self.session.handshake_status
        if status is None:
            return None
        return connection.respond(HTTPStatus(status), self.session.handshake_body or HTTPStatus(status).phrase)

    async def _play(self, socket: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        connection = _Connection(socket, time.monotonic())
        reader = asyncio.create_task(connection.read())
        try:
            for item in self.planned:
                caused_by = await connection.anchor(item.after)  # never before the message it answers
                if caused_by == float("inf"):
                    break
                start = await connection.anchor(min(item.after, 1))
                await pause_until(max(start + item.offset_s, caused_by))
                if item.frame is not None:
                    await socket.send(item.frame.data if item.frame.data is not None else item.frame.text or "")
                    continue
                closing = self.session.closing
                if closing is not None and closing.code is None:
                    socket.transport.abort()  # recorded as dropped: no close frame
                elif closing is not None:
                    await socket.close(closing.code, closing.reason)
            await reader  # the client closes (or already has)
        except ConnectionClosed:
            pass
        finally:
            reader.cancel()


def first_audio_ms(session: Session, grammar: Grammar) -> float | None:
    """Milliseconds from the first text token (the client's first message after the protocol's preamble,
    as the benchmark counts) to the first frame carrying audio; None without audio or without a message."""
    first = session.first_token(grammar.preamble) or session.first_token(0)
    if first is None:
        return None
    for frame in session.received():
        if any(e.kind is Kind.AUDIO and e.audio for e in grammar.read(frame).events):
            return (frame.t_s - first.t_s) * 1000.0
    return None


REPLAY_KEY = "replay-key"  # what the replayed client sends: the server checks nothing, as recorded


async def replay_check(provider: Provider, check: str, recorded: Session, channel_key: str = "") -> Session:
    """Say the check's plan to a server replaying `recorded`: the session as this client measures it (on the socket
    `channel_key`; "": the provider's first)."""
    async with SessionReplay(recorded) as replay:
        target = RealtimeTarget(provider, replay.base_url, REPLAY_KEY, channel_key=channel_key)
        return await run_check(target, plans(target)[check]())


def judge_replayed(
    provider: Provider, check: str, recorded: Mapping[str, Any], channel_key: str = ""
) -> tuple[Session, FrameFindings]:
    """A recorded session (a fixture's JSON) replayed and judged: the frame rules, the check's own
    expectations, and the recording's `first_audio_within_ms` on the replayed time to first audio."""
    session = event_loop.run(replay_check(provider, check, Session.from_json(recorded), channel_key))
    target = RealtimeTarget(provider, "", "", channel_key=channel_key)
    found = judge(target, plans(target)[check](), session)
    within = recorded.get(FIRST_AUDIO_FIELD)
    late = late_first_audio(None if within is None else float(within), first_audio_ms(session, target.grammar), "")
    if late is not None:
        found.violations.append(late)
    return session, found
