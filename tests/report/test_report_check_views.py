"""The report and the leaderboard render a check's own share and section for any check that gives them
(`harness.checks.views`: `ShareColumn`, `ReportSection`), never told of it: a made-up check, patched in as the only
one with views."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest

from harness.checks import (
    ClipCheck,
    ColumnView,
    DeclaredCheck,
    EntryFigure,
    EntryFigures,
    OwnFigures,
    OwnViews,
    ReportSection,
    ShareColumn,
)
from harness.core.checks import Better, CheckDeclaration, CheckField, Pooling
from harness.report import columns, leaderboard, render
from harness.report.stats import proportion_interval
from harness.results import RunRows, read_run
from tests.helpers.entries import bare_entry
from tests.helpers.history_runs import write_nights

DECLARATION = CheckDeclaration(
    name="stretch",
    title="Stretches",
    version="1",
    doc="docs/checks.md#stretches",
    reads=("scores.duration_s",),
    fields=(
        CheckField(name="long", label="long", unit="parts", meaning="m", better=Better.LOWER, pooling=Pooling.SUM),
        CheckField(name="parts", label="parts", unit="parts", meaning="m", better=Better.NEITHER, pooling=Pooling.SUM),
        CheckField(
            name="share",
            label="stretched",
            unit="share",
            meaning="m",
            better=Better.LOWER,
            pooling=Pooling.RATIO,
            of=("long", "parts"),
        ),
    ),
)


def _views(rows: RunRows) -> tuple[OwnFigures, ...]:
    """3 of 8 parts long for the run's first offering; none for the others."""
    first = rows.requests[0]
    return (OwnFigures(first.provider, first.model, {"long": 3, "parts": 8}),)


VIEWS = OwnViews(
    figures=lambda requests: (),
    from_run=_views,
    worse=lambda run_id, after, before: None,
    rule="",
    share=ShareColumn(field="share", meaning="Long parts over parts.", after="sent", default=False),
    report_section=ReportSection(
        template='<section id="stretches">{% for one in clips %}{{ one }};{% endfor %} '
        '{{ fmt(share, "rate") }}</section>',
        values=lambda rows, audio, same_voice: (
            {"clips": [audio("c1"), audio("c2")], "share": 0.375} if rows.requests else None
        ),
    ),
)
CHECK = DeclaredCheck(DECLARATION, lambda row: ClipCheck({}), views=VIEWS)


@pytest.fixture
def rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunRows:
    for face in (columns, leaderboard, render):
        monkeypatch.setattr(face, "with_views", lambda: ((CHECK, VIEWS),))
    db = tmp_path / "runs.db"
    (one,) = write_nights(db, nights=1, seed=3, model="clear")
    (two,) = write_nights(db, nights=1, seed=4, model="other")
    first, second = read_run(db, one), read_run(db, two)
    return RunRows(run=first.run, requests=(*first.requests, *second.requests), spans=())


def test_the_leaderboard_gives_every_offering_the_share_with_its_wilson_interval(rows: RunRows) -> None:
    board = leaderboard.build_leaderboard(rows)
    assert len(board.entries) == 2
    first, other = (entry.to_json()["stretch_share"] for entry in board.entries)
    wilson = proportion_interval(3, 8)
    assert first == {"value": 0.375, "low": wilson.low, "high": wilson.high, "n": 8}
    assert other == {"value": None, "low": None, "high": None, "n": 0}  # the key always there, never 0
    assert math.isnan(board.entries[1].share("stretch_share").value)


def test_the_report_shows_its_column_after_the_one_it_names_and_its_section(rows: RunRows) -> None:
    placed = columns._with_views(columns._FIGURES)
    keys = [column.key for column in placed]
    assert keys.index("stretch_share") == keys.index("sent") + 1
    column = placed[keys.index("stretch_share")]
    assert (column.heading, column.meaning, column.default, column.better) == (
        "stretched",
        "Long parts over parts.",
        False,
        "low",
    )
    board = leaderboard.build_leaderboard(rows)
    cell = column.cell(board.entries[0])
    assert (cell.text, cell.key, cell.value) == ("37.5%", "stretch_share", 0.375) and cell.low is not None
    assert column.cell(board.entries[1]).text == "–"
    (section,) = render._check_sections(render._environment(), rows, {"c1": "audio/c1.wav"}, False)
    assert str(section) == '<section id="stretches">audio/c1.wav;None; 37.5%</section>'
    assert render._check_sections(render._environment(), RunRows(run=rows.run, requests=(), spans=()), {}, False) == []


def _with_columns(
    name: str, *views: ColumnView, entry: tuple[EntryFigures, ...] = ()
) -> tuple[DeclaredCheck, OwnViews]:
    """A made-up check named `name` whose only views are report columns (and where its figures stand in the JSON)."""
    own = OwnViews(
        figures=lambda requests: (), worse=lambda run_id, after, before: None, rule="", columns=views, entry=entry
    )
    return DeclaredCheck(replace(DECLARATION, name=name), lambda row: ClipCheck({}), views=own), own


def test_every_checks_columns_stand_after_the_one_each_names_in_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    """One placement for every check's columns: each right after the column it names, in turn; one naming another
    check's registered later waits for it; one naming none placed goes at the end."""
    early = _with_columns(
        "early",
        ColumnView(key="late_next", heading="h", meaning="m", figure="f", after="late_first"),
        ColumnView(key="lost", heading="h", meaning="m", figure="f", after="nowhere"),
    )
    late = _with_columns(
        "late",
        ColumnView(key="late_first", heading="h", meaning="m", figure="f", after="sent"),
        ColumnView(key="late_second", heading="h", meaning="m", figure="f", after="sent"),
    )
    monkeypatch.setattr(columns, "with_views", lambda: (early, late))
    keys = [column.key for column in columns._with_views(columns._FIGURES)]
    at = keys.index("sent")
    assert keys[at : at + 4] == ["sent", "late_second", "late_first", "late_next"]
    assert keys[-1] == "lost" and keys[:-1] == [one for one in keys if one != "lost"]


def test_a_column_cell_is_keyed_by_its_figures_name_in_the_json_and_dashed_where_not_present(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = ColumnView(
        key="rate",
        heading="h",
        meaning="m",
        figure="r",
        after="sent",
        kind="rate",
        note=lambda values: f"of {values['n']}",
        present=lambda values: bool(values.get("n")),
    )
    one = _with_columns(
        "renamed", view, entry=(EntryFigures(after="sent", figures=(EntryFigure(key="r_json", figure="r"),)),)
    )
    monkeypatch.setattr(columns, "with_views", lambda: (one,))
    column = next(c for c in columns._with_views(columns._FIGURES) if c.key == "rate")
    shown = column.cell(bare_entry(own=(("r", 0.25), ("n", 4))))
    assert (shown.text, shown.key, shown.value, shown.note) == ("25.0%", "r_json", 0.25, "of 4")
    none = column.cell(bare_entry(own=(("r", 0.25), ("n", 0))))
    assert (none.text, none.key, none.sort) == ("–", "", None)
