"""Which (provider, model) pairs a run benchmarks: every registered provider's by default (the seeds' gateways
and the market's built-in providers alike); `--providers` narrows to those named, `--models` to models by name
or by label (`--models openai/tts-1`)."""

from __future__ import annotations

import pytest

from harness.core.errors import UsageError
from harness.core.registry import providers
from harness.runner.plan.jobs import select


def _labels(wanted_providers: list[str], wanted_models: list[str]) -> set[str]:
    return {s.label for s in select(providers(), wanted_providers, wanted_models)}


def test_a_plain_run_is_every_provider() -> None:
    """Before: the seeds' gateways only (3 of 28 built-in providers), though `--help` said "every registered one"."""
    chosen = {label.split("/")[0] for label in _labels([], [])}
    assert chosen == set(providers()) and {"openai", "google", "pixazo"} <= chosen


def test_a_market_model_named_by_its_label_is_benchmarked_beside_a_default_one() -> None:
    assert _labels([], ["openai/tts-1", "pixelapi/voice-design"]) == {"openai/tts-1", "pixelapi/voice-design"}


def test_a_bare_model_name_is_found_in_any_provider_and_narrowed_by_one() -> None:
    assert _labels([], ["tts-1"]) == {"openai/tts-1"}
    assert _labels(["openai"], ["tts-1"]) == {"openai/tts-1"}
    with pytest.raises(UsageError, match="unknown model"):
        _labels(["google"], ["tts-1"])


def test_all_is_every_provider() -> None:
    assert {label.split("/")[0] for label in _labels(["all"], [])} == set(providers())
