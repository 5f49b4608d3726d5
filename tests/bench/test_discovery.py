"""The benchmark finds providers through the registry alone: TTS_HARNESS_PROVIDERS limits what runs,
and a broken plugin stops the run before anything is planned, with one line naming its entry point."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from harness.cli.bench import bench_app
from harness.core import registry
from harness.core.errors import UsageError
from harness.results.store import Store
from harness.runner.plan.config import BenchConfig
from harness.runner.session import benchmarkable, run_bench_session


@pytest.fixture(autouse=True)
def fresh_registry() -> Iterator[None]:
    registry.providers.cache_clear()
    yield
    registry.providers.cache_clear()


@pytest.fixture
def broken_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A provider package whose module fails on import, registered beside the shipped ones."""
    (tmp_path / "plugin").mkdir()
    (tmp_path / "plugin" / "unfinished_provider.py").write_text('raise ImportError("needs a module not written yet")\n')
    monkeypatch.syspath_prepend(str(tmp_path / "plugin"))
    group = registry.ENTRY_POINT_GROUP
    installed = [*entry_points(group=group), EntryPoint("unfinished", "unfinished_provider:PROVIDER", group)]
    monkeypatch.setattr(registry, "entry_points", lambda group: installed)
    return "unfinished = unfinished_provider:PROVIDER"


def test_the_environment_limits_the_benchmark(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sandbox: Any) -> None:
    monkeypatch.setenv(registry.ONLY_ENV, "pixelapi")
    assert list(benchmarkable()) == ["pixelapi"]
    config = BenchConfig(
        out=tmp_path, score=False, report=False, corpus=("en_read:1",), target=sandbox.url, yes=True
    )  # every provider: those the environment allows
    result = run_bench_session(config)
    store = Store(result.db_path)
    try:
        providers = {
            row["provider"] for row in store.query("SELECT provider FROM jobs WHERE run_id = ?", (result.run_id,))
        }
    finally:
        store.close()
    assert providers == {"pixelapi"}


def test_a_broken_plugin_stops_the_run_before_the_plan(broken_plugin: str, tmp_path: Path) -> None:
    config = BenchConfig(out=tmp_path / "reports", score=False, report=False, corpus=("en_read:1",))
    with pytest.raises(UsageError, match=broken_plugin) as raised:
        run_bench_session(config)
    assert "\n" not in str(raised.value) and registry.ONLY_ENV in str(raised.value)
    assert not (tmp_path / "reports").exists()  # nothing planned, nothing stored


def test_the_cli_says_it_in_one_line(broken_plugin: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(bench_app, ["run", "--out", str(tmp_path), "--no-score", "--no-report"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert any(broken_plugin in line for line in lines), result.output
