"""The documents' own examples as scenarios (`source: docs`): evidence the specs did not write.

Every recorded scenario under fixtures/scenarios comes from the sandbox, and the sandbox is generated
from the same specs the replay checks, so only the documents can catch a spec that misreads them.
Each full example in the catalogue `fixtures/docs/<provider>.json` becomes a scenario of its own, checked
in the direction the document states it:

- a request example must validate as a request (its headers must be documented ones);
- a success answer must validate for its status; a documented error must validate as that error and
  not as a success;
- a callback must validate as the callback, lifecycle rules included; a documented sequence of status
  answers must be a legal lifecycle;
- a counter-example (`counter_examples` in the catalogue: what the prose forbids, e.g. FAILED without
  its error message, COMPLETED without its output) must be refused, at the pointer it names.

A value the document elides with `"..."` is left out of the check (the document shows no value there)
and listed in the scenario's `extra.elided`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from harness.contracts.scenario import RecordedExchange, RecordedRequest, RecordedResponse, Scenario, Source
from harness.core.spec import Endpoint, Provider, Upload
from harness.core.validate import check_json, check_request, check_request_json, timestamp_violations
from harness.core.verdict import Verdict, Violation, pointer

ELISION = "..."


class Expect(StrEnum):
    ACCEPT = "accept"  # the document shows it as valid
    REFUSE = "refuse"  # the document's prose forbids it (a counter-example)


@dataclass(frozen=True, slots=True)
class DocCheck:
    """What a documentation scenario showed: the verdict, and whether it went the documented way."""

    scenario: Scenario
    verdict: Verdict
    problems: tuple[str, ...]  # empty when the check went the way the document says

    @property
    def ok(self) -> bool:
        return not self.problems


def _elide(value: Any, where: str = "") -> tuple[Any, list[str]]:
    """The value without the document's `"..."` placeholders, and where they were."""
    if isinstance(value, Mapping):
        kept: dict[str, Any] = {}
        elided: list[str] = []
        for key, item in value.items():
            here = where + pointer(key)
            if item == ELISION:
                elided.append(here)
                continue
            kept[key], inner = _elide(item, here)
            elided += inner
        return kept, elided
    if isinstance(value, list):
        items, elided = [], []
        for index, item in enumerate(value):
            cleaned, inner = _elide(item, where + pointer(index))
            items.append(cleaned)
            elided += inner
        return items, elided
    return value, []


def _url(provider: Provider, endpoint: Endpoint) -> str:
    if endpoint.host in provider.hosts:
        return "{" + f"{provider.name}/{endpoint.host}" + "}" + endpoint.path
    return endpoint.path  # a callback goes to the user's URL


def _scenario(provider: Provider, index: int, example: Mapping[str, Any], expect: Expect) -> Scenario:
    endpoint = provider.endpoint(example["endpoint"])
    kind = example["kind"]
    body, elided = _elide(example["body"])
    label = f"docs-{index:02d}-{kind}" if expect is Expect.ACCEPT else f"docs-counter-{index:02d}-{kind}"
    request_body: dict[str, Any] = {}
    response = RecordedResponse(0, {}, {})  # 0: the document shows no answer for this example
    exchanges: list[RecordedExchange] = []
    url = _url(provider, endpoint)
    if kind in ("request", "callback"):
        request_body = {"json": body}
        if "parts" in example:
            request_body["files"] = dict(example["parts"])
    elif kind == "headers":
        request_body = {"headers": body}
    elif kind == "lifecycle":
        for poll in body:
            exchanges.append(
                RecordedExchange(
                    endpoint.key,
                    RecordedRequest(endpoint.method, url, {}, {}),
                    RecordedResponse(200, {"content-type": "application/json"}, {"json": poll}),
                )
            )
    else:
        response = RecordedResponse(int(example["status"]), {"content-type": "application/json"}, {"json": body})
    if not exchanges:
        request = RecordedRequest(endpoint.method, url, {}, request_body)
        exchanges.append(RecordedExchange(endpoint.key, request, response))
    extra = {
        "kind": kind,
        "expect": expect.value,
        "doc": example.get("doc", ""),
        "note": example.get("note", ""),
        "catalogue_index": index,
    }
    if expect is Expect.REFUSE:
        extra["pointer"] = example["pointer"]
    if elided:
        extra["elided"] = elided
    return Scenario(
        name=f"{provider.name}/{endpoint.key}/{label}",
        provider=provider.name,
        endpoint=endpoint.signature,
        source=Source.DOCS,
        exchanges=tuple(exchanges),
        made=f"from the example in {example.get('doc', 'the documents')} ({example.get('note', kind)})",
        extra=extra,
    )


def doc_scenarios(catalogue: Path, provider: Provider) -> list[Scenario]:
    """Every example (and counter-example) of one provider's catalogue, as scenarios."""
    data = json.loads(catalogue.read_text(encoding="utf-8"))
    found = [_scenario(provider, i, e, Expect.ACCEPT) for i, e in enumerate(data.get("examples", []))]
    found += [_scenario(provider, i, e, Expect.REFUSE) for i, e in enumerate(data.get("counter_examples", []))]
    return found


def load_doc_scenarios(fixtures: Path, providers: Mapping[str, Provider]) -> list[Scenario]:
    found: list[Scenario] = []
    for name, provider in sorted(providers.items()):
        path = fixtures / "docs" / f"{name}.json"
        if path.is_file():
            found += doc_scenarios(path, provider)
    return found


def _check_callback(endpoint: Endpoint, body: Any) -> Verdict:
    verdict = check_request_json(endpoint, body)
    lifecycle = endpoint.lifecycle
    extra: list[Violation] = []
    if lifecycle is not None and isinstance(body, Mapping) and lifecycle.status_field in body:
        extra += lifecycle.check_body(body)
    extra += timestamp_violations(body, endpoint.timestamp_fields)
    return verdict + Verdict(tuple(extra))


def _check_headers(provider: Provider, endpoint: Endpoint, names: Mapping[str, Any]) -> Verdict:
    documented = {provider.auth.header.lower(), "content-type"} | {h.name.lower() for h in endpoint.request_headers}
    return Verdict(
        tuple(
            Violation(f"/headers/{name}", "a documented request header", "an undocumented one", "header")
            for name in names
            if name.lower() not in documented
        )
    )


def _verdict(provider: Provider, endpoint: Endpoint, scenario: Scenario) -> tuple[Verdict, list[str]]:
    kind = scenario.extra["kind"]
    first = scenario.exchanges[0]
    notes: list[str] = []
    if kind == "headers":
        return _check_headers(provider, endpoint, first.request.body["headers"]), notes
    if kind == "request" and "files" in first.request.body:
        # A multipart example shows its form fields; the file parts travel beside them.
        parts = {
            name: Upload(filename=str(filename), content=b"\0")
            for name, filename in first.request.body["files"].items()
        }
        try:
            check_request(endpoint, first.request.body["json"] | parts, from_wire=True)
        except ValueError as error:
            return Verdict((Violation("", "a valid request", str(error)),)), notes
        return Verdict(), notes
    if kind == "request":
        return check_request_json(endpoint, first.request.body["json"]), notes
    if kind == "callback":
        return _check_callback(endpoint, first.request.body["json"]), notes
    if kind == "lifecycle":
        bodies = [e.response.body["json"] for e in scenario.exchanges]
        verdict = Verdict()
        for index, body in enumerate(bodies):
            step = check_json(endpoint, 200, body)
            verdict += Verdict(
                tuple(Violation(f"/{index}{v.pointer}", v.expected, v.got, v.rule) for v in step.violations), step.drift
            )
        if endpoint.lifecycle is not None:
            verdict += Verdict(tuple(endpoint.lifecycle.check_sequence(bodies)))
        return verdict, notes
    status = first.response.status
    body = first.response.body["json"]
    verdict = check_json(endpoint, status, body)
    if status >= 400 and check_json(endpoint, endpoint.success_status, body).ok:
        notes.append(f"the documented {status} error body also validates as a {endpoint.success_status} success")
    return verdict, notes


def check_doc_scenario(provider: Provider, scenario: Scenario) -> DocCheck:
    """Check one documentation scenario in the direction its document states."""
    endpoint = provider.endpoint(scenario.endpoint)
    verdict, problems = _verdict(provider, endpoint, scenario)
    if scenario.extra["expect"] == Expect.ACCEPT:
        problems += [f"the document's example is refused: {v}" for v in verdict.violations]
    else:
        expected = scenario.extra["pointer"]
        if not any(v.pointer == expected for v in verdict.violations):
            got = "; ".join(str(v) for v in verdict.violations) or "no violation at all"
            problems.append(f"the counter-example must be refused at {expected}; got {got}")
    return DocCheck(scenario, verdict, tuple(problems))
