"""One HTTP exchange, timed and classified: the only place the runner touches the network.

`send` attaches an `HttpTrace` (so "sent" means the headers left on an open connection, and set-up is
measured apart), reads the answer (streamed, so the first body byte is timed when it arrives, not when
a buffer fills) within the job's deadline (`harness.runner.deliver.deadline`: the whole exchange, not each read), and
turns every httpx failure, and the deadline, into the harness's error classes. Nothing here knows a
provider; `check` validates an answer against its endpoint's declaration as it arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from harness.core.errors import ProtocolError, ProviderError, TimeoutError_, TransportError
from harness.core.redact import redact_text
from harness.runner.deliver.deadline import Deadline, DeadlineReached, within
from harness.runner.record.timing import HttpTrace, now


@dataclass(slots=True, kw_only=True)
class Exchange:
    """A finished exchange: the answer and its timings (monotonic seconds)."""

    response: httpx.Response
    body: bytes
    trace: HttpTrace
    first_byte: float | None
    last_byte: float
    # When the request was handed to the client, and when the client handed back the answer's headers: the
    # bounds of "sent" and "headers received" where the transport reports no trace (respx, an ASGI or a
    # user's own transport). The last byte is no bound of the send: a server stamps before it.
    handed: float
    answered: float

    @property
    def sent(self) -> float:
        return self.trace.headers_sent if self.trace.headers_sent is not None else self.handed

    @property
    def headers_received(self) -> float:
        return self.trace.headers_received if self.trace.headers_received is not None else self.answered


class ExchangeFailed(Exception):
    """A request that got no complete answer; `reached_server` tells whether it may have been acted on."""

    def __init__(
        self, error: ProviderError, trace: HttpTrace, headers: httpx.Headers | None = None, status: int | None = None
    ) -> None:
        self.error = error
        self.trace = trace
        self.headers = headers  # the answer's headers, when they came before the failure (a body cut short)
        self.status = status  # and its status
        super().__init__(str(error))

    @property
    def reached_server(self) -> bool:
        return self.trace.headers_sent is not None


def classify(error: httpx.HTTPError, url: str, secrets: tuple[str, ...] = ()) -> ProviderError:
    message = redact_text(f"{type(error).__name__} on {url}: {error}", secrets)
    if isinstance(error, httpx.TimeoutException):
        return TimeoutError_(message)
    if isinstance(error, (httpx.RemoteProtocolError, httpx.DecodingError)):
        # An answer cut short or not HTTP at all: the body cannot be trusted.
        return ProtocolError(message)
    return TransportError(message)


async def send(
    client: httpx.AsyncClient,
    request: httpx.Request,
    *,
    secrets: tuple[str, ...] = (),
    on_chunk: Callable[[bytes, float], None] | None = None,
    deadline: Deadline | None = None,
) -> Exchange:
    """Send `request` and read its whole body, timing the first and last body bytes; the whole exchange —
    connection, request, headers, body — ends by `deadline` (the job's: `harness.runner.deliver.deadline`), which no
    byte of a dripping answer puts off as it does httpx's read timeout."""
    trace = HttpTrace()
    request.extensions["trace"] = trace
    url = redact_text(str(request.url.copy_with(query=None)), secrets)
    reading = _Reading(on_chunk=on_chunk)
    handed = now()
    try:
        response, answered = await within(deadline, _exchange(client, request, reading))
    except httpx.HTTPError as error:
        raise ExchangeFailed(classify(error, url, secrets), trace, reading.headers, reading.status) from None
    except DeadlineReached:
        assert deadline is not None
        raise ExchangeFailed(
            deadline.reached(_doing(trace, reading, url)), trace, reading.headers, reading.status
        ) from None
    body = b"".join(reading.chunks)
    # The body was read chunk by chunk (to time it); hand it to the response so .text/.json() work.
    response._content = body
    return Exchange(
        response=response,
        body=body,
        trace=trace,
        first_byte=reading.first,
        last_byte=now(),
        handed=handed,
        answered=answered,
    )


@dataclass(slots=True, kw_only=True)
class _Reading:
    """What an exchange has received so far: kept outside it, so an exchange cut at its deadline says how far
    it got (and a body cut short keeps its headers)."""

    on_chunk: Callable[[bytes, float], None] | None
    headers: httpx.Headers | None = None
    status: int | None = None
    first: float | None = None
    chunks: list[bytes] = field(default_factory=list)
    received: int = 0


async def _exchange(
    client: httpx.AsyncClient, request: httpx.Request, reading: _Reading
) -> tuple[httpx.Response, float]:
    response = await client.send(request, stream=True)
    answered = now()
    reading.headers, reading.status = response.headers, response.status_code
    try:
        async for chunk in response.aiter_bytes():
            if not chunk:
                continue
            at = now()
            if reading.first is None:
                reading.first = at
            reading.chunks.append(chunk)
            reading.received += len(chunk)
            if reading.on_chunk is not None:
                reading.on_chunk(chunk, at)
    finally:
        await response.aclose()
    return response, answered


def _doing(trace: HttpTrace, reading: _Reading, url: str) -> str:
    """Where an exchange was when its deadline came: the words of its time-out."""
    if reading.headers is not None:
        return f"while reading the answer from {url} ({reading.received:,} bytes of its body had come)"
    if trace.headers_sent is not None:
        return f"while waiting for the answer from {url} (the request was sent)"
    return f"before the request to {url} was sent"
