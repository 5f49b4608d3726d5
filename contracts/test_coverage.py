"""The recorded fixtures cover the documents: each endpoint's success path and each documented error
status has a scenario whose exchanges show it, and every fixture belongs to a current plan."""

from __future__ import annotations

import pytest

from harness.contracts import load_scenarios, plans_for
from harness.contracts.session import FIXTURES
from harness.core.registry import providers
from harness.core.spec import Role

PROVIDERS = providers()
SCENARIOS = list(load_scenarios(FIXTURES))
SEEN = {(s.provider, e.endpoint, e.response.status) for s in SCENARIOS for e in s.exchanges}
REQUIRED = [
    (provider.name, endpoint.key, response.status)
    for provider in PROVIDERS.values()
    for endpoint in provider.endpoints
    if endpoint.role is not Role.CALLBACK
    for response in endpoint.responses
    if response.status >= 400 or response.status == endpoint.success_status
]


@pytest.mark.parametrize("required", REQUIRED, ids=["/".join(map(str, r)) for r in REQUIRED])
def test_documented_status_is_recorded(required: tuple[str, str, int]) -> None:
    assert required in SEEN, f"no fixture shows {required}; record with --tts-target sandbox --tts-record-mode=once"


def test_every_fixture_belongs_to_a_plan() -> None:
    names = {plan.name for provider in PROVIDERS.values() for plan in plans_for(provider)}
    orphans = sorted(s.name for s in SCENARIOS if s.name not in names)
    assert not orphans, f"fixtures no current plan uses (re-record with --tts-record-mode=rewrite): {orphans}"


def test_fixtures_say_how_they_were_made() -> None:
    assert SCENARIOS, "no fixtures recorded"
    assert all(s.source.value in ("docs", "sandbox", "live") and s.made for s in SCENARIOS)
