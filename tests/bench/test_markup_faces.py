"""The markup check's faces from the stored `markup_*` columns (`harness/checks/markup.py`, read through the
registry: `harness.checks.offering_checks`): the summary's
section in `--format json` and markdown, the report's sortable column ("—" where no markup clip was judged, never
0), `compare`'s markup metric and `history`'s gate (exit 1 naming the offering whose share fell, 0 without the fall).
Made-up rows and a two-run store without audio: no run, no recogniser."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from harness.checks import OfferingCheck, offering_checks
from harness.report.columns import COLUMNS
from harness.report.compare import Check, Metric, Ruling, _counted
from harness.results import RequestRow
from harness.runner.summary.counted_view import counted_sections
from harness.runner.summary.format import to_json, to_markdown
from tests.helpers.entries import bare_entry
from tests.helpers.report_runs import Model, make_run
from tests.helpers.request_rows import request_row


def _row(model: str, honoured: int | None, *pauses: tuple[int, float]) -> RequestRow:
    verdict = None if honoured is None else json.dumps({"pauses": [[a, h, 1.0, True] for a, h in pauses]})
    return request_row(provider="p", model=model, markup_honoured=honoured, markup_json=verdict)


def markup_figures(rows: list[RequestRow]) -> tuple[OfferingCheck, ...]:
    """Each offering's markup check, as every face reads it."""
    return tuple(one for one in offering_checks(rows) if one.check.name == "markup")


def markup_sections(figures: tuple[OfferingCheck, ...]) -> list:
    return counted_sections(figures)


def _markup(base: list[RequestRow], new: list[RequestRow], who: tuple[str, str]) -> list[Check]:
    """compare's markup metric (the check's rule, by its name) for one offering."""
    return [check for check in _counted(base, new) if check.metric == "markup" and (check.provider, check.model) == who]


def test_the_summary_says_each_offerings_share_and_break_error_and_nothing_without_markup() -> None:
    assert markup_sections(markup_figures([_row("plain", None)])) == []
    rows = [_row("a", 1, (500, 520.0)), _row("a", 0, (500, 140.0)), _row("a", 1, (1000, 1000.0)), _row("b", 1)]
    figures = {f.model: f for f in markup_figures(rows)}
    said_a = figures["a"].counted_json()
    assert (said_a["honoured"], said_a["judged"], said_a["break_error_p50_ms"]) == (2, 3, 20.0)
    assert figures["b"].counted_json()["break_error_p50_ms"] is None  # no pause asked: null, never 0
    sections = markup_sections(tuple(figures.values()))
    said = to_json(sections)["sections"]
    assert {o["model"]: o["honoured_share"] for o in said[0]["offerings"]} == {"a": 0.6667, "b": 1.0}
    assert "| p/a | 2/3 | 67% | 20 |" in to_markdown(sections) and "| p/b | 1/1 | 100% | — |" in to_markdown(sections)


def test_the_report_column_sorts_by_the_share_and_dashes_where_no_markup_was_judged() -> None:
    column = next(c for c in COLUMNS if c.key == "markup")
    (found,) = markup_figures([_row("m", 1, (500, 510.0)), _row("m", 0, (500, 140.0))])
    cell = column.cell(bare_entry(checks=(found,)))
    assert (cell.sort, cell.key, cell.text) == (0.5, "markup_honoured_share", "50.0%") and "1/2 clips" in cell.note
    assert bare_entry(checks=(found,)).to_json()["markup_honoured_share"] == 0.5
    none = column.cell(bare_entry())
    assert (none.text, none.sort) == ("—", None) and bare_entry().to_json()["markup_honoured_share"] is None


def test_compare_names_a_fallen_share_and_passes_an_equal_one() -> None:
    base = [_row("m", 1, (500, 500.0)), _row("m", 1, (500, 500.0))]
    [fell] = list(_markup(base, [_row("m", 1), _row("m", 0)], ("p", "m")))  # type: ignore[arg-type]
    assert (fell.metric, fell.verdict, fell.change) == (Metric("markup"), Ruling.REGRESSION, -0.5)
    [same] = list(_markup(base, base, ("p", "m")))  # type: ignore[arg-type]
    assert same.verdict is Ruling.OK
    assert list(_markup([_row("m", None)], base, ("p", "m"))) == []  # type: ignore[arg-type]


def _judged(db: Path, run_id: str, model: str, honoured: tuple[int, ...]) -> None:
    """The run's first jobs of `model` given markup verdicts, as `benchmark.judge_markup` stores them."""
    with sqlite3.connect(db) as conn:
        keys = [
            k
            for (k,) in conn.execute(
                "SELECT job_key FROM jobs WHERE run_id = ? AND model = ? ORDER BY job_key", (run_id, model)
            )
        ][: len(honoured)]
        for key, good in zip(keys, honoured, strict=True):
            conn.execute(
                "UPDATE jobs SET markup_honoured = ?, markup_json = ? WHERE run_id = ? AND job_key = ?",
                (good, json.dumps({"pauses": [[500, 500.0 if good else 140.0, 1.0, bool(good)]]}), run_id, key),
            )


def test_history_fails_naming_the_offering_whose_share_fell_and_passes_without_the_fall(tmp_path: Path) -> None:
    from harness.cli import app

    models = (Model("acme", "ssml", 900.0, 0.01), Model("acme", "steady", 900.0, 0.01))
    db = tmp_path / "runs.db"
    make_run(db, "r1", items=2, models=models, audio=False)
    make_run(db, "r2", items=2, models=models, audio=False)
    for run_id in ("r1", "r2"):
        _judged(db, run_id, "ssml", (1, 1) if run_id == "r1" else (1, 0))
        _judged(db, run_id, "steady", (1, 1))
    fell = CliRunner().invoke(app, ["history", "--db", str(db), "--out", str(tmp_path / "fell.html")])
    assert fell.exit_code == 1, fell.output
    assert "acme/ssml: markup honoured 1/2 in run r2, 2/2 in run r1" in fell.output
    assert "acme/steady: markup" not in fell.output
    _judged(db, "r2", "ssml", (1, 1))  # the same store, the fall undone
    same = CliRunner().invoke(app, ["history", "--db", str(db), "--out", str(tmp_path / "same.html")])
    assert same.exit_code == 0, same.output
    assert "markup honoured" not in same.output
