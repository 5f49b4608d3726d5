"""One discovery path: `harness.core.registry` honours TTS_HARNESS_PROVIDERS and stops on a broken
plugin with one line that names its entry point."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import pytest

from harness.core import registry
from harness.core.errors import UsageError

GROUP = registry.ENTRY_POINT_GROUP


@pytest.fixture(autouse=True)
def fresh_registry() -> Iterator[None]:
    registry.providers.cache_clear()
    yield
    registry.providers.cache_clear()


def register(monkeypatch: pytest.MonkeyPatch, *extra: EntryPoint) -> None:
    """The installed entry points plus `extra`, as `importlib.metadata` would list them."""
    installed = list(entry_points(group=GROUP))
    monkeypatch.setattr(registry, "entry_points", lambda group: [*installed, *extra] if group == GROUP else [])


def broken_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> EntryPoint:
    """A real module on the path whose import fails with a message of several lines."""
    (tmp_path / "half_written_provider.py").write_text(
        'raise RuntimeError("spec is not finished:\\n  endpoints missing\\n  prices missing")\n'
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return EntryPoint("halfwritten", "half_written_provider:PROVIDER", GROUP)


def test_the_shipped_providers_load() -> None:
    assert {"pixazo", "pixelapi", "ttsai"} <= set(registry.providers())


def test_a_broken_plugin_is_one_line_naming_its_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    register(monkeypatch, broken_plugin(tmp_path, monkeypatch))
    with pytest.raises(UsageError) as raised:
        registry.providers()
    message = str(raised.value)
    assert "\n" not in message
    assert "halfwritten = half_written_provider:PROVIDER" in message
    assert "RuntimeError: spec is not finished: endpoints missing prices missing" in message
    assert registry.ONLY_ENV in message  # says how to run without it


def test_an_entry_point_that_is_not_a_provider_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    register(monkeypatch, EntryPoint("notaprovider", "harness.core.registry:ONLY_ENV", GROUP))
    with pytest.raises(
        UsageError,
        match=r"notaprovider = harness\.core\.registry:ONLY_ENV is a str, not a harness "
        r"Provider",
    ):
        registry.providers()


def test_the_environment_limits_what_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    register(monkeypatch, broken_plugin(tmp_path, monkeypatch))
    monkeypatch.setenv(registry.ONLY_ENV, "pixazo, ttsai")
    assert list(registry.providers()) == ["pixazo", "ttsai"]  # the broken plugin is never imported


def test_an_unknown_provider_names_the_known_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(registry.ONLY_ENV, "pixazo")
    with pytest.raises(UsageError, match="unknown provider 'ttsai'; known: pixazo"):
        registry.get_provider("ttsai")
