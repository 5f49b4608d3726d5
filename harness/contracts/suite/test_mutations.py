"""Mutated payloads are rejected, each at the right JSON pointer: the validator can fail.

The payloads mutated are a provider's documented ones, and the rules broken are the ones its declaration
states (the job binding's pointers, the lifecycle's fields and states, the error model's required fields).
The subject is the first provider, by name, whose declaration holds everything mutated here and whose
documents show the answers mutated (`_subject`), so the tests name no provider.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from harness.contracts.docs import load_doc_scenarios
from harness.contracts.scenario import Scenario
from harness.contracts.session import FIXTURES
from harness.core.lifecycle import Lifecycle
from harness.core.registry import declared_providers, providers
from harness.core.spec import Endpoint, Provider, Role
from harness.core.timestamps import TimestampForm, timestamp_form
from harness.core.validate import check_json

ALTERNATE_STAMP = "2026-05-22 13:19:23"  # the space-separated, zone-less form: a documented alternate, drift
assert timestamp_form(ALTERNATE_STAMP) is TimestampForm.SPACE_NAIVE


@dataclass(frozen=True, slots=True, kw_only=True)
class Subject:
    """A provider's asynchronous job as its declaration and documents give it."""

    provider: Provider
    submit: Endpoint
    status: Endpoint
    lifecycle: Lifecycle
    completed: dict[str, Any]  # a documented status answer in a success state
    accepted: dict[str, Any]  # the documented submit answer
    refused: tuple[int, dict[str, Any]]  # a documented error answer of the submit

    @property
    def media_list(self) -> tuple[str, ...]:
        """The path of the list holding the media URLs (the job binding's media pointer is its first item)."""
        assert self.submit.job is not None
        return _path(self.submit.job.media_pointer)[:-1]


def _path(json_pointer: str) -> tuple[str, ...]:
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in json_pointer.split("/")[1:])


def _pointer(*path: str) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in path)


def _documented(scenarios: list[Scenario], endpoint: Endpoint) -> Iterator[tuple[int, dict[str, Any]]]:
    """(status, body) of every answer of `endpoint` its documents show as valid."""
    for scenario in scenarios:
        if (
            scenario.endpoint == endpoint.signature
            and scenario.extra["kind"] == "response"
            and scenario.extra["expect"] == "accept"
        ):
            response = scenario.exchanges[0].response
            yield response.status, response.body["json"]


def _candidate(provider: Provider, submit: Endpoint, scenarios: list[Scenario]) -> Subject | None:
    binding = submit.job
    if binding is None or binding.polling_url_pointer is None or binding.media_type_pointer is None:
        return None
    status = provider.endpoint(binding.status_endpoint)
    lifecycle = status.lifecycle
    if (
        lifecycle is None
        or not (lifecycle.id_field and lifecycle.output_field and lifecycle.error_field)
        or not _running(lifecycle)
        or not status.timestamp_fields
        or not status.variants
        or not _path(binding.media_pointer)[-1].isdigit()
    ):
        return None
    completed = [
        body
        for code, body in _documented(scenarios, status)
        if code == status.success_status
        and body.get(lifecycle.status_field) in lifecycle.success
        and all(_path(f)[0] in body for f in status.timestamp_fields)
    ]
    accepted = [body for code, body in _documented(scenarios, submit) if code == submit.success_status]
    refused = [(code, body) for code, body in _documented(scenarios, submit) if code >= 400]
    if not (completed and accepted and refused):
        return None
    return Subject(
        provider=provider,
        submit=submit,
        status=status,
        lifecycle=lifecycle,
        completed=completed[0],
        accepted=accepted[0],
        refused=refused[0],
    )


def _running(lifecycle: Lifecycle) -> str | None:
    """A state a job is in between its start and its end, reached from a first state."""
    first = sorted(lifecycle.initial)[0]
    return next(
        (
            s
            for s in lifecycle.states
            if s in lifecycle.reachable(first) and s not in lifecycle.terminal and s not in lifecycle.initial
        ),
        None,
    )


def _subject() -> Subject:
    """The first provider, by name, with a job whose declaration and documents hold all that is mutated here."""
    # A provider declared in a providers file has no documents here: its declaration is what it says.
    known = {name: p for name, p in providers().items() if p not in declared_providers()}
    scenarios = load_doc_scenarios(FIXTURES, known)
    for _, provider in sorted(known.items()):
        for submit in provider.endpoints:
            if submit.role is Role.SUBMIT and (found := _candidate(provider, submit, scenarios)) is not None:
                return found
    raise AssertionError("no provider declares a job with what these mutations need, shown in its documents")


SUBJECT = _subject()
STATUS = SUBJECT.status
SUBMIT = SUBJECT.submit
LIFECYCLE = SUBJECT.lifecycle
ID = LIFECYCLE.id_field or ""
STATE = LIFECYCLE.status_field
OUTPUT = LIFECYCLE.output_field or ""
QUEUED = sorted(LIFECYCLE.initial)[0]
PROCESSING = _running(LIFECYCLE) or ""
COMPLETED_STATE = sorted(LIFECYCLE.success)[0]
FAILURES = sorted(LIFECYCLE.failure)  # a job may end in either: both are exercised where there are two
UNKNOWN = ("DONE", "RUNNING")  # states no lifecycle of the subject's documents has
assert not set(UNKNOWN) & set(LIFECYCLE.states), LIFECYCLE.states
assert COMPLETED_STATE.swapcase() not in LIFECYCLE.states  # its states are written in one case

COMPLETED: dict[str, Any] = SUBJECT.completed
ACCEPTED: dict[str, Any] = SUBJECT.accepted
ERROR_STATUS, ERROR_BODY = SUBJECT.refused
assert SUBMIT.job is not None and SUBMIT.job.polling_url_pointer is not None
POLLING_URL = _path(SUBMIT.job.polling_url_pointer)
MEDIA_LIST = SUBJECT.media_list
# The error model's last required field, missing from the documented error answer.
MESSAGE = [name for name, field in SUBJECT.provider.error_model.model_fields.items() if field.is_required()][-1]
UNDOCUMENTED = next(code for code in range(418, 600) if code not in SUBMIT.statuses)


def _without(body: dict[str, Any], *path: str) -> dict[str, Any]:
    mutated = copy.deepcopy(body)
    target = mutated
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    return mutated


def _with(body: dict[str, Any], value: Any, *path: str) -> dict[str, Any]:
    mutated = copy.deepcopy(body)
    target = mutated
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return mutated


# (name, endpoint, status, mutated body, where it is refused, the documented answer it was made from)
OK = STATUS.success_status
DONE = (OK, COMPLETED)
QUEUED_ANSWER = (SUBMIT.success_status, ACCEPTED)
REFUSED = (ERROR_STATUS, ERROR_BODY)
BODY_MUTATIONS = [
    (f"missing {ID}", STATUS, OK, _without(COMPLETED, ID), _pointer(ID), DONE),
    (f"missing {STATE}", STATUS, OK, _without(COMPLETED, STATE), _pointer(STATE), DONE),
    (f"wrong type {ID}", STATUS, OK, _with(COMPLETED, 42, ID), _pointer(ID), DONE),
    (
        f"wrong type {MEDIA_LIST[-1]}",
        STATUS,
        OK,
        _with(COMPLETED, "https://x/a.wav", *MEDIA_LIST),
        _pointer(*MEDIA_LIST),
        DONE,
    ),
    (f"unknown {STATE}", STATUS, OK, _with(COMPLETED, UNKNOWN[0], STATE), _pointer(STATE), DONE),
    (f"lower-case {STATE}", STATUS, OK, _with(COMPLETED, COMPLETED_STATE.swapcase(), STATE), _pointer(STATE), DONE),
    (f"{COMPLETED_STATE} without {OUTPUT}", STATUS, OK, _with(COMPLETED, None, OUTPUT), _pointer(OUTPUT), DONE),
    (f"empty {MEDIA_LIST[-1]}", STATUS, OK, _with(COMPLETED, [], *MEDIA_LIST), _pointer(*MEDIA_LIST), DONE),
    (
        f"missing {POLLING_URL[-1]}",
        SUBMIT,
        SUBMIT.success_status,
        _without(ACCEPTED, *POLLING_URL),
        _pointer(*POLLING_URL),
        QUEUED_ANSWER,
    ),
    (
        f"submit not {QUEUED}",
        SUBMIT,
        SUBMIT.success_status,
        _with(ACCEPTED, COMPLETED_STATE, STATE),
        _pointer(STATE),
        QUEUED_ANSWER,
    ),
    (f"error body without {MESSAGE}", SUBMIT, ERROR_STATUS, _without(ERROR_BODY, MESSAGE), _pointer(MESSAGE), REFUSED),
    ("undocumented status code", SUBMIT, UNDOCUMENTED, ERROR_BODY, "", REFUSED),
]


@pytest.mark.parametrize(
    ("name", "endpoint", "status", "body", "where", "documented"), BODY_MUTATIONS, ids=[m[0] for m in BODY_MUTATIONS]
)
def test_mutated_body_is_rejected_at_its_pointer(
    name: str, endpoint: Any, status: int, body: Any, where: str, documented: tuple[int, Any]
) -> None:
    assert check_json(endpoint, *documented).ok, "the documented answer it was made from passes"
    verdict = check_json(endpoint, status, body)
    assert not verdict.ok, name
    assert where in [v.pointer for v in verdict.violations], verdict.violations


def _job(*states: str, ids: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    bodies = []
    for index, state in enumerate(states):
        body = _with(COMPLETED, state, STATE)
        if state not in LIFECYCLE.success:
            body[OUTPUT] = None
        if ids:
            body[ID] = ids[index]
        bodies.append(body)
    return bodies


SEQUENCE_MUTATIONS = [
    ("terminal state changes", _job(QUEUED, COMPLETED_STATE, FAILURES[-1]), f"/2/{STATE}"),
    ("lifecycle goes backwards", _job(QUEUED, PROCESSING, QUEUED), f"/2/{STATE}"),
    ("error resurrected", _job(PROCESSING, FAILURES[0], PROCESSING), f"/2/{STATE}"),
    (f"{ID} changes", _job(QUEUED, PROCESSING, ids=("a", "b")), f"/1/{ID}"),
    (f"unknown {STATE} mid-job", _job(QUEUED, UNKNOWN[1]), f"/1/{STATE}"),
]


@pytest.mark.parametrize(("name", "bodies", "where"), SEQUENCE_MUTATIONS, ids=[m[0] for m in SEQUENCE_MUTATIONS])
def test_mutated_lifecycle_is_rejected_at_its_pointer(name: str, bodies: list[dict[str, Any]], where: str) -> None:
    found = LIFECYCLE.check_sequence(bodies)
    assert where in [v.pointer for v in found], found


def test_skipping_forward_is_legal() -> None:
    assert LIFECYCLE.check_sequence(_job(QUEUED, COMPLETED_STATE, COMPLETED_STATE)) == []


def test_drift_is_reported_not_rejected() -> None:
    """Every documented alternate value, every server timestamp in the documents' alternate form and a field
    the documents never name: each reported as drift, none refused."""
    body = copy.deepcopy(COMPLETED) | {"x": 1}
    expected = {"/x"}
    for variant in STATUS.variants:
        body = _with(body, variant.alternates[0], *_path(variant.pointer))
        expected.add(variant.pointer)
    for stamp in STATUS.timestamp_fields:
        body = _with(body, ALTERNATE_STAMP, *_path(stamp))
        expected.add(stamp)
    verdict = check_json(STATUS, OK, body)
    assert verdict.ok, verdict.violations
    assert {d.pointer for d in verdict.drift} >= expected
