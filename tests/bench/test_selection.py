"""Which (provider, model) pairs a run benchmarks: the seeds' by default; the market's built-in providers when
named — by provider (`--providers openai`, `--providers all`) or by a model label (`--models openai/tts-1`)."""

from __future__ import annotations

import pytest

from harness.bench.plan import select
from harness.core.errors import UsageError
from harness.core.registry import providers


def _labels(wanted_providers: list[str], wanted_models: list[str]) -> set[str]:
    return {s.label for s in select(providers(), wanted_providers, wanted_models)}


def test_a_plain_run_is_the_default_runs_providers_only() -> None:
    chosen = {label.split("/")[0] for label in _labels([], [])}
    assert chosen == {p.name for p in providers().values() if p.default_run}
    assert "openai" not in chosen and "google" not in chosen


def test_a_market_model_named_by_its_label_is_benchmarked_beside_a_default_one() -> None:
    assert _labels([], ["openai/tts-1", "pixelapi/voice-design"]) == {"openai/tts-1", "pixelapi/voice-design"}


def test_a_bare_market_model_name_is_not_found_without_its_provider() -> None:
    with pytest.raises(UsageError, match="unknown model"):
        _labels([], ["tts-1"])
    assert _labels(["openai"], ["tts-1"]) == {"openai/tts-1"}


def test_all_is_every_provider() -> None:
    assert {label.split("/")[0] for label in _labels(["all"], [])} == set(providers())
