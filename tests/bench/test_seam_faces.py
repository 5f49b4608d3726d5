"""Seam findings per minute in every face, from the stored `seam_findings`/`seams_json` columns on made-up rows:
the report's sortable column ("—" where nothing streamed), `--format markdown`, `compare` (the worsened offering a
regression) and `history`'s gate (one rule: the seams check's `ChangeRule`, judged by
`harness.checks.CountedChange`); a rate newly heard wrong (the rate heard check's rule) and cancels newly breaking the
documents' promise (the cancel check's own rule, `harness.checks.cancel`) flagged alike."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from harness.checks import CountedChange, OfferingCheck, Pooled, offering_checks, registered
from harness.checks.cancel import VIEWS as CANCEL_VIEWS
from harness.history.checks import CountedWorse, newest_counted_worse, newest_own_worse
from harness.history.series import METRICS
from harness.report.columns import COLUMNS
from harness.report.compare import Check, Metric, Ruling, _counted
from harness.report.leaderboard import Entry
from harness.results import RequestRow
from harness.runner.summary.counted_view import counted_sections
from harness.runner.summary.format import to_markdown
from tests.helpers.entries import bare_entry
from tests.helpers.request_rows import request_row

SEAMS, RATE = (next(c for c in registered() if c.name == name) for name in ("seams", "rate_heard"))


def seam_figures(rows: Sequence[RequestRow]) -> tuple[OfferingCheck, ...]:
    return offering_checks(rows, [SEAMS])


def rate_figures(rows: Sequence[RequestRow]) -> tuple[OfferingCheck, ...]:
    return offering_checks(rows, [RATE])


def seams_rose(before: OfferingCheck | None, after: OfferingCheck) -> bool:
    return CountedChange(after=after, before=before).worse


newly_misrated = seams_rose  # each check's own rule, judged alike


def newest_seams_worse(runs: list[tuple[str, list[RequestRow]]]) -> tuple[CountedWorse, ...]:
    return newest_counted_worse(runs, SEAMS)


def newest_rates_wrong(runs: list[tuple[str, list[RequestRow]]]) -> tuple[CountedWorse, ...]:
    return newest_counted_worse(runs, RATE)


def _seams(base: Sequence[RequestRow], new: Sequence[RequestRow], who: tuple[str, str]) -> list[Check]:
    return [check for check in _counted(base, new) if check.metric == "seams" and (check.provider, check.model) == who]


def _rate(base: Sequence[RequestRow], new: Sequence[RequestRow], who: tuple[str, str]) -> list[Check]:
    return [check for check in _counted(base, new) if check.metric == "rate" and (check.provider, check.model) == who]


def _row(model: str, findings: list[str], seconds: float = 60.0) -> RequestRow:
    seams = {"audio_s": seconds, "findings": [{"kind": kind, "at_s": 1.0, "detail": ""} for kind in findings]}
    return request_row(provider="p", model=model, seam_findings=len(findings), seams_json=json.dumps(seams))


def _entry(seams_per_min: float | None = None) -> Entry:
    """An entry whose seams check pooled `seams_per_min` findings a minute (None: nothing streamed)."""
    checks = (
        ()
        if seams_per_min is None
        else (
            OfferingCheck(
                provider="p",
                model="m",
                check=SEAMS.declaration,
                findings={},
                examples={},
                figures={"per_minute": Pooled(seams_per_min, None, None, 1)},
            ),
        )
    )
    return bare_entry(checks=checks)


def test_the_report_column_sorts_by_findings_per_minute_and_dashes_where_nothing_streamed() -> None:
    column = next(c for c in COLUMNS if c.key == "seams")
    cell = column.cell(_entry(seams_per_min=4.0))
    assert (cell.text, cell.sort, cell.key) == ("4.0", 4.0, "seams_per_min") and column.better == "low"
    assert column.cell(_entry(seams_per_min=0.0)).text == "0.0"  # a clean stream is 0, not a dash
    none = column.cell(_entry())
    assert (none.text, none.sort) == ("—", None)
    assert _entry(seams_per_min=2.5).to_json()["seams_per_min"] == 2.5
    series = next(m for m in METRICS if m.key == "seams_per_min")  # `history` draws it run over run
    assert series.read(_entry(seams_per_min=0.0)) == 0.0 and series.read(_entry()) is None


def test_markdown_carries_each_offerings_findings_per_minute() -> None:
    rows = [_row("a", ["click", "click", "gap"], 30.0), _row("b", [])]
    markdown = to_markdown(counted_sections(offering_checks(rows)))
    assert "| p/a | 1 | 0.50 | 3 | 6.0 | 2 | 1 | 0 | 0 | as declared |" in markdown, markdown


def test_the_rule_a_rise_beyond_one_a_minute_and_half_again() -> None:
    def one(findings: int, seconds: float = 60.0) -> Any:
        return seam_figures([_row("m", ["click"] * findings, seconds)])[0]

    assert seams_rose(None, one(2)) and seams_rose(one(0), one(2))
    assert not seams_rose(one(0), one(1)) and not seams_rose(one(10), one(14)) and seams_rose(one(10), one(16))
    assert not seams_rose(one(3), one(0)) and not seams_rose(None, one(0))


def test_compare_names_the_offering_whose_seams_rose() -> None:
    base, new = [_row("m", []), _row("m", [])], [_row("m", ["click"] * 30), _row("m", ["gap"] * 30)]
    [check] = list(_seams(base, new, ("p", "m")))  # type: ignore[arg-type]
    assert check.metric is Metric.SEAMS and check.verdict is Ruling.REGRESSION and check.label == "p/m"
    assert check.change == 30.0 and "NEW: 30.0 a minute {'click': 30, 'gap': 30}" in check.details
    [same] = list(_seams(new, new, ("p", "m")))  # type: ignore[arg-type]
    assert same.verdict is Ruling.OK
    assert list(_seams(base, [request_row(provider="p", model="m")], ("p", "m"))) == []  # type: ignore[arg-type]


def test_history_flags_the_newest_run_whose_seams_rose() -> None:
    clean, broken = [_row("m", [])], [_row("m", ["header"] * 5)]
    (rose,) = newest_seams_worse([("run-1", clean), ("run-2", broken)])
    assert rose.run_id == "run-2" and rose.before == "run-1"
    assert rose.describe().startswith("p/m: seam findings rose to 5.0 a minute of streamed audio in run run-2 from 0.0")
    assert newest_seams_worse([("run-1", broken), ("run-2", broken)]) == ()
    assert newest_seams_worse([("run-1", broken), ("run-2", clean)]) == ()
    assert newest_seams_worse([("run-1", clean), ("run-2", [])]) == ()  # not streamed in the newest: nothing to say


def test_a_rate_newly_heard_is_flagged_by_history_and_compare() -> None:
    def heard(rate: float | None) -> RequestRow:
        return replace(
            _row("m", []),
            heard_rate=rate,
            heard_rate_how=rate and "samples at about 24,000 Hz, declared 16,000 Hz (...)",
        )

    right, wrong = rate_figures([heard(None)]), rate_figures([heard(24000.0)])
    assert newly_misrated(None, wrong[0]) and newly_misrated(right[0], wrong[0])
    assert not newly_misrated(wrong[0], wrong[0]) and not newly_misrated(wrong[0], right[0])
    right_rows, wrong_rows = [heard(None)], [heard(24000.0)]
    assert newest_seams_worse([("run-1", right_rows), ("run-2", wrong_rows)]) == ()  # a rule of its own, not a seam
    (flagged,) = newest_rates_wrong([("run-1", right_rows), ("run-2", wrong_rows)])
    assert flagged.describe() == (
        "p/m: heard at another rate than declared in run run-2: samples at about 24,000 Hz, declared 16,000 Hz (...)"
    )
    [check] = list(_rate([heard(None)] * 2, [heard(24000.0)] * 2, ("p", "m")))  # type: ignore[list-item]
    assert check.metric is Metric.RATE and check.verdict is Ruling.REGRESSION  # rule rate, not seams
    assert "NEW heard at another rate than declared" in check.details[0]
    assert all(c.verdict is Ruling.OK for c in _seams([heard(None)] * 2, [heard(24000.0)] * 2, ("p", "m")))  # type: ignore[arg-type]


def test_history_flags_cancels_that_newly_break_the_documents_promise() -> None:
    def cancels(verdict: str, frames: int) -> Any:
        return [
            request_row(
                provider="p",
                model="m",
                cancel_after_ms=300.0,
                cancel_to_silence_ms=90.0,
                cancel_after_ack_frames=frames,
                cancel_after_ack_s=0.1 * frames,
                cancel_verdict=verdict,
            )
        ]

    def newest_cancels_worse(runs: Any) -> Any:
        return newest_own_worse(runs, CANCEL_VIEWS)

    kept, broken = cancels("kept", 0), cancels("violation", 3)
    (worse,) = newest_cancels_worse([("run-1", kept), ("run-2", broken)])
    assert worse.describe() == (
        "p/m: 1 of 1 cancels broke what the documents promise in run run-2 where run run-1 "
        "had none; 3 audio frames after the ack"
    )
    assert newest_cancels_worse([("run-1", broken), ("run-2", broken)]) == ()
    assert newest_cancels_worse([("run-1", broken), ("run-2", kept)]) == ()
