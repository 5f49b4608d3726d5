"""The soak's Ctrl-C rule counts what the Ctrl-C made `bench run` say, not the plan's notes before it.

On a fast machine a Ctrl-C a second in lands after `bench run` wrote its plan's notes to stderr ("note: 1 price
from an example's figure ..."); the trial was then called unclean for four lines (CI, 2026-11-29).
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

PERF = Path(__file__).resolve().parents[2] / "benchmarks" / "perf"
SAID = "interrupted: finish the run with --resume RUN_ID"


def _after_the_plan(lines: list[str], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.syspath_prepend(str(PERF))
    module = importlib.import_module("soak_interrupts")
    return list(module._after_the_plan(lines))


def test_the_plans_notes_are_not_the_ctrl_cs_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    notes = ["note: 1 price from an example's figure, no price table", "note: 1 price read longer ago"]
    assert _after_the_plan([*notes, SAID], monkeypatch) == [SAID]


def test_a_note_after_the_ctrl_cs_line_still_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the notes before anything else are the plan's: a second line after the Ctrl-C's is unclean."""
    assert _after_the_plan([SAID, "note: something more"], monkeypatch) == [SAID, "note: something more"]
    assert _after_the_plan([], monkeypatch) == []
