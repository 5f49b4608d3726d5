"""The language check's faces in a run's summary and exit code (issue 68): `--format json` names the language a
misheard clip was heard as even when too few clips were misheard for a fallback, and `bench run --fail-on
language` makes a fallback fail the run (exit 1) for a CI job, as `compare --fail-on language` does. Built from
figures, no run: cheap."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from harness.benchmark import BenchmarkResult
from harness.cli import app
from harness.core.errors import UsageError
from harness.results import RunRows, StoredRun
from harness.runner.plan.config import OutputSettings
from harness.runner.summary.figures import Summary, summary_of
from harness.runner.summary.format import SummaryFormat
from harness.runner.summary.view import render
from tests.helpers.request_rows import request_row


def _summary(misheard: int) -> Summary:
    """A scored run's summary: four Spanish clips of one model, `misheard` of them heard as English (p 0.97)."""
    rows = tuple(
        request_row(
            provider="pixazo",
            model="xtts-v2",
            item_id=f"es-{i}",
            language="es",
            outcome="ok",
            scored=1,
            unit="word",
            hits=9,
            substitutions=1,
            deletions=0,
            insertions=0,
            ref_length=10,
            asr_model="base#1",
            heard_language="en" if i < misheard else "es",
            heard_probability=0.97 if i < misheard else 0.9,
            flags=json.dumps(["wrong_language"] if i < misheard else []),
        )
        for i in range(4)
    )
    run = RunRows(run=StoredRun(run_id="run-1", status="finished", asr_model="base"), requests=rows)
    return summary_of(run, 0.0)


def _json(summary: Summary) -> Any:
    out = io.StringIO()
    render(summary, Console(file=out, width=200), "runs.db", SummaryFormat.JSON)
    return json.loads(out.getvalue())


def _find(found: Any, key: str) -> list[Any]:
    """Every value of `key` anywhere in the JSON."""
    if isinstance(found, dict):
        return [v for k, v in found.items() if k == key] + [x for v in found.values() for x in _find(v, key)]
    if isinstance(found, list):
        return [x for v in found for x in _find(v, key)]
    return []


def test_json_names_the_heard_language_of_one_misheard_clip() -> None:
    found = _json(_summary(1))
    checks = [c for c in _find(found, "language_check") if isinstance(c, dict)]
    assert checks and checks[0]["falls_back"] is False and checks[0]["heard"] == "en"
    assert checks[0]["misheard_clips"] == [{"item": "es-0", "heard": "en", "probability": 0.97}]
    assert _find(_json(_summary(0)), "heard") == [None]


def _result(misheard: int, fail_on: tuple[str, ...]) -> BenchmarkResult:
    return BenchmarkResult(
        run_id="run-1",
        status="finished",
        db_path=Path("runs.db"),
        planned=4,
        counts={"ok": 4},
        spent_usd=Decimal(0),
        summary=_summary(misheard),
        report_path=None,
        notes=(),
        fail_on=fail_on,
    )


def test_fail_on_language_fails_a_run_that_fell_back_and_only_then() -> None:
    assert (_result(3, ("language",)).shortfall() or "").startswith(
        "run run-1: language check failed (--fail-on language): pixazo/xtts-v2 answered in en when asked for es"
    )
    assert _result(3, ()).shortfall() is None  # not asked: the summary's line, exit 0
    assert _result(1, ("language",)).shortfall() is None  # one misheard clip is no fallback


def test_fail_on_is_a_list_of_known_checks() -> None:
    assert OutputSettings.given(fail_on=["language"]).fail_on == ("language",)
    with pytest.raises(UsageError, match=r"fail[-_]on"):
        OutputSettings.given(fail_on=["latency"])
    result = CliRunner().invoke(app, ["bench", "run", "--fail-on", "latency", "--dry-run"])
    assert result.exit_code == 2, result.output
