"""The WER/CER check's declaration and views (`harness/checks/word_error.py`, docs/checks.md#wercer): a clip's counts
read from its stored row, each offering's pooled rates as the leaderboard gives them (its JSON keys where they stood,
its shortlist's Pareto front and the cost chart weighing the pooled WER), `compare`'s test of the pooled rise through
the registry's views (metric, threshold, METHODS, place after latency), `history`'s series "WER (pooled)" and the
library's `ModelLine.quality` through them. Made-up rows: no run, no audio."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from harness.checks import Shown, generic, registered, with_views
from harness.checks.word_error import (
    CHECK,
    DECLARATION,
    RISE,
    VIEWS,
    measure,
    offering_figures,
    summary_columns,
    unit_ratios,
)
from harness.core.checks import Better, ChangeTest, Pooling
from harness.history import METRICS, read_history
from harness.report.columns import COLUMNS, interval_cell, value_cell
from harness.report.compare import METHODS, GateThresholds, Metric, Ruling, compare_runs, parse_metrics
from harness.report.leaderboard import build_leaderboard, front_axis
from harness.results import RequestRow, RunRows, StoredRun
from harness.results.tables import TABLE_BY_NAME
from harness.runner.summary.figures import Quality, summary_of
from tests.helpers.check_store import TEXTS, write_two_nights
from tests.helpers.request_rows import request_row


def _clip(
    errors: int, length: int, *, unit: str = "word", model: str = "m", index: int = 0, **given: object
) -> RequestRow:
    return request_row(
        **{
            "job_key": f"{model}-{unit}-{index}",
            "model": model,
            "outcome": "ok",
            "scored": True,
            "unit": unit,
            "hits": length - errors,
            "substitutions": errors,
            "deletions": 0,
            "insertions": 0,
            "ref_length": length,
            "e2e_ms": 800.0,
            **given,
        }
    )


def _run(run_id: str, rows: list[RequestRow]) -> RunRows:
    return RunRows(run=StoredRun(run_id=run_id, status="finished"), requests=tuple(rows))


def test_the_declaration_reads_stored_columns_and_declares_compares_rule() -> None:
    for read in DECLARATION.reads:
        table, column = read.split(".")
        assert column in {c.name for c in TABLE_BY_NAME[table].columns}, read
    wer = DECLARATION.field_named("wer")
    assert (wer.pooling, wer.of, wer.better, wer.key) == (
        Pooling.RATIO,
        ("errors", "ref_words"),
        Better.LOWER,
        "wer_pooled",
    )
    assert DECLARATION.field_named("cer").of == ("char_errors", "ref_chars")
    rule = DECLARATION.change
    assert rule is not None and (rule.test, rule.name, rule.absolute) == (ChangeTest.POOLED_RISE, "wer", RISE)
    assert DECLARATION.thresholds == {"wer": 0.02}
    assert "bootstrap" in DECLARATION.change_said()


def test_a_clip_is_read_from_its_stored_row_in_its_unit() -> None:
    assert measure(_clip(2, 10)).values == {"errors": 2.0, "ref_words": 10.0, "wer": 0.2}
    assert measure(_clip(3, 12, unit="char")).values == {"char_errors": 3.0, "ref_chars": 12.0, "cer": 0.25}
    # an answer that failed, a clip scored with an error, a clip with no reference: nothing
    assert measure(_clip(2, 10, outcome="error")).values == {}
    assert measure(_clip(2, 10, score_error="asr failed")).values == {}
    assert measure(request_row(outcome="ok", scored=True, unit="word", ref_length=0)).values == {}


def test_an_offering_pools_its_clips_as_the_leaderboard_does() -> None:
    rows = [_clip(1, 10, index=0), _clip(3, 10, index=1), _clip(0, 20, index=2), _clip(2, 8, unit="char", index=3)]
    [figures] = offering_figures(rows)
    assert figures.values["errors"] == 4.0 and figures.values["ref_words"] == 40.0
    assert figures.values["wer"] == 0.1 and figures.values["cer"] == 0.25
    [entry] = build_leaderboard(_run("r", rows)).entries
    value, low, high, clips = figures.values["wer_pooled"]
    assert entry.to_json()["wer_pooled"] == {"value": value, "low": low, "high": high, "n": clips}
    assert entry.own_figure("wer_pooled") == figures.values["wer_pooled"]  # the figure history's series reads


def test_compare_tests_each_unit_apart_and_char_only_where_a_run_has_it() -> None:
    words = [_clip(1, 10, index=i) for i in range(5)]
    assert [name for name, _, _ in unit_ratios(words, words)] == ["pooled WER"]
    chars = [_clip(1, 10, unit="char", index=i) for i in range(5)]
    [(_, b, n), (cer, _, n_chars)] = list(unit_ratios(words, [*words, *chars]))
    assert b == n == [(1.0, 10.0)] * 5 and cer == "pooled CER" and len(n_chars) == 5


def test_it_is_registered_and_every_face_reads_its_views() -> None:
    assert CHECK in registered() and CHECK.views is VIEWS and (CHECK, VIEWS) in with_views()
    # its views show it: the generic machinery never pools or shows it a second time
    assert CHECK not in generic()
    # its metric, threshold and method where WER stood before it was declared: right after latency
    assert [m.value for m in Metric][:2] == ["latency", "wer"] and parse_metrics("wer") == {Metric("wer")}
    assert list(GateThresholds().named())[:3] == ["latency_p50", "latency_p95", "wer"]
    assert list(METHODS)[2:5] == ["latency_p50", "latency_p95", "wer"]
    assert [m.key for m in METRICS][:4] == ["latency_p50", "latency_p95", "ttfa_p50", "wer"]


@pytest.mark.parametrize(("extra", "worse"), [(0, False), (4, True)])
def test_compare_judges_a_pooled_rise_through_the_views(extra: int, worse: bool) -> None:
    base = _run("b", [_clip(1, 20, index=i) for i in range(8)])
    new = _run("n", [_clip(1 + extra, 20, index=i) for i in range(8)])
    comparison = compare_runs(base, new, fail_on=[Metric("wer")])
    [check] = [c for c in comparison.checks if c.metric == Metric("wer")]
    assert (check.statistic, check.threshold, check.unit) == ("pooled WER", "+0.020 absolute", "rate")
    assert math.isclose(check.change or 0.0, extra / 20)
    assert (check.verdict is Ruling.REGRESSION) is worse and comparison.exit_code == int(worse)
    # the declared threshold, by its name in --threshold
    wide = compare_runs(base, new, thresholds=GateThresholds().with_overrides({"wer": "0.5"}))
    assert all(c.verdict is not Ruling.REGRESSION for c in wide.checks if c.metric == Metric("wer"))


def test_compare_says_too_few_clips() -> None:
    base, new = _run("b", [_clip(1, 20, index=i) for i in range(3)]), _run("n", [_clip(1, 20, index=0)])
    [check] = [c for c in compare_runs(base, new).checks if c.metric == Metric("wer")]
    assert check.verdict is Ruling.INSUFFICIENT
    assert check.details == ("3 BASE and 1 NEW scored clips; need 5 each",)


def test_history_draws_the_pooled_wer_through_the_views(tmp_path: Path) -> None:
    """The series "WER (pooled)", key `wer`, from each run's leaderboard entry's figure the views name."""
    db = write_two_nights(tmp_path / "runs.db", ["m"], lambda night, model, text: {"substitutions": night, "hits": 8})
    history = read_history(db)
    [series] = [one for one in history.series if one.key == "wer"]
    assert (series.label, series.unit) == ("WER (pooled)", "rate")
    words = sum(len(text.rstrip(".").split()) for text in TEXTS)
    assert [point.value for point in series.points] == [0.0, len(TEXTS) / words]
    assert all(point.sample_size == len(TEXTS) for point in series.points)


def test_the_summary_columns_show_where_the_run_was_scored() -> None:
    words, chars = _clip(1, 10, index=0), _clip(1, 4, unit="char", index=1, model="n")
    scored_run = RunRows(run=StoredRun(run_id="r", status="finished", asr_model="tiny"), requests=(words, chars))
    figures = offering_figures(scored_run.requests)
    columns = summary_columns(scored_run, figures)
    assert [(column.key, said) for column, said in columns] == [
        ("wer_pooled", "; WER pooled over each model's word-unit clips"),
        ("cer_pooled", "; CER over its zh/ja clips"),
    ]
    (wer, _), (cer, _) = columns
    # each offering's cell: its rate, "—" where it has no clip of the unit (never 0)
    assert [(wer.cell(one), cer.cell(one)) for one in figures] == [
        (Shown("10.0%", 0.1), Shown("—", None)),
        (Shown("—", None), Shown("25.0%", 0.25)),
    ]
    assert summary_columns(_run("r", [words]), offering_figures([words])) == ()  # no ASR model: not scored


def test_the_report_columns_read_the_entry_figures_the_views_give() -> None:
    """After "planned / billed", as before the check was declared (a field declared beside WER, similarity, is placed
    right after it by the generic machinery)."""
    keys = [column.key for column in COLUMNS]
    ours = ["wer_pooled", "wer_mean", "cer_pooled"]
    assert (
        keys.index("planned_billed") + 1 == keys.index("wer_pooled") < keys.index("wer_mean") < keys.index("cer_pooled")
    )
    rows = [_clip(1, 10, index=0), _clip(3, 10, index=1), _clip(1, 4, unit="char", index=2)]
    [entry] = build_leaderboard(_run("r", rows)).entries
    columns = {column.key: column for column in COLUMNS if column.key in ours}
    shown = entry.to_json()
    assert columns["wer_pooled"].cell(entry) == interval_cell(entry.own_interval("wer_pooled"), "rate", "wer_pooled")
    assert columns["wer_mean"].cell(entry) == value_cell(shown["wer_mean"], "rate", "wer_mean")
    assert columns["cer_pooled"].cell(entry) == value_cell(shown["cer_pooled"], "rate", "cer_pooled")
    assert [columns[key].default for key in ours] == [True, False, False]


def _priced(errors: int, length: int, model: str, usd: float, *, unit: str = "word") -> list[RequestRow]:
    return [_clip(errors, length, unit=unit, model=model, index=i, cost_usd=usd, chars=100) for i in range(3)]


def test_the_leaderboard_gives_its_figures_where_they_stood_and_weighs_the_pooled_wer_against_cost() -> None:
    """Its figures right after "scored" among the entry's JSON keys (`entry`), as the check gives them; the front
    and the cost chart weigh the pooled WER (`front`): an offering with no word-unit clip is not placed."""
    rows = [
        *_priced(3, 10, "cheap", 0.001),
        *_priced(1, 10, "dear", 0.01),
        *_priced(4, 10, "dearer-and-worse", 0.02),
        *_priced(1, 4, "characters", 0.001, unit="char"),
    ]
    board = build_leaderboard(_run("r", rows))
    figures = {one.model: one.values for one in offering_figures(rows)}
    for entry in board.entries:
        shown = entry.to_json()
        keys = list(shown)
        at = keys.index("scored")
        assert keys[at + 1 : at + 6] == ["wer_pooled", "wer_mean", "cer_pooled", "cer_mean", "flagged_clips"]
        mine = figures[entry.model]
        assert (shown["wer_mean"], shown["cer_pooled"], shown["cer_mean"]) == (
            mine["wer_mean"],
            mine.get("cer"),
            mine["cer_mean"],
        )
    assert figures["characters"]["cer_mean"] == 0.25 and figures["cheap"]["cer_mean"] is None
    assert board.front is VIEWS.front and front_axis() is VIEWS.front
    assert [e.model for e in board.shortlist] == ["cheap", "dear"]
    assert board.notes == ("Not on the cost/WER chart (no clip scored in words): p/characters",)


def test_the_library_quality_is_the_checks_pooled_rates() -> None:
    words, chars = _clip(1, 10, index=0), _clip(1, 4, unit="char", index=1)
    scored_run = RunRows(run=StoredRun(run_id="r", status="finished", asr_model="tiny"), requests=(words, chars))
    [line] = summary_of(scored_run, 0.0).lines
    assert line.quality == Quality(clips=2, pooled_wer=0.1, pooled_cer=0.25)
    assert VIEWS.line_quality is not None and (VIEWS.line_quality.words, VIEWS.line_quality.characters) == (
        "wer",
        "cer",
    )
    assert summary_of(_run("r", [words]), 0.0).lines[0].quality is None  # not scored: no ASR model
