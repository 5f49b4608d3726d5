"""`contract diff` grades changes between two fixture folders the way oasdiff grades spec changes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from harness.cli.report import contract_diff_command
from harness.contracts.scenario import (
    RecordedExchange,
    RecordedRequest,
    RecordedResponse,
    Scenario,
    Source,
    save_scenario,
)
from harness.report.contract_diff import Change, Grade, contract_diff

JSON = {"content-type": "application/json"}
DEFAULT_HEADERS = {**JSON, "x-ratelimit-remaining": "99"}
SUBMIT = {"request_id": "abc", "status": "IN_QUEUE", "polling_url": "{pixazo/gateway}/v2/requests/status/abc"}
DONE = {
    "request_id": "abc",
    "status": "COMPLETED",
    "output": {"media_url": ["https://cdn.example/a.wav"], "media_type": "audio/wav", "duration": 3.2},
}
ERROR = {"statusCode": 401, "message": "Access denied due to invalid subscription key."}


def _exchange(
    endpoint: str,
    status: int,
    body: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> RecordedExchange:
    return RecordedExchange(
        endpoint,
        RecordedRequest("POST", "{pixazo/gateway}/x", {}, {}),
        RecordedResponse(status, DEFAULT_HEADERS if headers is None else headers, {"json": body}),
    )


def _scenario(name: str, *exchanges: RecordedExchange) -> Scenario:
    return Scenario(
        name=f"pixazo/xtts-v2.generate/{name}",
        provider="pixazo",
        endpoint="POST /x",
        source=Source.SANDBOX,
        exchanges=exchanges,
    )


def _folder(
    root: Path,
    submit: dict[str, Any],
    done: list[dict[str, Any]],
    error: dict[str, Any] = ERROR,
    done_headers: dict[str, str] | None = None,
) -> Path:
    save_scenario(
        root,
        _scenario(
            "202-success",
            _exchange("xtts-v2.generate", 202, submit),
            *(_exchange("xtts-v2.status", 200, body, done_headers) for body in done),
        ),
    )
    save_scenario(root, _scenario("401-bad-key", _exchange("xtts-v2.generate", 401, error)))
    return root


def _old(tmp_path: Path) -> Path:
    return _folder(tmp_path / "old", SUBMIT, [DONE, DONE])


def _kinds(changes: tuple[Change, ...], grade: Grade) -> set[tuple[str, str]]:
    return {(c.kind, c.path) for c in changes if c.grade is grade}


def test_identical_recordings_have_no_change(tmp_path: Path) -> None:
    diff = contract_diff(_old(tmp_path), _folder(tmp_path / "new", SUBMIT, [DONE, DONE]))
    assert diff.changes == ()
    assert not diff.breaking


def test_removed_field_is_breaking(tmp_path: Path) -> None:
    done = copy.deepcopy(DONE)
    del done["output"]["duration"]
    diff = contract_diff(_old(tmp_path), _folder(tmp_path / "new", SUBMIT, [done, done]))
    assert _kinds(diff.changes, Grade.BREAKING) == {("field-removed", "/output/duration")}
    assert diff.breaking


def test_removed_object_is_reported_once_at_its_top(tmp_path: Path) -> None:
    done = {k: v for k, v in DONE.items() if k != "output"}
    diff = contract_diff(_old(tmp_path), _folder(tmp_path / "new", SUBMIT, [done]))
    assert _kinds(diff.changes, Grade.BREAKING) == {("field-removed", "/output")}


def test_retyped_field_is_breaking(tmp_path: Path) -> None:
    done = copy.deepcopy(DONE)
    done["output"]["duration"] = "3.2"
    diff = contract_diff(_old(tmp_path), _folder(tmp_path / "new", SUBMIT, [done, done]))
    changes = [c for c in diff.changes if c.grade is Grade.BREAKING]
    assert [(c.kind, c.path) for c in changes] == [("field-retyped", "/output/duration")]
    assert "number to string" in changes[0].message


def test_integer_and_float_are_the_same_json_type(tmp_path: Path) -> None:
    done = copy.deepcopy(DONE)
    done["output"]["duration"] = 3
    diff = contract_diff(_old(tmp_path), _folder(tmp_path / "new", SUBMIT, [done, done]))
    assert diff.changes == ()


def test_new_status_value_is_breaking(tmp_path: Path) -> None:
    submit = {**SUBMIT, "status": "PENDING_REVIEW"}
    diff = contract_diff(_old(tmp_path), _folder(tmp_path / "new", submit, [DONE, DONE]))
    breaking = [c for c in diff.changes if c.grade is Grade.BREAKING]
    assert [(c.kind, c.where) for c in breaking] == [("status-value-added", "pixazo xtts-v2.generate 202")]
    assert "PENDING_REVIEW" in breaking[0].message
    # The state BASE had and NEW lacks is only a warning: it may just not have been exercised.
    assert ("status-value-unseen", "status") in _kinds(diff.changes, Grade.WARNING)


def test_new_optional_field_is_info(tmp_path: Path) -> None:
    with_extra = copy.deepcopy(DONE)
    with_extra["output"]["sample_rate"] = 24000
    diff = contract_diff(_old(tmp_path), _folder(tmp_path / "new", SUBMIT, [with_extra, DONE]))
    assert [(c.grade, c.kind, c.path) for c in diff.changes] == [(Grade.INFO, "field-added", "/output/sample_rate")]
    assert "optional" in diff.changes[0].message
    assert not diff.breaking


def test_removed_header_is_breaking_and_new_header_info(tmp_path: Path) -> None:
    headers = {**JSON, "x-request-id": "r1"}
    diff = contract_diff(_old(tmp_path), _folder(tmp_path / "new", SUBMIT, [DONE, DONE], done_headers=headers))
    assert _kinds(diff.changes, Grade.BREAKING) == {("header-removed", "x-ratelimit-remaining")}
    assert _kinds(diff.changes, Grade.INFO) == {("header-added", "x-request-id")}


def test_changed_media_type_is_breaking(tmp_path: Path) -> None:
    diff = contract_diff(
        _old(tmp_path),
        _folder(
            tmp_path / "new", SUBMIT, [DONE], done_headers={"content-type": "text/plain", "x-ratelimit-remaining": "1"}
        ),
    )
    assert _kinds(diff.changes, Grade.BREAKING) == {("media-type-changed", "content-type")}


def test_changed_error_shape_is_breaking(tmp_path: Path) -> None:
    error = {"error": {"code": "unauthorized", "message": "bad key"}}
    diff = contract_diff(_old(tmp_path), _folder(tmp_path / "new", SUBMIT, [DONE, DONE], error=error))
    breaking = _kinds(diff.changes, Grade.BREAKING)
    assert breaking == {("error-shape-changed", "/statusCode"), ("error-shape-changed", "/message")}


def test_scenario_whose_status_changed_is_breaking(tmp_path: Path) -> None:
    new = tmp_path / "new"
    save_scenario(
        new,
        _scenario(
            "202-success",
            _exchange("xtts-v2.generate", 200, SUBMIT),
            _exchange("xtts-v2.status", 200, DONE),
            _exchange("xtts-v2.status", 200, DONE),
        ),
    )
    save_scenario(new, _scenario("401-bad-key", _exchange("xtts-v2.generate", 401, ERROR)))
    diff = contract_diff(_old(tmp_path), new)
    assert ("scenario-status-changed", "") in _kinds(diff.changes, Grade.BREAKING)


def test_cli_exit_codes_and_json(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(contract_diff_command)
    old = _old(tmp_path)
    runner = CliRunner()
    same = runner.invoke(app, [str(old), str(_folder(tmp_path / "same", SUBMIT, [DONE, DONE]))])
    assert same.exit_code == 0, same.output
    assert "no structural change" in same.output
    done = copy.deepcopy(DONE)
    del done["output"]["media_url"]
    broken = runner.invoke(app, [str(old), str(_folder(tmp_path / "new", SUBMIT, [done])), "--json"])
    assert broken.exit_code == 1
    document = json.loads(broken.output)
    assert document["summary"]["breaking"] == 1
    assert document["changes"][0]["path"] == "/output/media_url"
    missing = runner.invoke(app, [str(old), str(tmp_path / "nowhere")])
    assert missing.exit_code == 2


def test_committed_fixtures_diff_against_themselves() -> None:
    from harness.contracts.session import FIXTURES

    if not (FIXTURES / "scenarios").is_dir():
        pytest.skip(f"no recorded scenarios in {FIXTURES} yet")
    diff = contract_diff(FIXTURES, FIXTURES)
    assert diff.changes == ()


def test_a_listing_that_no_longer_lists_a_voice_is_breaking_and_a_new_voice_is_info(tmp_path: Path) -> None:
    """Google's voices list (a catalogue endpoint of the built-in provider), recorded twice: one voice gone, one
    new. The names are compared, not only the shape (which is the same)."""
    from harness.core.packaged import data_path

    recorded = json.loads(data_path("fixtures", "scenarios", "google", "voices.list", "200-success.json").read_text())
    folders = {}
    for side, rename in (("old", None), ("new", ("en-US-Standard-D", "en-US-Chirp3-HD-Aoede"))):
        data = copy.deepcopy(recorded)
        if rename is not None:
            for voice in data["exchanges"][0]["response"]["body"]["json"]["voices"]:
                if voice["name"] == rename[0]:
                    voice["name"] = rename[1]
        path = tmp_path / side / "scenarios/google/voices.list/200-success.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(data))
        folders[side] = tmp_path / side
    changes = {(c.kind, c.grade, c.message) for c in contract_diff(folders["old"], folders["new"]).changes}
    assert ("catalogue-removed", Grade.BREAKING, "no longer listed: en-US-Standard-D") in changes
    assert ("catalogue-added", Grade.INFO, "newly listed: en-US-Chirp3-HD-Aoede") in changes
