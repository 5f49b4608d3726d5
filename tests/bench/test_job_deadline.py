"""One deadline for a job, whatever its answer: `--job-timeout` bounds the whole job, so a server that never
stops sending — a direct audio answer dripping a byte a second, an SSE stream of an event a second, a
WebSocket sending a frame a second — ends as a `timeout` at the deadline (each byte would reset httpx's read
timeout, and a frame the socket's idle timeout), and the run ends by itself.

Each server is written here, on 127.0.0.1, unlike the sandbox: an asyncio server in a thread of its own (the
run has its own event loop), declared in a providers file as the user's own provider. Its pauses between
bytes are its behaviour, not a synchronisation of the test: every test measures the run with the monotonic
clock."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.core import declared
from harness.providers.pixazo import PROVIDER as PIXAZO
from harness.results.store import Store
from harness.runner.deliver.deadline import Deadline, DeadlineReached, within
from harness.runner.deliver.exchange import ExchangeFailed, send
from harness.runner.plan.config import BenchConfig
from harness.runner.record.timing import now
from harness.runner.session import run_bench_session
from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.providers_file import providers_file_in_effect
from tests.helpers.wav import pcm_wav

pytestmark = pytest.mark.clock  # deadlines on the real clock

JOB_TIMEOUT = 2.0
SLACK = 5.0  # the acceptance: the job ends within --job-timeout + 5 s
REPO = Path(__file__).resolve().parents[2]
AUDIO = pcm_wav(16000, 16000, sample=b"\x10\x20")

Serve = Callable[[], Coroutine[Any, Any, tuple[Any, int]]]  # starts a server: (the server, its port)


class Dripping:
    """A server started by `serve` on 127.0.0.1, in a thread and event loop of its own, until `close()`."""

    def __init__(self, serve: Serve) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="dripping", daemon=True)
        self.thread.start()
        self.server, port = asyncio.run_coroutine_threadsafe(serve(), self.loop).result(10)
        self.url = f"http://127.0.0.1:{port}"

    def close(self) -> None:
        async def stop() -> None:
            self.server.close()
            for task in asyncio.all_tasks() - {asyncio.current_task()}:
                task.cancel()  # the drips: they never end on their own

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        (
            int(value)
            for name, _, value in (line.partition(b":") for line in head.split(b"\r\n"))
            if name.strip().lower() == b"content-length"
        ),
        0,
    )
    return await reader.readexactly(length)


def _http(answer: Callable[[asyncio.StreamWriter], Awaitable[None]]) -> Serve:
    """A bare HTTP/1.1 server: every request is read whole, then answered by `answer`, which never ends."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await _read_request(reader)
            await answer(writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # the client gave up on us (what the test is about), or the server is closing
        finally:
            writer.close()

    async def serve() -> tuple[Any, int]:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        return server, server.sockets[0].getsockname()[1]

    return serve


async def _drip_audio(writer: asyncio.StreamWriter) -> None:
    """A WAV answer of a declared length, one byte a second: each byte would reset a read timeout."""
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\n" + f"Content-Length: {len(AUDIO)}\r\n\r\n".encode())
    for byte in AUDIO:
        writer.write(bytes([byte]))
        await writer.drain()
        await asyncio.sleep(1.0)


async def _drip_events(writer: asyncio.StreamWriter) -> None:
    """An SSE stream that never ends: an event of audio every second, chunked."""
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
    piece = base64.b64encode(b"\x00\x01" * 800).decode()  # 50 ms of 16 kHz PCM
    while True:
        event = f"data: {json.dumps({'chunk': piece})}\n\n".encode()
        writer.write(f"{len(event):x}\r\n".encode() + event + b"\r\n")
        await writer.drain()
        await asyncio.sleep(1.0)


def _websocket() -> Serve:
    """A WebSocket server that sends a frame of audio every second and never ends (nor reads what it is sent)."""
    from websockets.asyncio.server import ServerConnection
    from websockets.asyncio.server import serve as ws_serve
    from websockets.exceptions import ConnectionClosed

    async def frames(connection: ServerConnection) -> None:
        try:
            while True:
                await connection.send(b"\x00\x00" * 160)
                await asyncio.sleep(1.0)
        except (ConnectionClosed, asyncio.CancelledError):
            pass  # the client gave up on us (what the test is about), or the server is closing

    async def serve() -> tuple[Any, int]:
        server = await ws_serve(frames, "127.0.0.1", 0)
        return server, next(iter(server.sockets)).getsockname()[1]

    return serve


def _speech_table(url: str, **extra: str) -> str:
    keys = {
        "protocol": '"http-speech"',
        "base_url": f'"{url}"',
        "auth": '"none"',
        "path": '"/speak"',
        "text": '"/text"',
        "voice": '"/voice"',
        "formats": '{ wav = "pcm_s16le/16000/wav" }',
        "models": '["drip-1"]',
        "voices": '["ember"]',
        "price_per_million_chars": "10",
        **extra,
    }
    return "[providers.drip]\n" + "".join(f"{key} = {value}\n" for key, value in keys.items())


def _socket_table(url: str) -> str:
    return (
        f'[providers.drip]\nprotocol = "deepgram-speak"\nbase_url = "{url}"\nkey_env = "DRIP_SOCKET_KEY"\n'
        'models = ["aura-2-thalia-en"]\nvoices = ["aura-2-thalia-en"]\nformats = ["linear16_16000"]\n'
        "price_per_million_chars = 30\n"
    )


@pytest.fixture
def dripping(request: pytest.FixtureRequest) -> Iterator[Dripping]:
    server = Dripping(request.param)
    yield server
    server.close()


def _run(tmp_path: Path, table: str, url: str) -> tuple[dict[str, Any], dict[str, float], list[dict[str, Any]], float]:
    """One job against `url`, declared by `table`: its row, marks and costs, and how long the run took."""
    path = tmp_path / "tts-harness.toml"
    path.write_text(table, encoding="utf-8")
    with providers_file_in_effect(path):
        config = BenchConfig(
            out=tmp_path,
            score=False,
            report=False,
            providers=("drip",),
            corpus=("en_read:1",),
            target=url,
            budget=1.0,
            concurrency=1,
            job_timeout=JOB_TIMEOUT,
        )
        began = time.monotonic()
        result = run_bench_session(config)
        took = time.monotonic() - began
    store = Store(result.db_path)
    try:
        (job,) = [asdict(row) for row in store.jobs(result.run_id)]
        marks = store.marks(str(job["job_key"]))
        costs = [dict(row) for row in store.conn.execute("SELECT * FROM costs WHERE job_key = ?", (job["job_key"],))]
    finally:
        store.close()
    return job, marks, costs, took


@pytest.mark.parametrize("dripping", [_http(_drip_audio)], indirect=True, ids=["audio"])
def test_a_direct_answer_dripping_a_byte_a_second_ends_as_a_timeout_at_the_deadline(
    tmp_path: Path, dripping: Dripping
) -> None:
    job, marks, costs, took = _run(tmp_path, _speech_table(dripping.url), dripping.url)
    assert (job["outcome"], job["error_class"]) == ("error", "timeout"), job["error_message"]
    assert "2 s deadline (--job-timeout) was reached while reading the answer" in job["error_message"]
    assert JOB_TIMEOUT <= marks["finished"] / 1000 < JOB_TIMEOUT + SLACK and took < JOB_TIMEOUT + SLACK
    # The request reached the server and was cut: it may have been charged (the paid side).
    assert [(c["charged"], c["basis"]) for c in costs] == [(1, "unknown-outcome:timeout")]


@pytest.mark.parametrize("dripping", [_http(_drip_events)], indirect=True, ids=["sse"])
def test_an_sse_stream_that_never_ends_ends_as_a_timeout_at_the_deadline(tmp_path: Path, dripping: Dripping) -> None:
    table = _speech_table(
        dripping.url,
        stream='"sse"',
        audio='"/chunk"',
        audio_encoding='"base64"',
        formats='{ raw = "pcm_s16le/16000/raw" }',
    )
    job, marks, _, took = _run(tmp_path, table, dripping.url)
    assert (job["outcome"], job["error_class"], job["delivery"]) == ("error", "timeout", "stream")
    assert "deadline (--job-timeout) was reached while reading the answer" in job["error_message"]
    assert JOB_TIMEOUT <= marks["finished"] / 1000 < JOB_TIMEOUT + SLACK and took < JOB_TIMEOUT + SLACK


@pytest.mark.parametrize("dripping", [_websocket()], indirect=True, ids=["socket"])
def test_a_socket_that_sends_a_frame_a_second_forever_ends_as_a_timeout_at_the_deadline(
    tmp_path: Path, dripping: Dripping, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DRIP_SOCKET_KEY", "drip-socket-key-0123456789")
    job, marks, costs, took = _run(tmp_path, _socket_table(dripping.url), dripping.url)
    assert (job["outcome"], job["error_class"], job["delivery"]) == ("error", "timeout", "socket")
    assert "was reached while the socket to" in job["error_message"] and "frames received" in job["error_message"]
    assert JOB_TIMEOUT <= marks["finished"] / 1000 < JOB_TIMEOUT + SLACK and took < JOB_TIMEOUT + SLACK
    assert [(c["charged"], c["basis"]) for c in costs] == [(1, "documented-price")]  # the socket was open


@pytest.mark.parametrize("dripping", [_http(_drip_audio)], indirect=True, ids=["audio"])
def test_the_cli_ends_a_dripping_job_as_a_timeout_in_one_line(tmp_path: Path, dripping: Dripping) -> None:
    providers = tmp_path / "tts-harness.toml"
    providers.write_text(_speech_table(dripping.url), encoding="utf-8")
    env = {**os.environ, declared.FILE_ENV: str(providers), "PYTHONPATH": str(REPO), "COLUMNS": "160"}
    began = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "bench",
            "run",
            "--providers",
            "drip",
            "--corpus",
            "en_read:1",
            "--target",
            dripping.url,
            "--budget",
            "1",
            "--job-timeout",
            "2",
            "--no-score",
            "--no-report",
            "--out",
            str(tmp_path / "out"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    took = time.monotonic() - began
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert "timeout" in done.stdout + done.stderr
    store = Store(tmp_path / "out" / "runs.db")
    try:
        (job,) = [dict(row) for row in store.conn.execute("SELECT * FROM jobs")]
        marks = store.marks(str(job["job_key"]))
    finally:
        store.close()
    assert job["error_class"] == "timeout" and marks["finished"] / 1000 < JOB_TIMEOUT + SLACK
    assert took < 60  # the interpreter's start and imports, then the job's 2 s: the run ended by itself


# --- the rule itself ----------------------------------------------------------------------------------


async def test_an_exchange_is_cut_at_the_deadline_saying_how_far_it_got() -> None:
    server = Dripping(_http(_drip_audio))
    try:
        async with httpx.AsyncClient() as client:
            deadline = Deadline.after(1.0)
            with pytest.raises(ExchangeFailed) as failure:
                await send(client, client.build_request("GET", server.url + "/a.wav"), deadline=deadline)
            ended = now()
    finally:
        server.close()
    assert deadline.at <= ended < deadline.at + 1.0
    error = failure.value
    assert error.error.error_class == "timeout" and error.reached_server and error.status == 200
    assert "while reading the answer from http://127.0.0.1" in str(error.error)
    assert "bytes of its body had come" in str(error.error)


async def test_a_deadline_already_passed_sends_nothing() -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(ExchangeFailed) as failure:
            await send(client, client.build_request("GET", "http://127.0.0.1:9/never"), deadline=Deadline.after(-1))
    assert not failure.value.reached_server and "before the request to" in str(failure.value.error)


async def test_work_that_swallows_its_cancellation_is_left_behind_within_the_grace(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from harness.runner.deliver import deadline as deadlines

    monkeypatch.setattr(deadlines, "CANCEL_GRACE_S", 0.3)
    released, ended = asyncio.Event(), asyncio.Event()

    async def swallows() -> None:
        while not released.is_set():
            try:
                await released.wait()
            except asyncio.CancelledError:
                continue  # Python 3.11's wait_for can lose a cancellation like this
        ended.set()

    deadline = Deadline.after(0.2)
    with pytest.raises(DeadlineReached):
        await within(deadline, swallows())
    assert now() < deadline.at + 0.3 + 0.5  # the job's end did not wait on it
    released.set()
    await ended.wait()  # left behind, it ends on its own


async def test_work_that_finishes_in_time_gives_its_result_and_its_own_error() -> None:
    async def answer() -> str:
        await asyncio.sleep(0)
        return "audio"

    async def fails() -> None:
        raise ValueError("its own")

    assert await within(Deadline.after(5.0), answer()) == "audio"
    with pytest.raises(ValueError, match="its own"):
        await within(Deadline.after(5.0), fails())


# --- a job already submitted: the polls and the download share the deadline -----------------------------


class DrippingFront(LoopbackServer):
    """Forwards to the sandbox, except that `where` ("status" or "media") answers with headers, then a byte a
    second until the client leaves (or the server closes)."""

    def __init__(self, sandbox_url: str, where: str) -> None:
        self.closing = threading.Event()
        client = httpx.Client(trust_env=False, timeout=30)
        front = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                if ("/requests/status/" if where == "status" else "/cdn/") not in self.path:
                    return self.forward(client, sandbox_url)
                self.drip(
                    200, {"Content-Type": "application/json" if where == "status" else "audio/wav"}, front.closing
                )
                return None

            def do_POST(self) -> None:
                self.forward(client, sandbox_url)

        super().__init__(Handler)

    def close(self) -> None:
        self.closing.set()
        super().close()


@pytest.mark.parametrize("where", ["status", "media"])
def test_a_submitted_job_whose_status_or_audio_drips_is_kept_unfetched_at_the_deadline(
    tmp_path: Path, sandbox: Any, where: str
) -> None:
    front = DrippingFront(sandbox.url, where)
    try:
        config = BenchConfig(
            out=tmp_path,
            score=False,
            report=False,
            models=("chatterbox",),
            providers=("pixazo",),
            corpus=("en_read:1",),
            target=front.url,
            yes=True,
            job_timeout=JOB_TIMEOUT + 1,
            polling="fixed",
            poll_interval=0.05,
        )
        began = time.monotonic()
        result = run_bench_session(config, providers={"pixazo": PIXAZO})
        took = time.monotonic() - began
    finally:
        front.close()
    store = Store(result.db_path)
    try:
        (job,) = [asdict(row) for row in store.jobs(result.run_id)]
        marks = store.marks(str(job["job_key"]))
        charged = [
            row["basis"]
            for row in store.conn.execute(
                "SELECT basis FROM costs WHERE job_key = ? AND charged = 1", (job["job_key"],)
            )
        ]
        errors = [
            (row["phase"], row["error_class"])
            for row in store.conn.execute(
                "SELECT phase, error_class FROM errors WHERE job_key = ? ORDER BY rowid", (job["job_key"],)
            )
        ]
    finally:
        store.close()
    # Accepted, its result not had by the deadline: kept with its id for `--resume`, charged once; what ended it
    # is a time-out of the phase that dripped.
    assert (job["state"], job["outcome"]) == ("unfetched", "unfetched") and job["provider_job_id"]
    assert charged == ["documented-price"] and "3 s deadline (--job-timeout) was reached" in job["error_message"]
    assert errors[-1] == ("poll" if where == "status" else "download", "timeout"), errors
    assert JOB_TIMEOUT + 1 <= marks["finished"] / 1000 < JOB_TIMEOUT + 1 + SLACK and took < JOB_TIMEOUT + 1 + SLACK


# --- the run waits on nothing unbounded: a provider's listing that drips ------------------------------------


class DrippingListing(LoopbackServer):
    """Google laid out like the sandbox: its synthesis answers at once, its voices listing drips forever (a byte
    every half second: within any read timeout the test sets)."""

    def __init__(self) -> None:
        self.closing = threading.Event()
        front = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.answer(
                    200,
                    json.dumps({"audioContent": base64.b64encode(AUDIO).decode()}).encode(),
                    {"Content-Type": "application/json"},
                )

            def do_GET(self) -> None:
                self.drip(200, {"Content-Type": "application/json"}, front.closing, every_s=0.5)

        super().__init__(Handler)

    def close(self) -> None:
        self.closing.set()
        super().close()


def test_a_dripping_listing_is_kept_as_its_error_and_the_run_goes_on(tmp_path: Path) -> None:
    from harness.providers.google import PROVIDER as GOOGLE
    from harness.results import read_catalogues

    server = DrippingListing()
    try:
        config = BenchConfig(
            out=tmp_path,
            score=False,
            report=False,
            providers=("google",),
            models=("wavenet",),
            corpus=("en_read:1",),
            target=server.url,
            budget=1.0,
            request_timeout=1.0,
        )
        began = time.monotonic()
        result = run_bench_session(config, providers={"google": GOOGLE})
        took = time.monotonic() - began
    finally:
        server.close()
    store = Store(result.db_path)
    try:
        (job,) = [asdict(row) for row in store.jobs(result.run_id)]
        listings = read_catalogues(store.conn, result.run_id)
    finally:
        store.close()
    assert job["outcome"] == "ok" and took < 1.0 + SLACK
    assert listings and all(
        "a listing's 1 s deadline (--request-timeout) was reached" in (row.error or "") for row in listings
    )


async def test_a_gate_closed_past_the_deadline_is_waited_for_only_until_it() -> None:
    from harness.runner.deliver.admission import ProviderGate

    gate = ProviderGate(1)
    gate.close_for(300.0)  # a provider's Retry-After
    deadline = Deadline.after(0.2)
    await gate.ready(until=deadline.at)
    assert deadline.passed() and now() < deadline.at + 0.5
