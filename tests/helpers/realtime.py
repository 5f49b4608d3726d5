"""Realtime providers for tests: a providers file declaring one provider per realtime protocol, and a
scripted loopback WebSocket server (written here, independently of the sandbox) that answers any
connection with the frames a test gives it — to misbehave on purpose."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from typing import Any

ELEVEN_VOICE = "JBFqnCBsd6RMkjVDRZzb"
ELEVEN_MODEL = "eleven_flash_v2_5"
CARTESIA_VOICE = "a0e99841-438c-4a64-b679-ae501e7d6091"
CARTESIA_MODEL = "sonic-3"
DEEPGRAM_MODEL = "aura-2-thalia-en"


def realtime_toml(
    eleven_url: str = "https://api.elevenlabs.io",
    cartesia_url: str = "https://api.cartesia.ai",
    deepgram_url: str = "https://api.deepgram.com",
) -> str:
    """One provider per realtime protocol (named eleven, carte, dgram), at the given base URLs."""
    return f"""
[providers.eleven]
protocol = "elevenlabs"
base_url = "{eleven_url}"
key_env = "ELEVEN_TEST_KEY"
models = ["{ELEVEN_MODEL}"]
voices = ["{ELEVEN_VOICE}", "21m00Tcm4TlvDq8ikWAM"]
price_per_million_chars = 100
formats = ["pcm_24000", "mp3_44100_128"]

[providers.carte]
protocol = "cartesia"
base_url = "{cartesia_url}"
key_env = "CARTE_TEST_KEY"
models = ["{CARTESIA_MODEL}"]
voices = ["{CARTESIA_VOICE}", "f786b574-daa5-4673-aa0c-cbe3e8534c02"]
price_per_million_chars = 50

[providers.dgram]
protocol = "deepgram-speak"
base_url = "{deepgram_url}"
key_env = "DGRAM_TEST_KEY"
models = ["{DEEPGRAM_MODEL}"]
voices = ["{DEEPGRAM_MODEL}"]
price_per_million_chars = 30
"""


Script = Callable[[Sequence[str]], Sequence[str | bytes]]
"""The client's text messages so far -> the frames to answer with (empty: wait for more)."""


class LoopbackSocketServer:
    """A loopback WebSocket server (the `websockets` library's) on a thread of its own; a subclass says how
    it answers a connection (`handle`)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name=type(self).__name__, daemon=True)
        self.thread.start()
        self.port = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)

    async def _start(self) -> int:
        from websockets.asyncio.server import serve

        self.server = await serve(self.handle, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def handle(self, socket: Any) -> None:
        raise NotImplementedError

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        async def stop() -> None:
            self.server.close()
            await self.server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


class ScriptedServer(LoopbackSocketServer):
    """Reads client messages, asks `script` what to answer after each one, sends it, and closes with
    `close_code` once it has answered."""

    def __init__(self, script: Script, close_code: int = 1000) -> None:
        self.script = script
        self.close_code = close_code
        self.received: list[str] = []
        self.ready = threading.Event()
        super().__init__()

    async def handle(self, socket: Any) -> None:
        async for message in socket:
            self.received.append(message if isinstance(message, str) else "<binary>")
            answer = self.script(self.received)
            for frame in answer:
                await socket.send(frame)
            if answer:
                await socket.close(self.close_code)
                return
