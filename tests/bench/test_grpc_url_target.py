"""A URL target laid out like the sandbox reaches its gRPC methods (issue 59 item 3): they listen on the port after the
URL's (`harness.core.target.grpc_address`), where `tts-harness serve` and `running()` bind them, so `bench run --target
http://HOST:PORT` runs a gRPC offering as the sandbox target does; a provider's own base URL names no gRPC address."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from harness.core.registry import providers
from harness.core.target import grpc_address, layout, parse_target


def test_the_grpc_address_of_a_url_follows_the_layout() -> None:
    known = list(providers().values())
    assert grpc_address("http://127.0.0.1:18870") == ("127.0.0.1:18871", False)
    assert grpc_address("https://user:pw@[::1]:8443/prefix") == ("[::1]:8444", True)
    assert grpc_address("http://sandbox.lan") == ("sandbox.lan:81", False)  # no port: the scheme's
    assert grpc_address("ftp://x") is None
    assert layout(parse_target("http://127.0.0.1:18870"), known).grpc == ("127.0.0.1:18871", False)
    # a provider's own base URL is that provider's server, whose gRPC address its declaration gives
    assert layout(parse_target("https://api.openai.com/v1"), known).grpc is None
    assert layout(parse_target("live"), known).grpc is None


def test_a_url_target_runs_a_grpc_offering(tmp_path: Path) -> None:
    from harness.results.store import Store
    from harness.runner.plan.config import BenchConfig
    from harness.runner.session import run_bench_session
    from harness.sandbox import running

    with running("fast", 1, providers=("google",), origin_port=None) as sandbox:
        expected = grpc_address(sandbox.url)
        assert expected is not None
        if sandbox.grpc_target != expected[0]:
            pytest.skip(f"the port after {sandbox.url} was taken by another process: the sandbox listens on a free one")
        config = BenchConfig(
            out=tmp_path,
            score=False,
            report=False,
            providers=("google",),
            models=("google/chirp3-hd-grpc",),
            corpus=("en_read:1",),
            target=sandbox.url,
            yes=True,
        )
        result = run_bench_session(config)
    store = Store(result.db_path)
    try:
        (job,) = [asdict(row) for row in store.jobs(result.run_id)]
    finally:
        store.close()
    assert (job["outcome"], job["error_message"], job["delivery"]) == ("ok", None, "socket"), job


def test_serve_says_when_its_grpc_methods_are_not_where_a_url_target_looks() -> None:
    from harness.cli.serve import grpc_lines
    from harness.sandbox.config import SandboxConfig
    from harness.sandbox.state import SandboxState

    state = SandboxState(SandboxConfig(providers=("google",)))
    try:
        assert len(grpc_lines(state, "127.0.0.1", 18871, tls=False, layout_port=18871)) == 1
        _, warning = grpc_lines(state, "127.0.0.1", 40001, tls=False, layout_port=18871)
    finally:
        state.producer.close()
    assert warning.startswith("warning: the gRPC methods listen on 40001, not 18871") and "--target URL" in warning
