"""gRPC streaming synthesis jobs (`harness.runner.deliver.rpc_speech`): against the sandbox a job is real speech with
its stream figures; against a loopback gRPC server written here that misbehaves on purpose — a stream that ends OK
with no audio, a status that is not OK after some audio, a refusal before any — the call is an error in the
harness's classes, never a result."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
import pytest

from harness import benchmark
from harness.core.errors import ErrorClass
from harness.core.protocols.grpc_speech import Rpc, StreamedCall, message_class, speak
from harness.providers.google import PROVIDER
from harness.runner.deliver.rpc_speech import call_error
from harness.runner.plan.config import BenchConfig

RPC: Rpc = PROVIDER.rpcs[0]
PCM = b"\x10\x00\x20\x00" * 2400  # 0.2 s of quiet 16-bit samples at 24 kHz


class Misbehaving:
    """A loopback server of Google's StreamingSynthesize that reads the requests, then answers as `mode` says."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.received: list[Any] = []
        self.ended = threading.Event()  # the call is over on the server's side (done, cancelled or expired)
        request, response = message_class(RPC, RPC.request), message_class(RPC, RPC.response)

        def behaviour(requests: Iterator[Any], context: grpc.ServicerContext) -> Iterator[Any]:
            context.add_callback(self.ended.set)
            if self.mode == "stalls":  # reads the config, then says nothing until the client gives up
                self.received.append(next(requests))
                self.ended.wait(30)
                return
            if self.mode == "refuses":
                context.abort(grpc.StatusCode.PERMISSION_DENIED, "The caller does not have permission")
            self.received.extend(requests)
            if self.mode == "fails-mid-stream":
                yield response(audio_content=PCM)
                context.abort(grpc.StatusCode.INTERNAL, "Internal error encountered.")
            if self.mode == "speaks":
                yield response(audio_content=PCM)
            # "silent": the stream ends OK with no response at all

        handler = grpc.method_handlers_generic_handler(
            f"{RPC.package}.{RPC.service}",
            {
                RPC.method: grpc.stream_stream_rpc_method_handler(
                    behaviour, request_deserializer=request.FromString, response_serializer=response.SerializeToString
                )
            },
        )
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        self.server.add_generic_rpc_handlers((handler,))
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()

    def call(self) -> StreamedCall:
        return asyncio.run(
            speak(
                RPC,
                f"127.0.0.1:{self.port}",
                "loopback-key-1234",
                ("Hello ", "there."),
                "en-US-Chirp3-HD-Kore",
                "en-US",
                RPC.formats[0],
                plaintext=True,
                timeout_s=10,
            )
        )

    def close(self) -> None:
        self.server.stop(None)


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[Misbehaving]:
    found = Misbehaving(request.param)
    yield found
    found.close()


@pytest.mark.parametrize("server", ["speaks"], indirect=True)
def test_a_server_that_speaks_is_a_result_and_got_the_config_first(server: Misbehaving) -> None:
    call = server.call()
    assert call.code == "OK" and call.audio == PCM and call_error(call, RPC, ()) is None
    first, *texts = server.received
    assert first.WhichOneof("streaming_request") == "streaming_config"
    assert first.streaming_config.voice.name == "en-US-Chirp3-HD-Kore"
    assert [t.input.text for t in texts] == ["Hello ", "there."]
    assert len(call.sent) == 3 and call.received[0][0] <= call.received[0][1]


@pytest.mark.parametrize("server", ["silent"], indirect=True)
def test_a_stream_that_ends_ok_without_audio_is_a_protocol_error(server: Misbehaving) -> None:
    call = server.call()
    error = call_error(call, RPC, ())
    assert call.code == "OK" and error is not None and error.error_class is ErrorClass.PROTOCOL
    assert "without audio" in str(error)


@pytest.mark.parametrize("server", ["fails-mid-stream"], indirect=True)
def test_a_status_after_some_audio_is_the_servers_error_not_a_short_result(server: Misbehaving) -> None:
    call = server.call()
    error = call_error(call, RPC, ())
    assert call.audio == PCM and call.code == "INTERNAL"
    assert error is not None and error.error_class is ErrorClass.SERVER and "Internal error" in str(error)


@pytest.mark.parametrize("server", ["refuses"], indirect=True)
def test_a_refusal_is_classified_by_its_status_and_the_key_is_never_said(server: Misbehaving) -> None:
    call = server.call()
    error = call_error(call, RPC, ("loopback-key-1234",))
    assert call.code == "PERMISSION_DENIED" and not call.received
    assert error is not None and error.error_class is ErrorClass.AUTH and "loopback-key" not in str(error)


@pytest.mark.parametrize("server", ["stalls"], indirect=True)
def test_a_call_cut_by_its_deadline_is_cancelled_not_left_to_its_timeout(server: Misbehaving) -> None:
    async def cut() -> None:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(
                speak(
                    RPC,
                    f"127.0.0.1:{server.port}",
                    "loopback-key-1234",
                    ("Hello.",),
                    "en-US-Chirp3-HD-Kore",
                    "en-US",
                    RPC.formats[0],
                    plaintext=True,
                    timeout_s=30,
                ),
                0.5,
            )

    asyncio.run(cut())
    assert server.ended.wait(10), "the call went on after the job gave up on it"
    assert len(server.received) == 1


def test_serve_names_each_grpc_method_where_it_listens() -> None:
    from harness.cli.serve import grpc_lines
    from harness.sandbox.config import SandboxConfig
    from harness.sandbox.state import SandboxState

    state = SandboxState(SandboxConfig(providers=("google", "sarvam")))
    try:
        (line,) = grpc_lines(state, "127.0.0.1", 50051, tls=True)
    finally:
        state.producer.close()
    assert "google" in line and "127.0.0.1:50051 (TLS)" in line and RPC.signature in line
    assert "key: sandbox-google-key" in line


def test_the_streamed_offering_runs_against_the_sandbox_as_speech(tmp_path: Path) -> None:
    config = BenchConfig(
        out=tmp_path / "reports",
        providers=("google",),
        models=("google/chirp3-hd-grpc",),  # type: ignore[call-arg]
        corpus=("en_read:1",),
        sandbox_profile="fast",
        report=False,
        score=False,
        text_rate=20.0,
    )
    result = benchmark.run(config)
    conn = sqlite3.connect(tmp_path / "reports" / "runs.db")
    conn.row_factory = sqlite3.Row
    (row,) = [dict(r) for r in conn.execute("SELECT * FROM jobs WHERE run_id = ?", (result.run_id,))]
    conn.close()
    assert row["outcome"] == "ok", row["error_message"]
    assert row["delivery"] == "socket" and row["text_rate"] == 20.0
    assert row["ttfa_lo_ms"] <= row["ttfa_ms"] <= row["ttfa_hi_ms"] and row["audio_ms"] > 1000
    assert row["last_audio_ms"] >= row["ttfa_ms"]
    # The reader blocked on the first response is woken as it comes: its arrival is known to grpc's wait (0.1 s).
    assert row["ttfa_hi_ms"] - row["ttfa_lo_ms"] <= 100.0 + 1e-6
