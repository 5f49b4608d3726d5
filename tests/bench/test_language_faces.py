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
from harness.measurement import LanguageFigures, Misheard
from harness.results import ErrorUnit
from harness.runner.plan.config import OutputSettings
from harness.runner.summary.figures import Summary
from harness.runner.summary.format import SummaryFormat
from harness.runner.summary.view import render


def _summary(misheard: int) -> Summary:
    heard = tuple(Misheard(f"es-{i}", "en", 0.97) for i in range(misheard))
    figure = LanguageFigures(
        provider="pixazo",
        model="xtts-v2",
        language="es",
        asr_model="base#1",
        unit=ErrorUnit.WORD,
        clips=4,
        rate=0.1,
        low=0.0,
        high=0.6,
        checked=4,
        heard_as_asked=4 - misheard,
        misheard=heard,
    )
    return Summary(
        run_id="run-1",
        status="finished",
        lines=(),
        outcomes={"ok": 4},
        events={},
        spent_usd=0.0,
        planned_usd=None,
        budget_usd=None,
        languages=(figure,),
    )


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
