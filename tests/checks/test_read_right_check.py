"""The hard-text check's declaration and rule (`harness/checks/read_right.py`, docs/checks.md#hard-text-read-right):
an item read from its two stored verdict rows (as written, and its control), each offering's items read right and
judged over the categories its ASR model can judge, and its paired fall as `compare` applies it. Made-up rows: no
run, no audio."""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness.checks import MISREAD, READ_RIGHT, misreading, read_right_fell, read_right_figures
from harness.checks.read_right import judged_items, measure
from harness.core.checks import ChangeTest
from harness.core.hard_text import HardTextVerdict
from harness.results import shipped_judgeability
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
    """Judged by the shipped self-test's ASR model, money is scored and phone is not (its self-test says so): the
    offering's figures are money's items read right over its judged; a model never self-tested pools nothing."""
    (tested,) = shipped_judgeability().models
    judged_by = {"asr_model": tested.asr_model, "method": tested.method, "thresholds": tested.margins}
    assert tested.categories["money"] and not tested.categories["phone"]
    rows = [
        replace(row, **judged_by)
        for row in [
            *_item("a", PASS, PASS),
            *_item("b", FAIL, PASS),
            *_item("c", UNSURE, PASS),
            *_item("d", PASS, FAIL),
            *_item("e", PASS, PASS, category="phone"),
        ]
    ]
    (only,) = read_right_figures(rows)
    assert (only.provider, only.model, dict(only.values)) == ("p", "m", {"read_right": 1, "judged": 2})
    (untested,) = read_right_figures(_item("a", PASS, PASS))
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
