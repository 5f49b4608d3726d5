"""What "sent" and "headers received" mean when the transport reports no trace (respx here; an ASGI app or a
user's own transport alike): the instants the request was handed to the client and the answer handed
back, so a server's reading of its clock while it answers lies between them, as over a real connection."""

from __future__ import annotations

import asyncio

import httpx
import respx

from harness.runner.deliver.exchange import send
from harness.runner.record.timing import now


def test_a_server_s_instant_lies_between_sent_and_headers_received_without_a_trace() -> None:
    handled: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        handled.append(now())
        return httpx.Response(200, content=b"x" * 200_000)

    async def exchange() -> tuple[float, float, float]:
        with respx.mock(assert_all_called=True) as router:
            router.get("https://provider.test/status").mock(side_effect=answer)
            async with httpx.AsyncClient() as client:
                done = await send(client, client.build_request("GET", "https://provider.test/status"))
        return done.sent, done.headers_received, done.last_byte

    sent, received, last_byte = asyncio.run(exchange())
    assert sent <= handled[0] <= received <= last_byte  # the last byte bounds neither: it comes after both
