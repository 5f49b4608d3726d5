"""The documents' own examples, each a `source: docs` scenario checked the way its document states it:
evidence the specs (and the sandbox made from them) did not write. See harness/contracts/docs.py."""

from __future__ import annotations

import pytest

from harness.contracts.docs import check_doc_scenario, load_doc_scenarios
from harness.contracts.scenario import Scenario, Source
from harness.contracts.session import FIXTURES
from harness.core.registry import declared_providers, providers

# A provider declared in a providers file has no documents here: its declaration is what it says.
KNOWN = {name: p for name, p in providers().items() if p not in declared_providers()}
SCENARIOS = load_doc_scenarios(FIXTURES, KNOWN)


@pytest.mark.docs_source
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_documented_example(scenario: Scenario) -> None:
    checked = check_doc_scenario(KNOWN[scenario.provider], scenario)
    if not checked.ok:
        pytest.fail(f"{scenario.name} ({scenario.made}):\n  " + "\n  ".join(checked.problems), pytrace=False)


def test_every_catalogued_example_is_a_docs_scenario() -> None:
    import json

    catalogued = sum(len(json.loads((FIXTURES / "docs" / f"{name}.json").read_text())["examples"]) for name in KNOWN)
    accepted = [s for s in SCENARIOS if s.extra["expect"] == "accept"]
    assert len(accepted) == catalogued >= 57
    assert all(s.source is Source.DOCS for s in SCENARIOS)
    assert len({s.name for s in SCENARIOS}) == len(SCENARIOS)


def test_the_prose_counter_examples_are_there() -> None:
    refused = {(s.provider, s.extra["pointer"]) for s in SCENARIOS if s.extra["expect"] == "refuse"}
    assert {("pixazo", "/error"), ("pixazo", "/output"), ("pixazo", "/created_at"), ("pixelapi", "/output_url"),
            ("ttsai", "/result_url")} <= refused


def test_a_spec_that_forgets_a_documented_rule_fails_the_docs_scenarios() -> None:
    """The evidence is independent: weaken the spec (drop "FAILED — check error field") and the
    documents' counter-examples catch it, though every sandbox fixture would still pass."""
    import dataclasses

    pixazo = KNOWN["pixazo"]
    endpoints = tuple(
        dataclasses.replace(e, lifecycle=dataclasses.replace(e.lifecycle, error_field=None)) if e.lifecycle else e
        for e in pixazo.endpoints
    )
    weakened = dataclasses.replace(pixazo, endpoints=endpoints)
    failing = [s.name for s in SCENARIOS if s.provider == "pixazo" and not check_doc_scenario(weakened, s).ok]
    assert failing and all("docs-counter" in name for name in failing)
    assert {name.rsplit("/", 2)[1] for name in failing} == {"requests.status", "webhook.callback"}
