"""Emulations are found by provider name through the `tts_harness.emulations` entry points; a provider
without a usable one is left out with a one-line reason, never a crash."""

from __future__ import annotations

import logging
from importlib.metadata import EntryPoint

import pytest

from harness.core.registry import providers
from harness.sandbox import Emulation
from harness.sandbox.emulations.jobs.responses import JobsEmulation
from harness.sandbox.loading import EMULATION_GROUP, NoEmulation, load_emulation, load_served, registered_emulations


def _entry(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=EMULATION_GROUP)


def test_every_registered_provider_has_a_registered_emulation() -> None:
    """Its own, or its wire family's (a provider of a family has none of its own)."""
    emulations = set(registered_emulations())
    assert {p.name for p in providers().values() if p.name not in emulations and p.protocol not in emulations} == set()


def test_an_instance_or_a_subclass_is_accepted() -> None:
    built = load_emulation(providers()["ttsai"], registered_emulations()["ttsai"])  # a class: built per sandbox
    assert isinstance(built, Emulation) and built.provider is providers()["ttsai"]
    # An instance, as a third-party package may register one: taken as it is.
    instance = _entry("pixazo", "tests.sandbox.test_sandbox_loading:PIXAZO_INSTANCE")
    assert load_emulation(providers()["pixazo"], instance) is PIXAZO_INSTANCE


PIXAZO_INSTANCE = JobsEmulation(providers()["pixazo"])


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (None, "has no emulation registered under 'tts_harness.emulations'"),
        (_entry("pixazo", "harness.sandbox.no_such_module:EMULATION"), "does not load: ModuleNotFoundError"),
        (
            _entry("pixazo", "harness.sandbox.loading:EMULATION_GROUP"),
            "is neither an Emulation nor an Emulation subclass",
        ),
    ],
)
def test_a_missing_or_unusable_emulation_has_a_one_line_reason(entry: EntryPoint | None, reason: str) -> None:
    with pytest.raises(NoEmulation) as raised:
        load_emulation(providers()["pixazo"], entry)
    assert reason in str(raised.value) and "\n" not in str(raised.value)


def test_the_sandbox_leaves_out_a_provider_without_emulation(caplog: pytest.LogCaptureFixture) -> None:
    entries = {name: entry for name, entry in registered_emulations().items() if name != "ttsai"}
    with caplog.at_level(logging.WARNING, logger="harness.sandbox"):
        served = load_served(emulations=entries)
    assert {s.provider.name for s in served} == set(providers()) - {"ttsai"}
    assert "provider 'ttsai' has no emulation registered under 'tts_harness.emulations'" in caplog.text


def test_an_emulation_from_another_package_is_served_by_name() -> None:
    # Any importable "module:ATTR" under the provider's name: here the class, built for the provider.
    entries = {"pixazo": _entry("pixazo", "harness.sandbox.emulations.jobs.responses:JobsEmulation")}
    (served,) = load_served(emulations=entries)
    assert served.provider is providers()["pixazo"] and type(served.emulation).__name__ == "JobsEmulation"


def test_no_registered_emulation_at_all_says_how_to_fix_it(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="harness.sandbox"):
        assert load_served(emulations={}) == []
    assert "reinstall tts-harness (pip install -e .)" in caplog.text
