"""Fetching a finished job's audio without losing a result already paid for.

A COMPLETED job has been charged; its audio is worth more than one HTTP request. The download is retried
as the one retry policy says (`harness.core.retry`: the provider's documented backoff or the default,
Retry-After honoured) on every failure that can pass: 408/425/429/5xx answers, connection resets and
time-outs, and a body cut short or not whole. A body cut short by a reset is
resumed with a range request when the server said it accepts ranges. An answer that says the link itself
is no good (403/404/410: a signed URL that expired) asks the provider again for the job's status, which
hands out a fresh link. Only when every attempt has failed is the audio given up as lost.

The function is plain: the job passes in how to check a body, how to refresh the link and how to sleep
(the tests pass a recording sleep; nothing here waits on a wall clock of its own).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

import httpx

from harness.bench.exchange import Exchange, ExchangeFailed, send
from harness.core.errors import ProtocolError, ProviderError
from harness.core.retry import DEFAULT_RETRY, RetryPolicy, retryable_status
from harness.core.transport import error_of, retry_after_seconds

LINK_EXPIRED_STATUSES = frozenset({403, 404, 410})  # a signed link that expired: ask for a fresh one


@dataclass(frozen=True, slots=True)
class DownloadPolicy:
    attempts: int = 6
    retry: RetryPolicy = DEFAULT_RETRY  # the provider's (`Provider.retry`)


@dataclass
class Download:
    """The outcome: the good exchange (None when the audio is lost), and what it took."""

    exchange: Exchange | None
    failures: list[ProviderError] = field(default_factory=list)  # every failed attempt, in order
    refreshed: int = 0  # times the link was asked for again
    resumed_from: int = 0  # bytes kept from a cut-short attempt (a range request)

    @property
    def retried(self) -> bool:
        return bool(self.failures)


Check = Callable[[bytes], str | None]  # a body -> a problem ("truncated", ...), or None when it is audio
Refresh = Callable[[], Awaitable[str | None]]  # ask the provider again; a fresh media URL, or None


async def download(
    client: httpx.AsyncClient,
    url: str,
    *,
    check: Check,
    refresh: Refresh | None = None,
    headers: Mapping[str, str] | None = None,
    secrets: tuple[str, ...] = (),
    policy: DownloadPolicy = DownloadPolicy(),
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> Download:
    result = Download(None)
    partial = bytearray()  # bytes of a cut-short answer from a server that accepts ranges
    for attempt in range(1, policy.attempts + 1):
        request = client.build_request("GET", url, headers=dict(headers or {}))
        if partial:
            request.headers["Range"] = f"bytes={len(partial)}-"
        received = bytearray()
        try:
            exchange = await send(client, request, secrets=secrets, on_chunk=_collect_into(received))
        except ExchangeFailed as failure:
            result.failures.append(failure.error)
            if failure.headers is not None and failure.headers.get("accept-ranges") == "bytes":
                partial += received  # keep what came; the next attempt asks for the rest
            await sleep(policy.retry.delay(len(result.failures)))
            continue
        response = exchange.response
        if partial and response.status_code == 206:
            exchange.body = bytes(partial) + exchange.body
            response._content = exchange.body
            result.resumed_from = len(partial)
        partial.clear()
        error = error_of(response, secrets)
        if error is None:
            problem = check(exchange.body)
            if problem is None:
                result.exchange = exchange
                return result
            error = ProtocolError(f"audio from {response.request.url.path}: {problem}", status=response.status_code)
        result.failures.append(error)
        if attempt == policy.attempts:
            break
        if response.status_code in LINK_EXPIRED_STATUSES:
            if refresh is None:
                break  # nothing can give a new link: the audio is gone
            fresh = await refresh()
            result.refreshed += 1
            if fresh is None:
                break
            url = fresh
        elif response.status_code < 400 or retryable_status(response.status_code):
            await sleep(policy.retry.delay(len(result.failures), retry_after_seconds(response)))
        else:
            break  # a client error no retry changes (401, 400, ...)
    return result


def _collect_into(buffer: bytearray) -> Callable[[bytes, float], None]:
    def collect(chunk: bytes, _at: float) -> None:
        buffer.extend(chunk)
    return collect
