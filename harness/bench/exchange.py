"""One HTTP exchange, timed and classified: the only place the runner touches the network.

`send` attaches an `HttpTrace` (so "sent" means the headers left on an open connection, and set-up is
measured apart), reads the answer (streamed, so the first body byte is timed when it arrives, not when
a buffer fills), and turns every httpx failure into the harness's error classes. Nothing here knows a
provider; `check` validates an answer against its endpoint's declaration as it arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx

from harness.bench.timing import HttpTrace, now
from harness.core.errors import ProtocolError, ProviderError, TimeoutError_, TransportError
from harness.core.redact import redact_text


@dataclass(slots=True)
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

    def __init__(self, error: ProviderError, trace: HttpTrace, headers: httpx.Headers | None = None,
                 status: int | None = None) -> None:
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
) -> Exchange:
    """Send `request` and read its whole body, timing the first and last body bytes."""
    trace = HttpTrace()
    request.extensions["trace"] = trace
    url = str(request.url.copy_with(query=None))
    first: float | None = None
    chunks: list[bytes] = []
    headers: httpx.Headers | None = None
    status: int | None = None
    handed = now()
    try:
        response = await client.send(request, stream=True)
        answered = now()
        headers, status = response.headers, response.status_code
        try:
            async for chunk in response.aiter_bytes():
                if not chunk:
                    continue
                at = now()
                if first is None:
                    first = at
                chunks.append(chunk)
                if on_chunk is not None:
                    on_chunk(chunk, at)
        finally:
            await response.aclose()
    except httpx.HTTPError as error:
        raise ExchangeFailed(classify(error, url, secrets), trace, headers, status) from None
    body = b"".join(chunks)
    # The body was read chunk by chunk (to time it); hand it to the response so .text/.json() work.
    response._content = body
    return Exchange(response, body, trace, first, now(), handed, answered)
