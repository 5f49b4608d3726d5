"""The history's language faces say what the check found (issue 68): a model that fell back in the newest run and
the one before is no new failure (the gate passes) but the page never says no model fell back; a clip's
`wrong_language` is listed under kind `language`, not `contract`. Built from figures, no run: cheap."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from harness.history import analyse, render_history
from harness.history.languages import newest_fallbacks
from harness.history.series import _findings_of
from harness.history.values import History, RunInfo
from harness.measurement import LanguageFigures, Misheard
from harness.report.leaderboard import Entry
from harness.results import ErrorUnit, RunRows
from harness.scoring import flag_kind

NONE_SAID = "No model answered the newest run in another language than asked."


def _figures(falls_back: bool) -> tuple[LanguageFigures, ...]:
    misheard = tuple(Misheard(f"es-{i}", "en", 0.99) for i in range(3 if falls_back else 0))
    return (
        LanguageFigures(
            provider="pixazo",
            model="xtts-v2",
            language="es",
            asr_model="base#1",
            unit=ErrorUnit.WORD,
            clips=3,
            rate=0.1,
            low=0.0,
            high=0.9,
            checked=3,
            heard_as_asked=3 - len(misheard),
            misheard=misheard,
        ),
    )


def _history(*nights: bool) -> History:
    runs = [
        (RunInfo(f"run-{i}", f"2026-11-2{i}T00:00:00", "finished", "sandbox"), _figures(fell))
        for i, fell in enumerate(nights)
    ]
    return History(runs=tuple(run for run, _ in runs), series=(), findings=(), fallbacks=newest_fallbacks(runs))


def test_a_fallback_in_the_newest_run_and_the_one_before_passes_the_gate_and_is_still_shown() -> None:
    analysis = analyse(_history(False, True, True))
    assert not analysis.fallbacks and not analysis.fails  # no new failure: the gate passes
    assert [f.language for f in analysis.still_falling_back] == ["es"]
    page = render_history(analysis, "runs.db")
    assert NONE_SAID not in page
    assert 'data-fallback="pixazo/xtts-v2:es"' in page and "the gate fails only on a new one" in page


def test_a_new_fallback_fails_the_gate_and_none_says_none() -> None:
    new = analyse(_history(False, True))
    assert new.fails and [f.new for f in new.fallbacks] == [True] and not new.still_falling_back
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
