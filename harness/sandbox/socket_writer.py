"""Writing to one WebSocket from several utterances at once, and the stream faults, for every realtime
emulation.

A realtime server keeps reading while it speaks (a client sends text while audio comes back) and may
speak several contexts at once on one socket. So an emulation's receive loop only reads and decides;
the speaking runs in `Lanes` — one worker per utterance (context), jobs run in order within a lane and
lanes run side by side — and every frame goes out through one `Sender`, which serialises writes and
applies the handshake's stream faults after the first audio frame: `stall-stream` holds everything
until hangs are released, `drop-socket` cuts the connection without a close frame.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.websockets import WebSocket, WebSocketState

from harness.sandbox.emulation import SocketCall
from harness.sandbox.faults import Fault
from harness.sandbox.streams import written

Job = Callable[[], Awaitable[None]]


class SocketDropped(Exception):
    """The drop-socket fault cut the connection: stop speaking."""


class Sender:
    """The one writer of a socket: serialised sends, stream faults after the first audio."""

    def __init__(self, call: SocketCall) -> None:
        self.call = call
        self.websocket: WebSocket = call.websocket
        self.lock = asyncio.Lock()
        self.audio_sent = 0
        self.dropped = False
        self.stalling = False  # the stall-stream fault: hold the next frame until hangs are released

    @property
    def open(self) -> bool:
        return not self.dropped and self.websocket.application_state is WebSocketState.CONNECTED

    async def json(self, message: Mapping[str, Any], *, audio: bool = False) -> None:
        await self._send(json.dumps(message, separators=(",", ":")), audio)

    async def binary(self, data: bytes, *, audio: bool = True) -> None:
        """A binary frame: audio, or (`audio=False`) a message of a socket that frames them in binary (MessagePack)."""
        await self._send(data, audio)

    async def _send(self, message: str | bytes, audio: bool) -> None:
        if not self.open:
            raise SocketDropped()
        if self.stalling:  # held before the next frame, so the first audio's truth is when it was written
            self.stalling = False
            await self.call.stall()
        async with self.lock:
            if audio:
                written()  # the stream's truth: this chunk left now
            if isinstance(message, bytes):
                await self.websocket.send_bytes(message)
            else:
                await self.websocket.send_text(message)
        if audio:
            self.audio_sent += 1
            if self.audio_sent == 1:
                await self._first_audio_faults()

    async def _first_audio_faults(self) -> None:
        faults = self.call.faults
        if Fault.DROP_SOCKET in faults:
            self.dropped = True
            self.call.drop()
            raise SocketDropped()
        if Fault.STALL_STREAM in faults:
            self.stalling = True

    async def close(self, code: int = 1000, reason: str = "") -> None:
        if self.open:
            async with self.lock:
                await self.websocket.close(code, reason)


class Lanes:
    """One worker per lane (utterance); jobs of a lane run in order, lanes concurrently."""

    def __init__(self) -> None:
        self.queues: dict[str, asyncio.Queue[Job | None]] = {}
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.failure: BaseException | None = None
        self.unfinished = 0  # jobs given and not yet run to their end

    @property
    def working(self) -> bool:
        """Whether speech the client asked for is still being made or sent."""
        return self.unfinished > 0

    def submit(self, lane: str, job: Job) -> None:
        if lane not in self.queues:
            self.queues[lane] = asyncio.Queue()
            self.tasks[lane] = asyncio.create_task(self._work(self.queues[lane]))
        self.unfinished += 1
        self.queues[lane].put_nowait(job)

    async def _work(self, queue: asyncio.Queue[Job | None]) -> None:
        while (job := await queue.get()) is not None:
            try:
                await job()
            except SocketDropped:
                return
            except Exception as error:  # surfaced by `drain` to the handler, which closes with 1011
                self.failure = error
                return
            finally:
                self.unfinished -= 1

    def cancel(self, lane: str) -> None:
        task = self.tasks.pop(lane, None)
        queue = self.queues.pop(lane, None)
        while queue is not None and not queue.empty():  # what the lane was still given will never run
            if queue.get_nowait() is not None:
                self.unfinished -= 1
        if task is not None:
            task.cancel()

    def drop_queued(self, lane: str, keep: Callable[[Job], bool] = lambda job: False) -> None:
        """Drop what the lane was given and has not started (the job under way runs to its end), but `keep`'s."""
        queue = self.queues.get(lane)
        if queue is None:
            return
        waiting = [queue.get_nowait() for _ in range(queue.qsize())]
        for job in waiting:
            if job is None or keep(job):
                queue.put_nowait(job)
            else:
                self.unfinished -= 1

    async def drain(self) -> None:
        """Wait until every lane has run what it was given; re-raise a job's failure."""
        for queue in self.queues.values():
            queue.put_nowait(None)
        await asyncio.gather(*self.tasks.values(), return_exceptions=True)
        self.queues.clear()
        self.tasks.clear()
        if self.failure is not None:
            raise self.failure

    def stop(self) -> None:
        for lane in list(self.tasks):
            self.cancel(lane)
