"""Timing-faithful replay of streamed HTTP answers: recorded with each chunk's offset, released at it.

Recording: `TimingTransport` wraps the transport a recording client sends through and stamps, for each
answer, when its headers came and when each body chunk came (milliseconds from the moment the request
was handed to the transport). `StreamTiming` is that record; a streamed answer's fixture keeps it beside
its body (`"body": {"text": ..., "timing": {"headers_ms": ..., "chunks": [[t_ms, bytes], ...]}}`).

Replay: `Recorded.response(origin)` answers with a `TimedStream`, which releases the recorded body in the
recorded pieces, each no earlier than `origin` + its offset (`wait_until` for a sync client,
`pause_until` for an async one), so a client that times the stream — the benchmark's `StreamWatch`, the
contract's first-audio check — measures what it measured live. `ReplayTransport` answers an httpx client
(the contract suite's replays, the accuracy script's benchmark client) with the recordings, routes in
recorded order (`InOrder`); it holds the headers back to their recorded offset and emits the httpcore
trace events the benchmark's exchange times a request by. A recording without offsets replays as fast as
possible, said once (a warning on the `tts_harness.replay` logger). The last `SPIN_S` before a release
yields to the loop instead of sleeping: a timer wakes late, by milliseconds on a busy machine.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from harness.core.sse import audio_events
from harness.core.verdict import Violation

_log = logging.getLogger("tts_harness.replay")
TIMING_EXTENSION = "tts_harness.timing"  # where TimingTransport leaves a response's StreamTiming


@dataclass(frozen=True, slots=True)
class StreamTiming:
    """When an answer's headers and each of its body chunks arrived, in ms after the request left."""

    headers_ms: float
    chunks: tuple[tuple[float, int], ...]  # (offset ms, byte count) per chunk, in arrival order

    def to_json(self) -> dict[str, Any]:
        return {"headers_ms": round(self.headers_ms, 3), "chunks": [[round(at, 3), size] for at, size in self.chunks]}

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> StreamTiming:
        return cls(float(item["headers_ms"]), tuple((float(at), int(size)) for at, size in item["chunks"]))

    def arrival_of_byte(self, offset: int) -> float | None:
        """When the chunk holding byte `offset - 1` arrived (ms): the byte that completes what ends there."""
        seen = 0
        for at, size in self.chunks:
            seen += size
            if seen >= offset:
                return at
        return None

    def first_audio_ms(self, body: bytes) -> float | None:
        """When the first Server-Sent Event carrying audio was complete; None when no event carries audio."""
        events = audio_events(body)
        return self.arrival_of_byte(events[0][0]) if events else None


def _pieces(content: bytes, timing: StreamTiming | None) -> list[tuple[float, bytes]]:
    """The body cut as it arrived; the last piece takes whatever the recorded sizes leave over."""
    if timing is None or not timing.chunks:
        return [(0.0, content)] if content else []
    pieces: list[tuple[float, bytes]] = []
    start = 0
    for index, (at, size) in enumerate(timing.chunks):
        end = len(content) if index == len(timing.chunks) - 1 else min(len(content), start + size)
        pieces.append((at / 1000.0, content[start:end]))
        start = end
    return [(at, piece) for at, piece in pieces if piece]


SPIN_S = 0.005  # the last stretch before a release is spent yielding, not sleeping: a timer overshoots


def wait_until(deadline: float) -> None:
    """Block until time.monotonic() reaches `deadline`: sleep most of the way, then yield until it comes."""
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(left - SPIN_S if left > SPIN_S else 0)


async def pause_until(deadline: float) -> None:
    """`wait_until` for an event loop: a timer for most of the way, then yielding to the loop until due."""
    while (left := deadline - time.monotonic()) > 0:
        await asyncio.sleep(left - SPIN_S if left > SPIN_S else 0)


class TimedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A recorded body released piece by piece, each at `origin` (time.monotonic) + its recorded offset."""

    def __init__(self, content: bytes, timing: StreamTiming | None, origin: float) -> None:
        self.pieces = _pieces(content, timing)
        self.origin = origin

    def __iter__(self) -> Iterator[bytes]:
        for at, piece in self.pieces:
            wait_until(self.origin + at)
            yield piece

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for at, piece in self.pieces:
            await pause_until(self.origin + at)
            yield piece


@dataclass(frozen=True, slots=True)
class Recorded:
    """One recorded answer, ready to be given again."""

    status: int
    headers: Mapping[str, str]
    content: bytes
    timing: StreamTiming | None = None

    def response(self, origin: float) -> httpx.Response:
        return httpx.Response(
            self.status, headers=dict(self.headers), stream=TimedStream(self.content, self.timing, origin)
        )


_said: set[str] = set()


def say_untimed(what: str) -> None:
    """Warn, once a process, that a streamed recording has no offsets and replays as fast as it can."""
    if "untimed" in _said:
        return
    _said.add("untimed")
    _log.warning(
        "%s (and any other recording of a stream made before offsets were kept) has no timing: it "
        "replays as fast as possible; re-record it to replay its timing",
        what,
    )


class InOrder:
    """A route's recorded answers in recorded order; the last one repeats (a poller asking once more
    than recorded sees the terminal state again)."""

    def __init__(self, answers: Sequence[Recorded]) -> None:
        self.remaining = list(answers)

    def next(self) -> Recorded:
        return self.remaining.pop(0) if len(self.remaining) > 1 else self.remaining[0]


class ReplayMiss(httpx.TransportError):
    """A request no recording answers: nothing leaves the process in replay."""


class ReplayTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An httpx transport answering from recordings, timing included: the headers at their recorded
    offset, the body piece by piece at its offsets, and httpcore's trace events where a client asked
    for them (`request.extensions["trace"]`), so a timed client sees a request sent and headers back."""

    def __init__(self, routes: Mapping[tuple[str, str], Sequence[Recorded]]) -> None:
        self.routes = {route: InOrder(answers) for route, answers in routes.items()}

    def _answer(self, request: httpx.Request) -> Recorded:
        route = self.routes.get((request.method, str(request.url)))
        if route is None:
            raise ReplayMiss(f"no recording answers {request.method} {request.url}", request=request)
        return route.next()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        origin = time.monotonic()
        recorded = self._answer(request)
        request.read()
        if recorded.timing is not None:
            wait_until(origin + recorded.timing.headers_ms / 1000.0)
        return recorded.response(origin)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        origin = time.monotonic()
        trace = request.extensions.get("trace")
        if trace is not None:
            await trace("http11.send_request_headers.started", {"request": request})
        recorded = self._answer(request)
        await request.aread()
        if recorded.timing is not None:
            await pause_until(origin + recorded.timing.headers_ms / 1000.0)
        if trace is not None:
            await trace("http11.receive_response_headers.complete", {"request": request})
        return recorded.response(origin)


class _StampedSync(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, log: _Log) -> None:
        self.inner, self.log = inner, log

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.inner:
            self.log.chunk(chunk)
            yield chunk

    def close(self) -> None:
        self.inner.close()


class _StampedAsync(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, log: _Log) -> None:
        self.inner, self.log = inner, log

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.inner:
            self.log.chunk(chunk)
            yield chunk

    async def aclose(self) -> None:
        await self.inner.aclose()


class _Log:
    """The stamps of one answer as it is read."""

    def __init__(self, origin: float) -> None:
        self.origin = origin
        self.headers_ms = (time.monotonic() - origin) * 1000.0
        self.chunks: list[tuple[float, int]] = []

    def chunk(self, data: bytes) -> None:
        if data:
            self.chunks.append(((time.monotonic() - self.origin) * 1000.0, len(data)))

    def timing(self) -> StreamTiming:
        return StreamTiming(self.headers_ms, tuple(self.chunks))


def timing_of(response: httpx.Response) -> StreamTiming | None:
    """The offsets `TimingTransport` stamped on a response read through it; None for any other."""
    log = response.extensions.get(TIMING_EXTENSION)
    return log.timing() if isinstance(log, _Log) else None


class TimingTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Wraps a real transport; every answer it returns is stamped as it is read (`timing_of`)."""

    def __init__(self, inner: httpx.BaseTransport | httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    @staticmethod
    def _stamped(
        response: httpx.Response, log: _Log, stream: httpx.SyncByteStream | httpx.AsyncByteStream
    ) -> httpx.Response:
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=stream,
            extensions={**response.extensions, TIMING_EXTENSION: log},
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(self.inner, httpx.BaseTransport)
        origin = time.monotonic()
        response = self.inner.handle_request(request)
        log = _Log(origin)
        assert isinstance(response.stream, httpx.SyncByteStream)
        return self._stamped(response, log, _StampedSync(response.stream, log))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(self.inner, httpx.AsyncBaseTransport)
        origin = time.monotonic()
        response = await self.inner.handle_async_request(request)
        log = _Log(origin)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return self._stamped(response, log, _StampedAsync(response.stream, log))

    def close(self) -> None:
        if isinstance(self.inner, httpx.BaseTransport):
            self.inner.close()

    async def aclose(self) -> None:
        if isinstance(self.inner, httpx.AsyncBaseTransport):
            await self.inner.aclose()


FIRST_AUDIO_FIELD = "first_audio_within_ms"  # a recording's promise: its first audio comes within N ms


def first_audio_ms(response: httpx.Response) -> float | None:
    """When the first audio event of a Server-Sent Events answer was complete, in ms after the request
    left, as this client read it through a `TimingTransport`; None when it was not read through one or
    carries no audio."""
    timing = timing_of(response)
    return None if timing is None else timing.first_audio_ms(response.content)


def late_first_audio(within_ms: float | None, measured_ms: float | None, where: str) -> Violation | None:
    """The offline assertion: first audio no later than the recording's `first_audio_within_ms`."""
    if within_ms is None or measured_ms is None or measured_ms <= within_ms:
        return None
    return Violation(
        f"{where}/timing/first_audio",
        f"first audio within {within_ms:g} ms ({FIRST_AUDIO_FIELD})",
        f"{measured_ms:.1f} ms",
        "timing",
    )
