"""The documents' own examples, each a `source: docs` scenario checked the way its document states it:
evidence the specs (and the sandbox made from them) did not write. See harness/contracts/docs.py."""

from __future__ import annotations

import pytest

from harness.contracts.docs import check_doc_scenario, load_doc_scenarios
from harness.contracts.scenario import Scenario, Source
from harness.contracts.session import FIXTURES
from harness.core.registry import declared_providers, providers
from harness.core.spec import Endpoint, Provider, Role

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


def _status_endpoints(provider: Provider) -> list[Endpoint]:
    return [e for e in provider.endpoints if e.role is Role.STATUS and e.lifecycle is not None]


def _answer_fields(endpoint: Endpoint) -> tuple[str, ...]:
    """The fields its lifecycle requires of one answer: the output of a success, the reason of a failure."""
    lifecycle = endpoint.lifecycle
    return tuple(f for f in (lifecycle.output_field, lifecycle.error_field) if f) if lifecycle else ()


def _refused() -> set[tuple[str, str, str]]:
    """(provider, endpoint signature, pointer) of every counter-example of the documents."""
    return {(s.provider, s.endpoint, s.extra["pointer"]) for s in SCENARIOS if s.extra["expect"] == "refuse"}


def test_the_prose_counter_examples_are_there() -> None:
    """Every rule a status endpoint's lifecycle states about one answer — a success carries its output, a
    failure says why — has a counter-example of the documents refused at that field, for every provider
    whose documents are catalogued; and the rule on server timestamps (a form the documents use) has one."""
    refused = _refused()
    expected = {
        (name, endpoint.signature, f"/{field}")
        for name, provider in KNOWN.items()
        if (FIXTURES / "docs" / f"{name}.json").is_file()
        for endpoint in _status_endpoints(provider)
        for field in _answer_fields(endpoint)
    }
    assert len({name for name, _, _ in expected}) >= 3 and len(expected) >= 4  # the rule reads real declarations
    assert expected <= refused, sorted(expected - refused)
    stamps = {
        (name, endpoint.signature, stamp)
        for name, provider in KNOWN.items()
        for endpoint in _status_endpoints(provider)
        for stamp in endpoint.timestamp_fields
    }
    assert stamps & refused, "no counter-example of the documents breaks a status answer's timestamp rule"


def test_a_spec_that_forgets_a_documented_rule_fails_the_docs_scenarios() -> None:
    """The evidence is independent: weaken a spec (drop "FAILED — check error field", the lifecycle's error
    field) and the documents' counter-examples catch it, though every sandbox fixture would still pass. Every
    provider whose lifecycle names an error field is weakened in turn; exactly its counter-examples at that
    field fail."""
    import dataclasses

    weakened_any = False
    for name, provider in sorted(KNOWN.items()):
        fields = {e.lifecycle.error_field for e in provider.endpoints if e.lifecycle and e.lifecycle.error_field}
        if not fields:
            continue
        endpoints = tuple(
            dataclasses.replace(e, lifecycle=dataclasses.replace(e.lifecycle, error_field=None)) if e.lifecycle else e
            for e in provider.endpoints
        )
        weakened = dataclasses.replace(provider, endpoints=endpoints)
        mine = [s for s in SCENARIOS if s.provider == name]
        assert all(check_doc_scenario(provider, s).ok for s in mine), name
        failing = {s.name for s in mine if not check_doc_scenario(weakened, s).ok}
        at_the_field = {
            s.name
            for s in mine
            if s.extra["expect"] == "refuse" and s.extra["pointer"] in {f"/{field}" for field in fields}
        }
        assert failing and all("docs-counter" in s for s in failing), (name, failing)
        assert failing == at_the_field, (name, failing ^ at_the_field)
        # every answer that tells a job's end (its status endpoints, its callbacks) and names the field is caught
        tellers = {
            e.key
            for e in provider.endpoints
            if e.role in (Role.STATUS, Role.CALLBACK) and e.lifecycle and e.lifecycle.error_field
        }
        assert {scenario.rsplit("/", 2)[1] for scenario in failing} == tellers, (name, tellers)
        weakened_any = True
    assert weakened_any, "no provider's lifecycle names an error field: the test weakens nothing"
