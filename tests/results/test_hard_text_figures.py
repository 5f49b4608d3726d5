"""Hard-text figures: calibration by control, Wilson intervals, the control-vs-written gap, exact McNemar."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest
from scipy.stats import binomtest

from harness.core.hard_text import HardTextVerdict
from harness.measurement import across_models, category_figures, compare_models, mcnemar_exact, wilson
from harness.results import connect_writer
from harness.results.hard_text import (
    Judgeability,
    ModelJudgeability,
    read_span_scores,
    shipped_judgeability,
    write_span_scores,
)
from harness.results.tables import FORCED_CHOICE, TRANSCRIPT, SpanScoreRow

PASS, FAIL, UNSURE, OTHER = HardTextVerdict.PASS, HardTextVerdict.FAIL, HardTextVerdict.UNSURE, HardTextVerdict.OTHER


@pytest.mark.parametrize(("successes", "trials"), [(0, 1), (1, 1), (7, 10), (0, 30), (29, 30), (50, 97)])
def test_the_wilson_interval_is_scipys(successes: int, trials: int) -> None:
    expected = binomtest(successes, trials).proportion_ci(method="wilson")
    got = wilson(successes, trials)
    assert got.low == pytest.approx(expected.low, abs=1e-12) and got.high == pytest.approx(expected.high, abs=1e-12)
    assert got.value == successes / trials
    assert math.isnan(wilson(0, 0).low) and math.isnan(wilson(0, 0).value)


@pytest.mark.parametrize(("first", "second"), [(0, 0), (3, 0), (5, 1), (2, 9), (10, 10), (1, 20)])
def test_the_exact_mcnemar_test_is_a_binomial_test_of_the_discordant_pairs(first: int, second: int) -> None:
    expected = 1.0 if first + second == 0 else binomtest(first, first + second, 0.5).pvalue
    assert mcnemar_exact(first, second) == pytest.approx(expected, rel=1e-12)


def _rows(provider: str, category: str, readings: list[tuple[str, str]]) -> list[SpanScoreRow]:
    """(written verdict, control verdict) per item."""
    rows = []
    for index, (written, control) in enumerate(readings):
        item = f"{category}-{index:03}"
        rows.append(
            SpanScoreRow(
                provider=provider,
                model="m",
                item_id=item,
                category=category,
                control=False,
                verdict=written,
                error="year-digit-by-digit" if written == FAIL else None,
            )
        )
        rows.append(
            SpanScoreRow(provider=provider, model="m", item_id=item, category=category, control=True, verdict=control)
        )
    return rows


def test_an_item_counts_only_where_its_control_passes() -> None:
    rows = _rows("a", "year", [(PASS, PASS), (PASS, PASS), (FAIL, PASS), (UNSURE, PASS), (FAIL, FAIL), (PASS, UNSURE)])
    [year] = category_figures(rows)
    assert (year.provider, year.model, year.category) == ("a", "m", "year")
    assert (year.items, year.calibrated, year.judged) == (6, 4, 3)
    assert year.accuracy.successes == 2 and year.accuracy.value == pytest.approx(2 / 3)
    assert year.accuracy.low == pytest.approx(binomtest(2, 3).proportion_ci(method="wilson").low)
    assert year.judged_rate == pytest.approx(3 / 6)
    assert year.gap == pytest.approx(4 / 6 - 3 / 6)  # controls passing minus written passing
    assert [row.item_id for row in year.failures] == ["year-002"]  # year-004 failed, but so did its control
    assert [row.item_id for row in year.unsure] == ["year-003"]


def test_two_models_are_compared_on_the_items_judged_for_both() -> None:
    first = _rows("a", "year", [(PASS, PASS)] * 8 + [(FAIL, PASS), (PASS, FAIL)])
    second = _rows("b", "year", [(FAIL, PASS)] * 7 + [(PASS, PASS), (PASS, PASS), (UNSURE, PASS)])
    result = compare_models(first + second, ("a", "m"), ("b", "m"))
    # items 0-8 judged for both (item 9: a's control failed, b unsure): a alone passed 0-6, b alone item 8
    assert (result.items, result.only_first, result.only_second) == (9, 7, 1)
    assert result.p_value == pytest.approx(binomtest(7, 8, 0.5).pvalue)
    assert compare_models(first + second, ("a", "m"), ("b", "m"), category="money").items == 0


def test_judgements_are_kept_per_clip_and_asr_model_and_read_with_the_run(tmp_path: Path) -> None:
    conn = connect_writer(tmp_path / "runs.db")
    try:
        assert read_span_scores(conn, "r1") == ()
        first = SpanScoreRow(
            provider="a",
            model="m",
            item_id="year-001",
            category="year",
            control=False,
            verdict=FAIL,
            heard="one nine eight four",
            error="year-digit-by-digit",
            transcript="born in one nine eight four",
            clip_id="c1",
            run_id="r1",
            asr_model="tiny.en#x",
        )
        control = replace(first, control=True, verdict=UNSURE, error=None, reason="neither", clip_id="c2")
        write_span_scores(conn, [first, control])
        write_span_scores(conn, [replace(first, verdict=PASS, error=None)])  # judged again: replaced
        assert read_span_scores(conn, "r1") == (replace(first, verdict=PASS, error=None), control)
        assert read_span_scores(conn, "r2") == ()
    finally:
        conn.close()


def test_a_stored_verdict_none_of_hard_texts_is_left_out_and_named(tmp_path: Path) -> None:
    """The row's verdict is the one verdict type (`HardTextVerdict`): a store (or an export edited by hand) holding
    another word is read without that row, named in one line, as every reader of the store leaves a row out."""
    conn = connect_writer(tmp_path / "runs.db")
    try:
        good = SpanScoreRow(
            provider="a",
            model="m",
            item_id="year-001",
            category="year",
            control=False,
            verdict=PASS,
            clip_id="c1",
            run_id="r1",
        )
        write_span_scores(conn, [good, replace(good, clip_id="c2", control=True)])
        conn.execute("UPDATE span_scores SET verdict = 'maybe' WHERE clip_id = 'c2'")
        conn.commit()
        left_out: list[str] = []
        read = read_span_scores(conn, "r1", left_out)
        assert read == (good,) and type(read[0].verdict) is HardTextVerdict
        assert left_out == [
            "span_scores row 2: verdict holds 'maybe', none of pass, fail, other, unsure: left out of every figure"
        ]
        with pytest.raises(ValueError, match="maybe"):
            read_span_scores(conn, "r1")
    finally:
        conn.close()


def test_a_category_the_asr_model_cannot_judge_is_marked_not_scored_away() -> None:
    rows = [
        replace(row, asr_model="tiny.en#abc", method=FORCED_CHOICE)
        for row in _rows("a", "acronym", [(PASS, PASS)]) + _rows("a", "year", [(PASS, PASS)])
    ]
    tiny = ModelJudgeability("tiny.en#abc", FORCED_CHOICE, 0.9, {"acronym": False, "year": True})
    acronym, year = category_figures(rows, Judgeability((tiny,)))
    assert (acronym.unscored, year.unscored) == ("not judgeable by tiny.en", None)
    assert acronym.accuracy.trials == 1  # still computed; the faces show it as not judgeable
    # another model's self-test, or another judging method's, says nothing about these rows: not measured
    base = ModelJudgeability("base#def", FORCED_CHOICE, 0.9, {"acronym": True, "year": True})
    assert [figure.unscored for figure in category_figures(rows, Judgeability((base,)))] == [
        "not measured for tiny.en"
    ] * 2
    older = ModelJudgeability("tiny.en#abc", TRANSCRIPT, 0.8, {"acronym": True, "year": True})
    assert category_figures(rows, Judgeability((older,)))[1].unscored == "not measured for tiny.en"


def test_a_category_missing_from_the_self_test_is_not_measured_never_judgeable() -> None:
    """Issue 58: a category the model's self-test does not list was treated as judgeable."""
    rows = [replace(row, asr_model="tiny.en#abc", method=FORCED_CHOICE) for row in _rows("a", "year", [(PASS, PASS)])]
    tiny = ModelJudgeability("tiny.en#abc", FORCED_CHOICE, 0.9, {"acronym": True})  # no "year"
    assert category_figures(rows, Judgeability((tiny,)))[0].unscored == "not measured for tiny.en"


def test_a_self_test_of_other_margins_does_not_vouch_for_a_verdict() -> None:
    """A shipped self-test measured one decision rule; verdicts reached with other margins (a judge changed since, or
    a run judged with its own) are not measured, whatever the category's verdict was: base's file once predated the
    generated misreadings' margin and still called its categories judgeable."""
    rows = [
        replace(row, asr_model="base#def", method=FORCED_CHOICE, thresholds="pass>=3;fail>=2")
        for row in _rows("a", "year", [(PASS, PASS)])
    ]
    same = ModelJudgeability("base#def", FORCED_CHOICE, 0.9, {"year": True}, "pass>=3;fail>=2")
    other = ModelJudgeability("base#def", FORCED_CHOICE, 0.9, {"year": True}, "pass>=3;fail>=2;generated>=1.5")
    unsaid = ModelJudgeability("base#def", FORCED_CHOICE, 0.9, {"year": True})
    assert category_figures(rows, Judgeability((same,)))[0].unscored is None
    assert category_figures(rows, Judgeability((unsaid,)))[0].unscored is None  # a file that does not say
    assert category_figures(rows, Judgeability((other,)))[0].unscored == (
        "not measured for base at margins pass>=3;fail>=2; its self-test is at pass>=3;fail>=2;generated>=1.5: "
        "`tts-harness score RUN_ID` judges the run again"
    )


def test_every_shipped_self_test_measured_the_judges_own_margins() -> None:
    """`harness/data/hard_text/judgeable/<model>.json` vouches for the verdicts the judge reaches today: its margins
    are the judge's default (regenerate it with benchmarks/perf/hard_text_selftest.py --write when they change)."""
    from harness.scoring.hard_text.forced_choice import Thresholds

    shipped = shipped_judgeability().models
    assert shipped and {model.asr_name: model.margins for model in shipped} == {
        model.asr_name: Thresholds().key() for model in shipped
    }


def test_the_table_across_models_lays_each_category_out_by_model_and_pools_the_scored_ones() -> None:
    rows = (
        _rows("a", "year", [(PASS, PASS), (FAIL, PASS)])
        + _rows("b", "year", [(PASS, PASS), (PASS, PASS)])
        + _rows("a", "acronym", [(PASS, PASS)])
        + _rows("b", "acronym", [(FAIL, PASS)])
    )
    rows = [replace(row, asr_model="tiny.en#abc", method=FORCED_CHOICE) for row in rows]
    tiny = ModelJudgeability("tiny.en#abc", FORCED_CHOICE, 0.9, {"year": True, "acronym": False})
    table = across_models(category_figures(rows, Judgeability((tiny,))))
    assert table.categories == ("acronym", "year") and table.systems == (("a", "m"), ("b", "m"))
    year = table.cell("year", ("a", "m"))
    assert year is not None and (year.accuracy.successes, year.accuracy.trials) == (1, 2)
    assert table.unscored("acronym") == "not judgeable by tiny.en" and table.unscored("year") is None
    # the pooled figure reads only scored categories: b's failed acronym does not count
    assert (table.pooled(("b", "m")).successes, table.pooled(("b", "m")).trials) == (2, 2)
    other = [replace(row, verdict=OTHER) if row.item_id == "year-001" and not row.control else row for row in rows]
    [_, year_a, _, _] = category_figures(other)
    assert [row.item_id for row in year_a.others] == ["year-001"] and year_a.judged == 1  # neither way
