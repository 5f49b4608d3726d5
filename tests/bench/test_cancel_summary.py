"""`bench run --cancel-after`'s faces from the stored `cancel_*` columns: the summary's cancels (the cancel check's
own section, `harness.checks.cancel`, rendered by `harness.runner.summary.checks_view.own_sections`) in text,
`--format json` and markdown, "—" where a cancel met no speech (never 0), the report's sortable column and `history`'s
series, and `compare`'s cancel metric."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from harness.checks import OwnFigures
from harness.checks.cancel import VIEWS
from harness.checks.cancel import figures as cancel_figures
from harness.history.series import METRICS
from harness.history.values import Scale
from harness.report.columns import COLUMNS
from harness.report.compare import Check, GateThresholds, Metric, Ruling, _own, _shifted, parse_metrics
from harness.results import RequestRow
from harness.runner.summary.checks_view import own_sections
from harness.runner.summary.format import Lines, Section, SummaryTable, to_json, to_markdown
from tests.helpers.entries import bare_entry
from tests.helpers.request_rows import request_row


def cancel_sections(found: Sequence[OwnFigures]) -> list[Section]:
    """The summary's sections of the cancel check's figures, as `bench run` renders them."""
    view = VIEWS.section(found)
    return own_sections([view] if view is not None else [])


def _cancel(base: Any, new: Any, thresholds: GateThresholds, who: tuple[str, str]) -> Iterable[Check]:
    return _shifted(VIEWS.shift, base, new, thresholds, who)


def _row(
    model: str, to_silence: float | None, frames: int | None = 0, seconds: float | None = 0.0, verdict: str = "kept"
) -> RequestRow:
    return request_row(
        provider="p",
        model=model,
        cancel_after_ms=300.0,
        cancel_to_silence_ms=to_silence,
        cancel_after_ack_frames=frames,
        cancel_after_ack_s=seconds,
        cancel_verdict=verdict,
    )


def test_a_run_without_cancels_shows_nothing() -> None:
    assert cancel_sections(cancel_figures([request_row(provider="p", model="a", cancel_after_ms=None)])) == []


def test_each_offering_cancel_to_silence_and_audio_after_the_ack() -> None:
    rows = [
        _row("a", 20.0),
        _row("a", 60.0),
        _row("a", 40.0),
        _row("b", 900.0, 7, 0.7, "violation"),
        _row("b", 1100.0, 9, 0.9, "violation"),
        _row("c", None, None, None, "unmeasured"),
    ]
    figures = {f.model: f for f in cancel_figures(rows)}
    a, b, c = (figures[model].values for model in "abc")
    assert (a["cancel_to_silence_ms"], a["cancel_to_silence_max_ms"], a["cancel_after_ack_frames"]) == (40.0, 60.0, 0)
    assert b["cancel_after_ack_frames"] == 16 and b["verdicts"] == {"violation": 2}
    assert c["measured"] == 0 and c["cancel_to_silence_ms"] is None
    sections = cancel_sections(tuple(figures.values()))
    assert isinstance(sections[0], Lines) and isinstance(sections[1], SummaryTable)
    assert "2 broke what the documents promise" in sections[0].lines[0]
    said = to_json(sections)["sections"]
    by_model = {o["model"]: o for o in said[0]["offerings"]}
    assert by_model["b"]["cancel_to_silence_p50_ms"] == 1000.0 and by_model["c"]["after_ack_frames"] is None
    table = {r["model"]: r for r in said[1]["rows"]}
    assert table["p/c"]["to_silence_p50_ms"] is None  # not measured: null, never 0
    markdown = to_markdown(sections)
    assert "| p/c | 0/1 | — | — | — | — |" in markdown and "| p/a | 3/3 | 40 | 60 | 0 | 0.00 | 3 kept |" in markdown


def test_the_report_column_sorts_by_cancel_to_silence_and_dashes_where_none() -> None:
    column = next(c for c in COLUMNS if c.key == "cancel")
    measured = column.cell(bare_entry(own=(("cancel_to_silence_ms", 250.0), ("cancel_after_ack_frames", 3))))
    assert (measured.sort, measured.key) == (250.0, "cancel_to_silence_ms") and "3 frames after ack" in measured.note
    assert column.cell(bare_entry()).sort is None  # sorted last, shown as a dash
    series = next(m for m in METRICS if m.key == "cancel_to_silence")  # `history` follows it run over run
    assert series.scale is Scale.LINEAR and series.read(bare_entry(own=(("cancel_to_silence_ms", 0.0),))) == 0.0
    assert series.read(bare_entry()) is None


def test_compare_names_a_later_silence() -> None:
    base = [request_row(cancel_to_silence_ms=v) for v in (20.0, 30.0, 25.0, 35.0, 28.0)]
    new = [request_row(cancel_to_silence_ms=v) for v in (900.0, 950.0, 1000.0, 980.0, 970.0)]
    [check] = list(_cancel(base, new, GateThresholds(), ("p", "m")))  # type: ignore[arg-type]
    assert check.metric is Metric.CANCEL and check.beyond and check.verdict is Ruling.OK  # Holm decides later
    assert check.difference is not None and check.difference.p_value < 0.05
    [few] = list(_cancel(base[:2], new, GateThresholds(), ("p", "m")))  # type: ignore[arg-type]
    assert few.verdict is Ruling.INSUFFICIENT
    assert list(_cancel([request_row(cancel_to_silence_ms=None)], new, GateThresholds(), ("p", "m"))) == []  # type: ignore[arg-type]


def test_compare_takes_the_checks_own_metric_and_threshold_by_name() -> None:
    """`--fail-on cancel` and `--threshold cancel_ms=` reach the check's own test through the registry, and the
    leaderboard's JSON keeps its two figures (null where nothing was cancelled)."""
    base = [request_row(cancel_to_silence_ms=v) for v in (20.0, 30.0, 25.0, 35.0, 28.0)]
    new = [request_row(cancel_to_silence_ms=v) for v in (900.0, 950.0, 1000.0, 980.0, 970.0)]
    assert parse_metrics("cancel") == {Metric("cancel")}
    [check] = list(_own(base, new, GateThresholds(), ("p", "m")))  # type: ignore[arg-type]
    assert check.metric is Metric("cancel") and check.beyond and check.threshold == "+100 ms absolute"
    wider = GateThresholds().with_overrides({"cancel_ms": "2000"})
    [calm] = list(_own(base, new, wider, ("p", "m")))  # type: ignore[arg-type]
    assert not calm.beyond and calm.threshold == "+2000 ms absolute" and wider.named()["cancel_ms"] == 2000.0
    said = bare_entry().to_json()
    assert said["cancel_to_silence_ms"] is None and said["cancel_after_ack_frames"] is None
