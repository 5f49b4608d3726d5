"""A counted check (issue 79: findings that are deterministic, totalled per offering and judged run against run),
declared here as a user's would be and read by the machinery and the summary's face without naming it: totals, a
ratio of totals (not a mean of the clips' ratios), a tally in the order first met, no interval; a rise judged by
`absolute` and `relative`, a named kind judged newly; and `compare --fail-on` taking each registered counted rule by
its own name."""

from __future__ import annotations

import pytest

from harness.checks import (
    ClipCheck,
    CountedChange,
    DeclaredCheck,
    counted_change,
    counted_checks,
    counted_columns,
    every_field,
    offering_checks,
)
from harness.core.checks import Better, ChangeRule, ChangeTest, CheckDeclaration, CheckField, FindingKind, Pooling
from harness.report.compare import Metric, parse_metrics
from harness.results import RequestRow
from harness.runner.summary import counted_view
from harness.runner.summary.format import Lines, SummaryTable, to_json
from tests.helpers.request_rows import request_row

LONG = FindingKind("long", "a clip holds no stretch over 3 s")
SILENT = FindingKind("silent", "a clip sounds", named=True, kept="every clip sounded")


def _check(test: ChangeTest) -> DeclaredCheck:
    """Stretches of over 3 s per second of audio, and the silent clips, named; each clip's rounded seconds tallied."""
    declaration = CheckDeclaration(
        name="stretches",
        title="Stretches",
        version="1",
        doc="docs/checks.md",
        fields=(
            CheckField(
                name="clips",
                label="clips",
                heading="clips",
                unit="clips",
                meaning="Clips read.",
                better=Better.NEITHER,
                pooling=Pooling.SUM,
            ),
            CheckField(
                name="seconds",
                label="audio",
                heading="audio s",
                unit="s",
                meaning="Audio read.",
                better=Better.NEITHER,
                pooling=Pooling.SUM,
                decimals=1,
            ),
            CheckField(
                name="long",
                label="long stretches",
                unit="stretches",
                meaning="Stretches over 3 s.",
                better=Better.LOWER,
                pooling=Pooling.SUM,
            ),
            CheckField(
                name="per_second",
                label="long stretches per second",
                heading="per s",
                unit="a second",
                meaning="Stretches over 3 s per second of audio.",
                better=Better.LOWER,
                pooling=Pooling.RATIO,
                of=("long", "seconds"),
                decimals=2,
            ),
            CheckField(
                name="silent",
                label="silent clips",
                unit="clips",
                meaning="Silent clips.",
                better=Better.LOWER,
                pooling=Pooling.SUM,
            ),
            CheckField(
                name="lengths",
                label="lengths",
                heading="lengths",
                unit="s",
                meaning="Lengths.",
                better=Better.NEITHER,
                pooling=Pooling.TALLY,
                absent="none",
            ),
        ),
        reads=("scores.duration_s",),
        findings=(LONG, SILENT),
        answers_only=False,
        change=(
            ChangeRule(field="per_second", test=test, absolute=0.1, relative=0.5, name="stretches")
            if test is ChangeTest.ROSE
            else ChangeRule(field="silent", test=test, relative=0.0, name="silence")
        ),
        said="{long:.0f} long part{long_s} in {clips:.0f} clips",
    )

    def measure(request: RequestRow) -> ClipCheck:
        seconds = request.duration_s
        if seconds is None:
            return ClipCheck({})
        long = int(seconds // 3)
        silent = (("silent", f"{seconds:.1f} s of silence"),) if seconds == 0 else ()
        return ClipCheck(
            {
                "clips": 1.0,
                "seconds": seconds,
                "long": float(long),
                "silent": float(bool(silent)),
                "lengths": float(round(seconds)),
            },
            (("long", "a stretch"),) * long + silent,
        )

    return DeclaredCheck(declaration, measure)


def _rows(*seconds: float | None, model: str = "m") -> list[RequestRow]:
    return [
        request_row(provider="p", model=model, item_id=str(index), seq=index, duration_s=value)
        for index, value in enumerate(seconds)
    ]


def test_totals_a_ratio_of_totals_and_a_tally_with_no_interval() -> None:
    check = _check(ChangeTest.ROSE)
    (found,) = offering_checks(_rows(1.0, 9.0, None, 2.0), [check])  # no outcome: a counted check reads every job
    assert {name: found.figures[name].value for name in ("clips", "seconds", "long")} == {
        "clips": 3.0,
        "seconds": 12.0,
        "long": 3.0,
    }
    assert found.figures["per_second"].value == pytest.approx(3.0 / 12.0)  # a mean of clips' ratios: 1/9
    assert found.figures["lengths"].counts == ((1.0, 1), (9.0, 1), (2.0, 1))
    assert all(pooled.low is None and pooled.high is None for pooled in found.figures.values())
    assert found.findings == {"long": 3} and found.first == 0
    assert not [item for _, item in every_field([check])]  # counted fields are no columns of the models table
    assert [item.name for _, item in counted_columns([check])] == ["per_second"]


def test_a_rise_beyond_absolute_and_relative_and_a_named_kind_newly() -> None:
    rose = _check(ChangeTest.ROSE)

    def judged(before: list[RequestRow], after: list[RequestRow]) -> bool:
        change = counted_change(rose, before, after)
        return change is not None and change.worse

    assert judged(_rows(2.0), _rows(3.0))  # 0 to 0.33 a second: beyond 0.1
    assert not judged(_rows(2.0), _rows(2.0, 2.0, 2.0, 2.0, 3.0))  # 0 to 0.09: within the absolute 0.1
    assert not judged(_rows(3.0), _rows(10.0))  # 0.33 to 0.3: a fall
    assert not judged(_rows(10.0), _rows(3.0))  # 0.3 to 0.33: within half of 0.3
    assert judged([], _rows(6.0)) and not judged(_rows(6.0), [])  # none before counts as 0; none now, never rose
    newly = _check(ChangeTest.NEWLY)
    (silent,), (sounding,) = offering_checks(_rows(0.0), [newly]), offering_checks(_rows(2.0), [newly])
    assert CountedChange(after=silent, before=None).worse and CountedChange(after=silent, before=sounding).worse
    assert not CountedChange(after=silent, before=silent).worse and not CountedChange(after=sounding, before=None).worse
    said = CountedChange(after=silent, before=sounding)
    assert said.describe("r2", "r1") == "p/m: silent in run r2: 0.0 s of silence"
    assert said.details() == ("NEW silent: 0.0 s of silence",)


def test_the_summary_says_a_counted_check_it_was_never_told_of(monkeypatch: pytest.MonkeyPatch) -> None:
    check = _check(ChangeTest.ROSE)
    monkeypatch.setattr(counted_view, "generic", lambda: (check,))
    clean = counted_view.counted_sections(offering_checks(_rows(1.0, 2.0), [check]))
    assert len(clean) == 1 and isinstance(clean[0], Lines)
    assert clean[0].lines == ("Stretches: 0 long parts in 2 clips; every clip sounded.",)
    found = counted_view.counted_sections(
        offering_checks([*_rows(9.0, 0.0, model="b"), *_rows(1.0, model="a")], [check])
    )
    lines, table = found
    assert isinstance(lines, Lines) and isinstance(table, SummaryTable)
    assert lines.lines == (
        "Stretches: 3 long parts in 3 clips; 1 offering silent.",
        "Stretches: p/b: 0.0 s of silence.",
    )
    assert [row[0] for row in table.rows] == ["p/b"]  # the only offering with a finding
    said = to_json(found)["sections"]
    assert said[1]["rows"][0] == {
        "model": "p/b",
        "clips": 2,
        "audio_s": 9.0,
        "per_s": pytest.approx(3.0 / 9.0),
        "lengths": "9 s in 1, 0 s in 1",
        "long": 3,
    }
    assert {o["model"]: o["per_second"] for o in said[0]["offerings"]} == {"a": 0.0, "b": 3.0 / 9.0}


def test_compare_fail_on_takes_each_registered_counted_rule_by_its_name() -> None:
    names = {check.declaration.change.name for check in counted_checks() if check.declaration.change}
    assert {"seams", "rate"} <= names
    assert {metric.value for metric in parse_metrics(",".join(sorted(names)))} == names
    assert all(Metric(name).value == name for name in names)
