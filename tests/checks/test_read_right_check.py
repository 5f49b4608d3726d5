"""The hard-text check's declaration and rule (`harness/checks/read_right.py`, docs/checks.md#hard-text-read-right):
an item read from its two stored verdict rows (as written, and its control), each offering's items read right and
judged over the categories its ASR model can judge, and its paired fall as `compare` applies it. Made-up rows: no
run, no audio."""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness.checks import generic, registered, with_views
from harness.checks.read_right import (
    CHECK,
    MISREAD,
    READ_RIGHT,
    VIEWS,
    figures,
    judged_items,
    measure,
    measure_job,
    misreading,
    read_right_fell,
    read_right_figures,
    report_values,
    summary_sections,
)
from harness.core.checks import ChangeTest
from harness.core.hard_text import HardTextVerdict
from harness.measurement import mcnemar_worse
from harness.results import RunRows, StoredRun, shipped_judgeability
from harness.results.tables import TABLE_BY_NAME, SpanScoreRow

PASS, FAIL, UNSURE, OTHER = HardTextVerdict.PASS, HardTextVerdict.FAIL, HardTextVerdict.UNSURE, HardTextVerdict.OTHER


def _item(
    item: str, written: HardTextVerdict, control: HardTextVerdict | None, model: str = "m", category: str = "money"
) -> list[SpanScoreRow]:
    rows = [
        SpanScoreRow(
            provider="p",
            model=model,
            item_id=item,
            category=category,
            control=False,
            verdict=written,
            heard="one two three" if written == FAIL else "",
            error="digit-by-digit" if written == FAIL else None,
        )
    ]
    if control is not None:
        rows.append(
            SpanScoreRow(provider="p", model=model, item_id=item, category=category, control=True, verdict=control)
        )
    return rows


def test_the_declaration_reads_stored_columns_and_declares_compares_rule() -> None:
    columns = {column.name for column in TABLE_BY_NAME["span_scores"].columns}
    assert all(read.startswith("span_scores.") and read.split(".")[1] in columns for read in READ_RIGHT.reads)
    rule = READ_RIGHT.change
    assert rule is not None and rule.test is ChangeTest.PAIRED_FELL and rule.name == "hard-text"
    assert rule.absolute == READ_RIGHT.thresholds["hard_text"] == 0.05 and rule.min_pairs == 5
    assert READ_RIGHT.key(READ_RIGHT.field_named("accuracy")) == "hard_text"  # the leaderboard's key, as before
    assert MISREAD.kind == "hard-text" and READ_RIGHT.finding_named("hard-text") is MISREAD
    assert "fell by more than 0.05 absolute over the items both runs judged" in READ_RIGHT.change_said()


def test_an_item_counts_only_where_its_control_passed_and_its_reading_was_decided() -> None:
    right = measure(*_item("a", PASS, PASS))
    wrong = measure(*_item("b", FAIL, PASS))
    assert right.values == {"read_right": 1.0, "judged": 1.0} and right.findings == ()
    assert wrong.values == {"read_right": 0.0, "judged": 1.0}
    assert wrong.findings == ((MISREAD.kind, "money: b read 'one two three' (digit-by-digit)"),)
    for written, control in ((PASS, FAIL), (FAIL, FAIL), (UNSURE, PASS), (OTHER, PASS)):
        assert measure(*_item("c", written, control)).values == {}
    (alone,) = _item("d", PASS, None)
    assert measure(alone, None).values == {}  # no control: not calibrated


def test_items_pair_their_two_clips_whatever_the_rows_order() -> None:
    rows = [*reversed(_item("a", FAIL, PASS)), *_item("b", PASS, PASS), *_item("a", PASS, PASS, category="date")]
    found = [(row.category, row.item_id, check.values.get("read_right")) for row, check in judged_items(rows)]
    assert found == [("money", "a", 0.0), ("money", "b", 1.0), ("date", "a", 1.0)]
    (failed,) = [row for row, check in judged_items(rows) if check.findings]
    assert misreading(failed) == "money: a read 'one two three' (digit-by-digit)"


def test_each_offering_pools_its_judged_items_over_the_categories_scored() -> None:
    """Judged by the shipped self-test's ASR model, money is scored and ordinal is not (its self-test says so): the
    offering's figures are money's items read right over its judged; a model never self-tested pools nothing."""
    (tested,) = shipped_judgeability().models
    judged_by = {"asr_model": tested.asr_model, "method": tested.method, "thresholds": tested.margins}
    assert tested.categories["money"] and not tested.categories["ordinal"]
    rows = [
        replace(row, **judged_by)
        for row in [
            *_item("a", PASS, PASS),
            *_item("b", FAIL, PASS),
            *_item("c", UNSURE, PASS),
            *_item("d", PASS, FAIL),
            *_item("e", PASS, PASS, category="ordinal"),
        ]
    ]
    (only,) = read_right_figures(figures(_run(rows)))
    assert (only.provider, only.model, dict(only.values)) == ("p", "m", {"read_right": 1, "judged": 2})
    (untested,) = read_right_figures(figures(_run(_item("a", PASS, PASS))))
    assert dict(untested.values) == {"read_right": 0, "judged": 0}


def test_the_paired_fall_is_judged_as_compare_judged_it() -> None:
    """A fall of more than 0.05 absolute over the items both runs judged; 1 of 20 is exactly 0.05: not beyond."""
    assert not read_right_fell(20, 19, 20)
    assert read_right_fell(20, 18, 20)
    assert not read_right_fell(18, 20, 20)  # a rise is never worse
    assert read_right_fell(20, 19, 20, absolute=0.0) and not read_right_fell(20, 18, 20, absolute=0.2)
    assert not read_right_fell(0, 0, 0)


@pytest.mark.parametrize("changed", [0, 1, 2, 3])
def test_the_rule_is_the_difference_compare_always_computed(changed: int) -> None:
    base, items = 17, 20
    assert read_right_fell(base, base - changed, items) == (changed / items > 0.05)


def _run(rows: list[SpanScoreRow], run_id: str = "r") -> RunRows:
    return RunRows(run=StoredRun(run_id=run_id), requests=(), spans=tuple(rows))


def _items(count: int, wrong: int, category: str = "money") -> list[SpanScoreRow]:
    """`count` items of a category, the first `wrong` read wrong, each with its control passed."""
    return [row for i in range(count) for row in _item(f"i{i}", FAIL if i < wrong else PASS, PASS, category=category)]


def test_its_views_read_the_runs_rows_and_a_jobs_row_gives_nothing() -> None:
    """Registered with its views: every face takes it through them (with_views), the generic machinery never sees
    it; a job's row holds no verdict, so its per-clip reading is empty."""
    assert CHECK.views is VIEWS and CHECK in registered()
    assert (CHECK, VIEWS) in with_views() and CHECK not in generic()
    assert measure_job(None).values == {}  # type: ignore[arg-type]
    run = _run(_items(3, 1))
    assert VIEWS.figures(()) == () and VIEWS.run_figures(run) == read_right_figures(figures(run))
    assert VIEWS.worse("r", VIEWS.run_figures(run)[0], None) is None  # history's gate is its series' change points


def test_its_figures_per_category_are_its_one_computation_that_the_summarys_sections_show() -> None:
    """`figures` of a run's rows is the check's one computation per offering and category: its figures per offering
    and the summary's sections are views of it (the summary computes none itself); a run that judged no span: none."""
    run = _run(_items(3, 1))
    assert [(f.provider, f.model, f.category, f.items) for f in figures(run)] == [("p", "m", "money", 3)]
    assert figures(_run([])) == () and VIEWS.run_sections is not None
    assert VIEWS.run_sections(run, True) == summary_sections(figures(run), sandbox=True)
    assert VIEWS.run_sections(_run([]), False) == ()


def test_compares_test_gives_one_statistic_per_category_both_runs_judged() -> None:
    """Money: 20 items both runs judged, 2 read wrong in NEW only: a fall of 0.10, past 0.05, tested by McNemar;
    date: 3 items, too few; phone: judged in NEW only, not compared."""
    view = VIEWS.run_test
    assert view is not None and view.metric == "hard-text" and view.threshold == "hard_text"
    base = _run([*_items(20, 0), *_items(3, 0, "date")])
    new = _run([*_items(20, 2), *_items(3, 3, "date"), *_items(5, 0, "phone")])
    date, money = view.judge(base, new, ("p", "m"), 0.05, 5)  # by category
    assert date.statistic == "hard text: date accuracy" and date.short == "3 items judged in both runs; need 5"
    assert money.statistic == "hard text: money accuracy" and not money.short
    assert (money.base, money.new, money.change) == (1.0, 0.9, (18 - 20) / 20) and money.beyond
    assert money.p_value == mcnemar_worse(2, 0)
    assert money.details == ("i0 read 'one two three' (digit-by-digit)", "i1 read 'one two three' (digit-by-digit)")
    (kept,) = [one for one in view.judge(base, new, ("p", "m"), 0.2, 5) if not one.short]
    assert not kept.beyond and view.said(0.05) == "-0.05 absolute"
    assert list(view.judge(base, new, ("p", "other"), 0.05, 5)) == []


def test_historys_series_are_each_categorys_accuracy_and_its_misreadings() -> None:
    view = VIEWS.run_series
    assert view is not None and view.prefix == "hard-text:" and view.kind == MISREAD.kind
    run = _run([*_items(4, 1), *_items(2, 0, "date")])
    points = {one.key: one for one in view.points(run)}
    assert points["money"].value == 0.75 and points["money"].sample_size == 4 and points["date"].value == 1.0
    assert points["money"].low < 0.75 < points["money"].high  # its Wilson interval
    (found,) = view.findings(run)
    assert found == ("p", "m", "money: i0 read 'one two three' (digit-by-digit)")
    assert view.example("money", found[2]) and not view.example("date", found[2])
    assert view.label("money") == "Hard text: money accuracy" and view.unit == "rate"


def test_its_report_views_are_the_leaderboards_share_and_the_sections_values() -> None:
    """The leaderboard's `hard_text` and the report's default column after CER are the declared accuracy (read right
    over judged, as before); the report's section is each model's categories with its first failing readings' clips,
    none where no span was judged."""
    share = VIEWS.share
    assert share is not None and share.default and share.after == "cer_pooled"
    accuracy = READ_RIGHT.field_named(share.field)
    assert READ_RIGHT.key(accuracy) == "hard_text" and accuracy.of == ("read_right", "judged")
    section = VIEWS.report_section
    assert section is not None and '<section id="hard-text">' in section.template
    assert section.values(_run([]), {}.get, True) is None
    clips = {"i0": "audio/i0.wav"}  # the report's audio, by clip id: the written clip's, not its control's ("i0c")
    rows = [replace(row, clip_id=row.item_id + ("c" if row.control else "")) for row in _items(3, 1)]
    values = report_values(_run(rows), clips.get, False)
    assert values is not None and not values["same_voice"] and values["normalisation"] == []
    (model,) = values["models"]
    assert model["label"] == "p/m" and [c["figure"].category for c in model["categories"]] == ["money"]
    (failed,) = model["categories"][0]["failures"]
    assert failed["row"].item_id == "i0" and failed["audio"] == "audio/i0.wav"
    assert values["across"].systems == (("p", "m"),)
