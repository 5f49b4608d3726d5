"""The terminal summary's cost (issue 51): planned against billed over the run, which cost each model's is, why a
model has none (no public price is not no data), and the stale prices."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from harness.results import read_run
from harness.runner.summary.figures import summary_of
from harness.runner.summary.view import render
from tests.helpers.report_runs import Model, make_run


def _printed(db: Path, models: tuple[Model, ...]) -> str:
    make_run(db, "r", items=4, models=models, audio=False)
    console = Console(record=True, width=240)
    render(summary_of(read_run(db, "r"), 0.0), console, str(db))
    return console.export_text()


def test_planned_against_billed_and_the_stale_prices(tmp_path: Path) -> None:
    text = _printed(
        tmp_path / "runs.db",
        (
            Model("acme", "plain", 900.0, 0.01),
            Model("acme", "metered", 900.0, 0.01, billed=2.0, stale=True),
            Model("nopay", "mystery", 900.0, None),
        ),
    )
    lines = {line.split()[0]: line for line in text.splitlines() if line.strip().startswith(("acme/", "nopay/"))}
    assert "$0.0400 planned" in lines["acme/plain"]
    assert "$0.0800 billed (stale price)" in lines["acme/metered"]
    assert "no public price" in lines["nopay/mystery"]
    # the plan: 4 jobs × $0.01 for each priced model; the answers billed twice the plan for acme/metered's 4
    assert (
        "Cost: planned $0.0800 from the prices (no public price: 1 model); billed $0.0800 by the answers of 4 "
        "jobs; their plan $0.0400: the cost above is the billed one there."
    ) in " ".join(text.split())
    assert (
        "Prices marked stale or weak above (`tts-harness providers --prices` lists them): 1 price read longer "
        "ago than --price-max-age (or never dated)."
    ) in " ".join(text.split())


def test_nothing_billed_says_the_cost_is_the_plan(tmp_path: Path) -> None:
    text = " ".join(_printed(tmp_path / "runs.db", (Model("acme", "plain", 900.0, 0.01),)).split())
    assert "Cost: planned $0.0400 from the prices; no answer said what it billed: the cost above is the plan." in text
    assert "Prices marked stale" not in text


def test_bills_refused_are_not_called_unstated(tmp_path: Path) -> None:
    """An answer whose bill was refused beyond its bound did state a bill: the cost line says none was taken, in
    the words of the refused-bills line beside it, never "no answer said what it billed"."""
    from dataclasses import replace

    from harness.runner.summary.view import money_lines

    db = tmp_path / "runs.db"
    make_run(db, "r", items=4, models=(Model("acme", "plain", 900.0, 0.01),), audio=False)
    summary = replace(
        summary_of(read_run(db, "r"), 0.0),
        refused_bills=(
            "acme/plain job 1: billed 1e309 characters, beyond 10x the plan's most: the bill is refused, the planned "
            "cost is kept",
        ),
    )
    said = " ".join(money_lines(summary).lines)
    assert "no bill was taken (1 refused, below): the cost above is the plan" in said
    assert "no answer said what it billed" not in said and "Bills refused, the planned cost kept: 1 job" in said
