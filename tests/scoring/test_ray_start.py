"""A local Ray instance whose node registers late: Ray waits a fixed 30 s for its raylet and then raises a bare
`Exception` ("timed out during startup"), which a busy machine reaches. The executor starts it once more, and a
start that fails again is one line (`AsrBackendError`), never Ray's traceback. Ray itself stands in as a module
that fails the way it does (tests/scoring/test_scoring_ray.py starts the real one)."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from harness.scoring.distributed import RayExecutor
from harness.scoring.scoring_errors import AsrBackendError

SLOW = "The current node timed out during startup. This could happen because some of the raylet failed to startup"


def _ray(failures: list[BaseException]) -> Any:
    calls: list[str] = []
    ray = types.ModuleType("ray")

    def init(**_: Any) -> None:
        calls.append("init")
        if failures:
            raise failures.pop(0)

    ray.init = init  # type: ignore[attr-defined]
    ray.shutdown = lambda: calls.append("shutdown")  # type: ignore[attr-defined]
    ray.is_initialized = lambda: False  # type: ignore[attr-defined]
    ray.remote = lambda **_: lambda function: function  # type: ignore[attr-defined]
    ray.calls = calls  # type: ignore[attr-defined]
    return ray


def test_a_node_slow_to_register_is_started_once_more(monkeypatch: pytest.MonkeyPatch) -> None:
    ray = _ray([Exception(SLOW)])
    monkeypatch.setitem(sys.modules, "ray", ray)
    RayExecutor(workers=1)
    assert ray.calls == ["init", "shutdown", "init"]


def test_a_start_that_fails_twice_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    ray = _ray([Exception(SLOW), Exception(SLOW)])
    monkeypatch.setitem(sys.modules, "ray", ray)
    with pytest.raises(AsrBackendError, match="could not start or reach Ray at a local instance: The current node"):
        RayExecutor(workers=1)
    assert ray.calls == ["init", "shutdown", "init"]


def test_a_cluster_that_cannot_be_reached_is_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    ray = _ray([ConnectionError("no cluster at 10.0.0.9:6379")])
    monkeypatch.setitem(sys.modules, "ray", ray)
    with pytest.raises(AsrBackendError, match=r"could not start or reach Ray at 10\.0\.0\.9:6379"):
        RayExecutor(address="10.0.0.9:6379")
    assert ray.calls == ["init"]
