"""The history's language faces say what the check found (issue 68): a model that fell back in the newest run and
the one before is no new failure (the gate passes) but the page never says no model fell back; a clip's
`wrong_language` is listed under kind `language`, not `contract`. Built from figures, no run: cheap."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any, cast

from harness.checks import registered
from harness.core.flags import flag_kind
from harness.history import analyse, render_history
from harness.history.analysis import Analysis
from harness.history.checks import newest_own_kept, newest_own_worse
from harness.history.series import _findings_of
from harness.history.values import History, RunInfo
from harness.report.leaderboard import Entry
from harness.results import RequestRow, RunRows
from tests.helpers.request_rows import request_row

NONE_SAID = "No model answered the newest run in another language than asked."


def _rows(falls_back: bool) -> tuple[RequestRow, ...]:
    """Three Spanish clips of one model, each heard as English (p 0.99) where it falls back."""
    return tuple(
        request_row(
            provider="pixazo",
            model="xtts-v2",
            item_id=f"es-{i}",
            language="es",
            outcome="ok",
            scored=1,
            asr_model="base#1",
            heard_language="en" if falls_back else "es",
            heard_probability=0.99,
            flags=json.dumps(["wrong_language"] if falls_back else []),
        )
        for i in range(3)
    )


def _history(*nights: bool) -> History:
    runs = [(f"run-{i}", _rows(fell)) for i, fell in enumerate(nights)]
    (check,) = [check for check in registered() if check.views is not None and check.views.part_series is not None]
    assert check.views is not None
    return History(
        runs=tuple(
            RunInfo(run_id, f"2026-11-2{i}T00:00:00", "finished", "sandbox") for i, (run_id, _) in enumerate(runs)
        ),
        series=(),
        findings=(),
        own_worse=((check.name, newest_own_worse(runs, check.views)),),
        own_kept=((check.name, newest_own_kept(runs, check.views)),),
    )


def _fallbacks(analysis: Analysis, kept: bool = False) -> list[Any]:
    return [one for _, found in (analysis.own_kept if kept else analysis.own_worse) for one in found]


def test_a_fallback_in_the_newest_run_and_the_one_before_passes_the_gate_and_is_still_shown() -> None:
    analysis = analyse(_history(False, True, True))
    assert not _fallbacks(analysis) and not analysis.fails  # no new failure: the gate passes
    assert [f.language for f in _fallbacks(analysis, kept=True)] == ["es"]
    page = render_history(analysis, "runs.db")
    assert NONE_SAID not in page
    assert 'data-fallback="pixazo/xtts-v2:es"' in page and "the gate fails only on a new one" in page


def test_a_new_fallback_fails_the_gate_and_none_says_none() -> None:
    new = analyse(_history(False, True))
    assert new.fails and [f.new for f in _fallbacks(new)] == [True] and not _fallbacks(new, kept=True)
    assert NONE_SAID not in render_history(new, "runs.db")
    assert NONE_SAID in render_history(analyse(_history(True, False)), "runs.db")


def test_a_wrong_language_clip_is_a_language_finding_not_a_contract_one() -> None:
    entry = SimpleNamespace(
        provider="pixazo",
        model="xtts-v2",
        errors={},
        findings={"wrong_language": 3, "sample_rate_mismatch": 1, "silent": 1, "retired_flag": 1},
    )
    rows = cast(RunRows, SimpleNamespace(drift=()))
    kinds = {what: kind for _, _, kind, what in _findings_of(rows, [cast(Entry, entry)])}
    assert kinds == {
        "wrong_language": "language",
        "sample_rate_mismatch": "contract",
        "silent": "signal",
        "retired_flag": "clip",
    }
    assert flag_kind("missing_end") == "transcript"
