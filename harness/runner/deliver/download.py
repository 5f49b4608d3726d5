"""Fetching a finished job's audio without losing a result already paid for, and without splicing it.

A COMPLETED job has been charged; its audio is worth more than one HTTP request. The download is retried
as the one retry policy says (`harness.core.retry`: the provider's documented backoff or the default,
Retry-After honoured) on every failure that can pass: 408/425/429/5xx answers, connection resets and
time-outs, and a body cut short or not whole — for as long as the job's deadline leaves time (an outage of the
media host is waited out, not counted), or `attempts` times where there is no deadline. Nothing here waits
past the deadline: each attempt is cut at it (`exchange.send`), and no retry is slept towards it.
An answer that says the link itself is no good (403/404/410: a signed URL that expired) asks the provider
again for the job's status, which hands out a fresh link. When nothing came by the end, the caller keeps
the job as `unfetched` (a later `--resume` fetches it); nothing here calls it lost.

Never splice. A body cut short by a server that accepts ranges is resumed with `Range: bytes=N-`, and the
answer is appended only when it is a `206` whose `Content-Range` starts at exactly the N bytes held and
whose total is the total the first answer declared. A `200` is the whole file from byte 0 (what was held is
dropped); a `206` at another offset, of another total, or without a readable `Content-Range` is refused and
the next attempt starts from byte 0. A body encoded for transfer (gzip) is never resumed: its byte offsets
are not the file's. A finished body must be as long as its `Content-Length` (a `200`) or its
`Content-Range` total (a `206`), and pass `check` (the audio is parsed) before it is called whole.

The function is plain: the job passes in how to check a body, how to refresh the link, how to sleep and its
deadline (the tests pass a recording sleep and a deadline on a clock that sleep advances; nothing here waits
on a wall clock of its own).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

import httpx

from harness.core.errors import ProtocolError, ProviderError
from harness.core.redact import redact_text
from harness.core.retry import DEFAULT_RETRY, RetryPolicy, retryable_status
from harness.core.transport import error_of, retry_after_seconds
from harness.runner.deliver.deadline import Deadline
from harness.runner.deliver.exchange import Exchange, ExchangeFailed, send

LINK_EXPIRED_STATUSES = frozenset({403, 404, 410})  # a signed link that expired: ask for a fresh one
_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DownloadPolicy:
    attempts: int = 6  # this many without a deadline; with one, as many as it leaves time for
    retry: RetryPolicy = DEFAULT_RETRY  # the provider's (`Provider.retry`)


@dataclass
class Download:
    """The outcome: the good exchange (None when no whole audio came), and what it took."""

    exchange: Exchange | None
    failures: list[ProviderError] = field(default_factory=list)  # every failed attempt, in order
    refreshed: int = 0  # times the link was asked for again
    resumed_from: int = 0  # bytes kept from a cut-short attempt (a range request)
    restarts: int = 0  # range answers refused (a 200 or a 206 at the wrong place): started again from byte 0

    @property
    def retried(self) -> bool:
        return bool(self.failures)


Check = Callable[[bytes], str | None]  # a body -> a problem ("truncated", ...), or None when it is audio
Refresh = Callable[[], Awaitable[str | None]]  # ask the provider again; a fresh media URL, or None


@dataclass
class _Held:
    """Bytes of the file held from cut-short answers, and the file's total as the server declared it."""

    data: bytearray = field(default_factory=bytearray)
    total: int | None = None

    def drop(self) -> None:
        self.data.clear()
        self.total = None


def content_range(headers: httpx.Headers) -> tuple[int, int, int | None] | None:
    """`Content-Range: bytes START-END/TOTAL` as numbers (TOTAL None for `*`); None when absent or unreadable."""
    match = _CONTENT_RANGE.match(headers.get("content-range", ""))
    if match is None:
        return None
    start, end, total = int(match[1]), int(match[2]), match[3]
    return start, end, None if total == "*" else int(total)


def range_problem(status: int, headers: httpx.Headers, held: _Held) -> str | None:
    """Why an answer to `Range: bytes=<held>-` cannot be appended to what is held; None when it can."""
    if status != 206:
        return f"a range request answered {status}, not 206"
    found = content_range(headers)
    if found is None:
        return f"a 206 without a readable Content-Range ({headers.get('content-range')!r})"
    start, end, total = found
    if start != len(held.data):
        return f"a 206 from byte {start}, not from byte {len(held.data)} (the bytes held)"
    if total is None or (held.total is not None and total != held.total) or end >= total:
        return f"a 206 of a file of {total if total is not None else 'unknown'} bytes, not {held.total}"
    return None


def _declared_total(status: int, headers: httpx.Headers) -> int | None:
    """The whole file's length an answer declares: Content-Length of a 200, the Content-Range total of a 206."""
    if status == 206:
        found = content_range(headers)
        return found[2] if found is not None else None
    length = headers.get("content-length", "")
    return int(length) if length.isdigit() and not _encoded(headers) else None


def _encoded(headers: httpx.Headers) -> bool:
    return headers.get("content-encoding", "identity").strip().lower() not in ("", "identity")


def _resumable(headers: httpx.Headers | None, status: int | None) -> bool:
    """A cut-short answer whose bytes may be kept: the server takes ranges, and the bytes are the file's own."""
    if headers is None or status not in (200, 206) or _encoded(headers):
        return False
    return status == 206 or headers.get("accept-ranges", "").strip().lower() == "bytes"


def _keep_cut(held: _Held, failure: ExchangeFailed, received: bytes, asked_range: bool) -> bool:
    """After an answer cut short: keep its bytes when they continue (or, from byte 0, start) the file.
    True when they were kept; False when everything held was dropped."""
    headers, status = failure.headers, failure.status
    if headers is None or status is None or not _resumable(headers, status):
        held.drop()
        return False
    if status == 206 and asked_range and range_problem(status, headers, held) is None:
        held.data += received
        return True
    if status == 200:  # the whole file from byte 0, cut: what it sent is the new start
        held.data[:] = received
        held.total = _declared_total(status, headers)
        return True
    held.drop()
    return False


def _whole(exchange: Exchange, held: _Held, asked_range: bool) -> tuple[bytes | None, str | None, int]:
    """The file an answer completes: (body, None, bytes resumed from), or (None, why it was refused, 0)."""
    response = exchange.response
    status, headers = response.status_code, response.headers
    if asked_range and status == 206:
        problem = range_problem(status, headers, held)
        if problem is not None:
            return None, problem, 0
        body, resumed = bytes(held.data) + exchange.body, len(held.data)
    elif status == 206:  # a range nobody asked for: only a 206 of the whole file is the file
        found = content_range(headers)
        if found is None or found[0] != 0 or found[2] is None:
            return None, "a 206 to a request without Range, not from byte 0 of a known total", 0
        body, resumed = exchange.body, 0
    else:
        body, resumed = exchange.body, 0  # a 200 (asked for a range or not) is the file from byte 0
    total = held.total if asked_range and status == 206 else _declared_total(status, headers)
    if total is not None and len(body) != total:
        return None, f"{len(body)} bytes where the answer declared {total}", 0
    return body, None, resumed


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
    deadline: Deadline | None = None,
) -> Download:
    """Fetch `url` whole (see the module docstring), by `deadline` (the job's)."""
    result = Download(None)
    held = _Held()
    attempt = 0
    while True:
        attempt += 1
        request = _media_request(client, url, headers, secrets)
        if isinstance(request, ProviderError):
            result.failures.append(request)
            break  # a URL no attempt can fetch: the caller keeps the job, its error saying why
        asked_range = bool(held.data)
        if asked_range:
            request.headers["Range"] = f"bytes={len(held.data)}-"
        received = bytearray()
        try:
            exchange = await send(client, request, secrets=secrets, on_chunk=_collect_into(received), deadline=deadline)
        except ExchangeFailed as failure:
            result.failures.append(failure.error)
            if not _keep_cut(held, failure, bytes(received), asked_range) and asked_range:
                result.restarts += 1
            retry_after = None
        else:
            response = exchange.response
            error = error_of(response, secrets)
            if error is None:
                body, refused, resumed = _whole(exchange, held, asked_range)
                held.drop()
                if refused is not None:
                    result.restarts += 1
                    error = ProtocolError(
                        f"audio from {response.request.url.path}: {refused}", status=response.status_code
                    )
                else:
                    assert body is not None
                    exchange.body = body
                    response._content = body
                    problem = check(body)
                    if problem is None:
                        result.exchange, result.resumed_from = exchange, resumed
                        return result
                    error = ProtocolError(
                        f"audio from {response.request.url.path}: {problem}", status=response.status_code
                    )
            else:
                held.drop()
            result.failures.append(error)
            status = response.status_code
            if status in LINK_EXPIRED_STATUSES:
                if refresh is None or not _time_left(policy, attempt, 0.0, deadline):
                    break  # nothing can give a new link: the caller keeps the job to fetch again later
                fresh = await refresh()
                result.refreshed += 1
                if fresh is None:
                    break
                url = fresh
                continue
            if status >= 400 and not retryable_status(status):
                break  # a client error no retry changes (401, 400, ...)
            retry_after = retry_after_seconds(response)
        delay = policy.retry.delay(len(result.failures), retry_after)
        if not _time_left(policy, attempt, delay, deadline):
            break
        await sleep(delay)
    return result


def _media_request(
    client: httpx.AsyncClient, url: str, headers: Mapping[str, str] | None, secrets: tuple[str, ...]
) -> httpx.Request | ProviderError:
    """The GET of `url`; or, for a URL a provider's status answer wrote that is no http(s) URL at all, the error
    saying so (httpx refuses it as it builds the request, outside any exchange)."""
    try:
        request = client.build_request("GET", url, headers=dict(headers or {}))
    except httpx.InvalidURL as error:
        return ProtocolError(redact_text(f"the media URL is not a URL: {error}", secrets))
    if request.url.scheme not in ("http", "https"):
        return ProtocolError(redact_text(f"the media URL is not an http(s) URL but {request.url.scheme}:", secrets))
    return request


def _time_left(policy: DownloadPolicy, attempt: int, delay: float, deadline: Deadline | None) -> bool:
    """Another attempt after `delay`: while the deadline leaves time after it; without one, `policy.attempts`."""
    if deadline is None:
        return attempt < policy.attempts
    return delay < deadline.left()


def _collect_into(buffer: bytearray) -> Callable[[bytes, float], None]:
    def collect(chunk: bytes, _at: float) -> None:
        buffer.extend(chunk)

    return collect
