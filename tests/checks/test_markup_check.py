"""The markup check's declaration and rule (`harness/checks/markup.py`, docs/checks.md#markup): its clips read from
the stored verdict columns, pooled by the registry's machinery (the share a ratio of totals, the break error the
median over every break asked, a clip asking several), its findings by kind, and its `fell` rule as `compare` and
`history`'s gate apply it. Made-up rows: no run, no audio."""

from __future__ import annotations

import json

import pytest

from harness.checks import OfferingCheck, counted_change, offering_checks, registered
from harness.core.checks import ChangeRule, ChangeTest, Pooling
from harness.results import RequestRow
from tests.helpers.request_rows import request_row

(MARKUP,) = [check for check in registered() if check.name == "markup"]


def markup_figures(rows: list[RequestRow]) -> tuple[OfferingCheck, ...]:
    return offering_checks(rows, [MARKUP])


def _row(
    model: str, honoured: int | None, *pauses: tuple[int, float], tags: tuple[str, ...] = (), seq: int = 0
) -> RequestRow:
    verdict = (
        None
        if honoured is None
        else json.dumps(
            {
                "pauses": [[asked, heard, 0.5, abs(heard - asked) <= 100] for asked, heard in pauses],
                "tags_spoken": list(tags),
                "readings": [["say-as", "1/2", "fail", "one slash two"]] if not honoured else [],
            }
        )
    )
    return request_row(provider="p", model=model, markup_honoured=honoured, markup_json=verdict, seq=seq)


def test_the_share_is_a_ratio_of_totals_and_the_break_error_the_median_of_every_break() -> None:
    rows = [
        _row("a", 1, (500, 520.0), (1000, 1000.0)),
        _row("a", 0, (500, 140.0), tags=("break",)),
        _row("a", 1, (1000, 1010.0)),
        _row("a", None),
    ]
    (found,) = offering_checks(rows, [MARKUP])
    assert (found.figures["honoured"].value, found.figures["judged"].value) == (2.0, 3.0)
    assert found.figures["honoured_share"].value == pytest.approx(2 / 3)
    # four breaks over three clips: errors 20, 0, 360, 10 -> the median of every one is 15 (of clips' medians: 10)
    assert found.figures["break_error_p50_ms"].value == 15.0 and found.figures["break_error_p50_ms"].low is None
    assert found.findings == {"break": 1, "reading": 1, "tag spoken": 1}
    assert found.examples["break"] == "1: break 140 ms of 500 asked at 0.50 s"


def test_an_offering_none_of_whose_clips_was_judged_has_no_figures_and_the_order_is_the_runs() -> None:
    rows = [_row("z", 1, seq=1), _row("plain", None, seq=2), _row("a", 0, seq=3)]
    assert [figure.model for figure in sorted(markup_figures(rows), key=lambda one: one.first)] == ["z", "a"]
    assert markup_figures([_row("plain", None)]) == ()
    (no_break,) = markup_figures([_row("b", 1)])
    assert no_break.counted_json()["break_error_p50_ms"] is None  # no break asked: none, never 0


def test_the_rule_is_any_fall_and_nothing_before_is_not_judged() -> None:
    rule = MARKUP.declaration.change
    assert rule is not None and rule.test is ChangeTest.FELL and rule.name == "markup"
    assert MARKUP.declaration.field_named(rule.field).pooling is Pooling.RATIO
    whole, half = [_row("m", 1), _row("m", 1)], [_row("m", 1), _row("m", 0)]

    def fell(before: list[RequestRow], after: list[RequestRow]) -> bool:
        change = counted_change(MARKUP, before, after)
        assert change is not None
        return change.worse

    assert fell(whole, half) and not fell(half, whole) and not fell(half, half)
    unjudged = counted_change(MARKUP, [_row("m", None)], half)
    assert unjudged is not None and not unjudged.worse and not unjudged.present
    assert fell(whole, half) and counted_change(MARKUP, whole, half).describe("r2", "r1") == (  # type: ignore[union-attr]
        "p/m: markup honoured 1/2 in run r2, 2/2 in run r1"
    )
    assert "fell below the run before's" in MARKUP.declaration.change_said()


def test_a_fell_rule_with_a_margin_flags_only_a_fall_past_it() -> None:
    rule = ChangeRule(field="share", test=ChangeTest.FELL, relative=0.1, absolute=0.05)
    assert rule.worse(0.9, 0.7) and not rule.worse(0.9, 0.85) and not rule.worse(None, 0.1)
    assert not rule.worse(0.9, None)


def test_the_summary_says_it_in_the_words_it_had_before_it_was_declared() -> None:
    """The registry's counted view says markup as its own view did: one sentence, a table of every offering judged
    (not only those with a finding), keyed and titled as before, with no column per kind of finding."""
    from harness.runner.summary.counted_view import counted_sections
    from harness.runner.summary.format import Lines, SummaryTable

    rows = [_row("a", 1, (500, 520.0)), _row("a", 0, (500, 140.0)), _row("b", 1)]
    lines, table = counted_sections(offering_checks(rows, [MARKUP]))
    assert isinstance(lines, Lines) and isinstance(table, SummaryTable)
    assert lines.lines == (
        "Markup: 2 of 3 clips honoured on 2 offerings (every break within max(100 ms, 25%) of the "
        "asked, each say-as and sub read as asked, no tag spoken; docs/markup.md).",
    )
    assert table.key == "markup" and table.title.startswith("Markup honoured: clips whose breaks were heard")
    assert [heading.text for heading in table.headings] == ["model", "honoured", "share", "break error p50 ms"]
    assert [[getattr(cell, "text", cell) for cell in row] for row in table.rows] == [
        ["p/a", "1/2", "50%", "190"],
        ["p/b", "1/1", "100%", "—"],
    ]
