"""The recorded fixtures cover the documents: each endpoint's success path and each documented error
status has a scenario whose exchanges show it, and every fixture belongs to a current plan.

The built-in providers' fixtures are the harness's own (`fixtures/`): one missing is a failure. A provider
declared in a providers file is recorded by its user into a folder beside that file (or `--tts-fixtures-dir`):
before the first recording its coverage is skipped with the command that records it, not failed; once
recorded, it is held to the same rule."""

from __future__ import annotations

from typing import Any

import pytest

from harness.contracts import load_scenarios, plans_for
from harness.contracts.scenario import Scenario
from harness.contracts.session import FixtureRoots
from harness.core.registry import declared_providers, providers
from harness.core.spec import Role

PROVIDERS = providers()
DECLARED = frozenset(p.name for p in declared_providers())
REQUIRED = [
    (provider.name, endpoint.key, response.status)
    for provider in PROVIDERS.values()
    for endpoint in provider.endpoints
    if endpoint.role is not Role.CALLBACK
    for response in endpoint.responses
    if response.status >= 400 or response.status == endpoint.success_status
]


@pytest.fixture(scope="module")
def roots(request: pytest.FixtureRequest) -> FixtureRoots:
    return FixtureRoots.resolve(request.config.option.tts_fixtures_dir, DECLARED)


@pytest.fixture(scope="module")
def scenarios(roots: FixtureRoots) -> list[Scenario]:
    return [s for root in roots.all() for s in load_scenarios(root) if roots.root(s.provider) == root]


@pytest.mark.parametrize("required", REQUIRED, ids=["/".join(map(str, r)) for r in REQUIRED])
def test_documented_status_is_recorded(
    required: tuple[str, str, int], roots: FixtureRoots, scenarios: list[Scenario]
) -> None:
    provider = required[0]
    seen = {(s.provider, e.endpoint, e.response.status) for s in scenarios for e in s.exchanges}
    if roots.is_declared(provider) and not any(s.provider == provider for s in scenarios):
        pytest.skip(roots.not_recorded(provider))
    assert required in seen, f"no fixture shows {required}; record with --tts-target sandbox --tts-record-mode=once"


def test_every_fixture_belongs_to_a_plan(scenarios: list[Scenario]) -> None:
    names = {plan.name for provider in PROVIDERS.values() for plan in plans_for(provider)}
    orphans = sorted(s.name for s in scenarios if s.name not in names)
    assert not orphans, f"fixtures no current plan uses (re-record with --tts-record-mode=rewrite): {orphans}"


def test_fixtures_say_how_they_were_made(scenarios: list[Scenario]) -> None:
    assert scenarios, "no fixtures recorded"
    assert all(s.source.value in ("docs", "sandbox", "live") and s.made for s in scenarios)


def test_declared_fixtures_are_not_the_harnesss_own(roots: FixtureRoots, scenarios: Any) -> None:
    """A declared provider's recordings go beside the providers file, never into the harness's fixtures/."""
    builtin = list(load_scenarios(roots.builtin)) if roots.builtin != roots.declared else []
    assert not [s.name for s in builtin if s.provider in DECLARED]
