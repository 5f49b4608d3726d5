"""Mutated payloads are rejected, each at the right JSON pointer: the validator can fail."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from harness.core.lifecycle import Lifecycle
from harness.core.registry import providers
from harness.core.validate import check_json

PIXAZO = providers()["pixazo"]
STATUS = PIXAZO.endpoint("GET /v2/requests/status/{request_id}")
SUBMIT = PIXAZO.endpoint("POST /voice-clone/v1/xtts-v2/generate")
_DECLARED = STATUS.lifecycle
assert _DECLARED is not None
LIFECYCLE: Lifecycle = _DECLARED

COMPLETED: dict[str, Any] = {
    "request_id": "xtts-v2-api_019d",
    "status": "COMPLETED",
    "model_id": "xtts-v2-api",
    "error": None,
    "output": {"media_url": ["https://cdn.example.invalid/output.wav"], "media_type": "audio/wav"},
    "created_at": "2026-05-22T13:17:32.110Z",
    "updated_at": "2026-05-22 13:19:23",
    "completed_at": "2026-05-22 13:19:23",
}
ACCEPTED = {"request_id": "xtts-v2-api_019d", "status": "QUEUED", "polling_url": "https://x/v2/requests/status/1"}


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


BODY_MUTATIONS = [
    ("missing request_id", STATUS, 200, _without(COMPLETED, "request_id"), "/request_id"),
    ("missing status", STATUS, 200, _without(COMPLETED, "status"), "/status"),
    ("wrong type request_id", STATUS, 200, _with(COMPLETED, 42, "request_id"), "/request_id"),
    ("wrong type media_url", STATUS, 200, _with(COMPLETED, "https://x/a.wav", "output", "media_url"),
     "/output/media_url"),
    ("unknown status", STATUS, 200, _with(COMPLETED, "DONE", "status"), "/status"),
    ("lower-case status", STATUS, 200, _with(COMPLETED, "completed", "status"), "/status"),
    ("COMPLETED without output", STATUS, 200, _with(COMPLETED, None, "output"), "/output"),
    ("empty media_url", STATUS, 200, _with(COMPLETED, [], "output", "media_url"), "/output/media_url"),
    ("missing polling_url", SUBMIT, 202, _without(ACCEPTED, "polling_url"), "/polling_url"),
    ("submit not QUEUED", SUBMIT, 202, _with(ACCEPTED, "COMPLETED", "status"), "/status"),
    ("error body without message", SUBMIT, 402, {"error": "Insufficient Balance"}, "/message"),
    ("undocumented status code", SUBMIT, 418, {"error": "x", "message": "y"}, ""),
]


@pytest.mark.parametrize(("name", "endpoint", "status", "body", "where"), BODY_MUTATIONS,
                         ids=[m[0] for m in BODY_MUTATIONS])
def test_mutated_body_is_rejected_at_its_pointer(name: str, endpoint: Any, status: int, body: Any, where: str) -> None:
    verdict = check_json(endpoint, status, body)
    assert not verdict.ok, name
    assert where in [v.pointer for v in verdict.violations], verdict.violations


def _job(*states: str, ids: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    bodies = []
    for index, state in enumerate(states):
        body = _with(COMPLETED, state, "status")
        if state != "COMPLETED":
            body["output"] = None
        if ids:
            body["request_id"] = ids[index]
        bodies.append(body)
    return bodies


SEQUENCE_MUTATIONS = [
    ("terminal state changes", _job("QUEUED", "COMPLETED", "FAILED"), "/2/status"),
    ("lifecycle goes backwards", _job("QUEUED", "PROCESSING", "QUEUED"), "/2/status"),
    ("error resurrected", _job("PROCESSING", "ERROR", "PROCESSING"), "/2/status"),
    ("request_id changes", _job("QUEUED", "PROCESSING", ids=("a", "b")), "/1/request_id"),
    ("unknown status mid-job", _job("QUEUED", "RUNNING"), "/1/status"),
]


@pytest.mark.parametrize(("name", "bodies", "where"), SEQUENCE_MUTATIONS, ids=[m[0] for m in SEQUENCE_MUTATIONS])
def test_mutated_lifecycle_is_rejected_at_its_pointer(name: str, bodies: list[dict[str, Any]], where: str) -> None:
    found = LIFECYCLE.check_sequence(bodies)
    assert where in [v.pointer for v in found], found


def test_skipping_forward_is_legal() -> None:
    assert LIFECYCLE.check_sequence(_job("QUEUED", "COMPLETED", "COMPLETED")) == []


def test_drift_is_reported_not_rejected() -> None:
    verdict = check_json(STATUS, 200, _with(COMPLETED, "application/octet-stream", "output", "media_type") | {"x": 1})
    assert verdict.ok
    assert {d.pointer for d in verdict.drift} >= {"/output/media_type", "/updated_at", "/x"}
