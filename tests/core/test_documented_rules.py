"""The rules the documents state are enforced, not just noted: a failed job says why, and a server
timestamp is in a form the documents use (otherwise the latency that depends on it is lost)."""

from __future__ import annotations

from typing import Any

import pytest

from harness.core.registry import providers
from harness.core.validate import check_json

STATUS = providers()["pixazo"].endpoint("requests.status")


def _status(**fields: Any) -> dict[str, Any]:
    return {
        "request_id": "xtts-v2-api_1",
        "status": "PROCESSING",
        "model_id": "xtts-v2-api",
        "error": None,
        "output": None,
    } | fields


@pytest.mark.parametrize("state", ["FAILED", "ERROR"])
@pytest.mark.parametrize("error", [None, "", "  "])
def test_a_failed_job_without_its_error_message_is_a_violation(state: str, error: Any) -> None:
    verdict = check_json(STATUS, 200, _status(status=state, error=error))
    assert [(v.pointer, v.rule) for v in verdict.violations] == [("/error", "lifecycle")]


def test_a_failed_job_with_its_error_message_passes() -> None:
    assert check_json(STATUS, 200, _status(status="FAILED", error="speaker audio unreadable")).ok


@pytest.mark.parametrize("stamp", ["yesterday", "...", "", "2026-13-45T99:00:00Z"])
def test_a_timestamp_no_documented_form_parses_is_a_violation(stamp: str) -> None:
    verdict = check_json(STATUS, 200, _status(created_at=stamp))
    assert [(v.pointer, v.rule) for v in verdict.violations] == [("/created_at", "timestamp")]
    assert "documented form" in verdict.violations[0].expected


@pytest.mark.parametrize("stamp", ["2026-05-22T13:17:32.110Z", "2026-04-17T03:45:00+00:00", "2026-05-22 13:19:23"])
def test_the_documented_timestamp_forms_stay_accepted(stamp: str) -> None:
    verdict = check_json(STATUS, 200, _status(created_at=stamp, updated_at=None))
    assert verdict.ok
    drift_pointers = [d.pointer for d in verdict.drift]
    assert drift_pointers == (["/created_at"] if " " in stamp else [])
