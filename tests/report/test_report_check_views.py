"""The report and the leaderboard render a check's own share and section for any check that gives them
(`harness.checks.views`: `ShareColumn`, `ReportSection`), never told of it: a made-up check, patched in as the only
one with views."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from harness.checks import ClipCheck, DeclaredCheck, OwnFigures, OwnViews, ReportSection, ShareColumn
from harness.core.checks import Better, CheckDeclaration, CheckField, Pooling
from harness.report import columns, leaderboard, render
from harness.report.stats import proportion_interval
from harness.results import RunRows, read_run
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
    placed = columns._with_shares(columns._FIGURES)
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
