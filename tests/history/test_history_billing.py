"""`tts-harness history` reads the bill (issue 51): its cost series use the billed cost where the answers said
and say so, and a provider that bills the newest run twice as much for the same texts fails the command, named."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from harness.history import analyse, read_history
from tests.helpers.report_runs import Model, make_run

PLAIN = Model("acme", "plain", 900.0, 0.01)  # planned only: its answers say nothing of the bill


def _metered(billed: float) -> Model:
    return Model("acme", "metered", 900.0, 0.01, billed=billed)


def _two_runs(db: Path, later_billed: float) -> None:
    """The same texts (one seed) twice; the later run's answers bill `later_billed` times the characters."""
    make_run(db, "r1", items=6, models=(_metered(1.0), PLAIN), audio=False)
    make_run(db, "r2", items=6, models=(_metered(later_billed), PLAIN), audio=False)


def test_a_provider_billing_twice_as_much_for_the_same_texts_fails_history(tmp_path: Path) -> None:
    from harness.cli import app

    db = tmp_path / "runs.db"
    _two_runs(db, later_billed=2.0)
    result = CliRunner().invoke(app, ["history", "--db", str(db), "--junit", str(tmp_path / "junit.xml")])
    assert result.exit_code == 1, result.output
    assert "The newest run was billed more for the same text" in result.output
    assert "acme/metered is dearer: billed characters for the same 6 requests" in result.output
    assert "acme/plain is dearer" not in result.output
    suite = ElementTree.parse(tmp_path / "junit.xml").getroot()
    failed = {
        (case.get("classname"), case.get("name")) for case in suite.iter("testcase") if case.find("failure") is not None
    }
    assert failed == {("acme/metered", "billed characters for the same text")}
    page = (tmp_path / "history.html").read_text(encoding="utf-8")
    assert 'data-dearer="acme/metered:characters"' in page


def test_the_same_bill_twice_passes_and_the_series_say_which_cost_they_are(tmp_path: Path) -> None:
    from harness.cli import app

    db = tmp_path / "runs.db"
    _two_runs(db, later_billed=1.0)
    result = CliRunner().invoke(app, ["history", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "billed more" not in result.output
    history = read_history(db)
    labels = {(s.model, s.key): s.label for s in history.series}
    assert labels[("metered", "cost_per_1k")] == "Cost per 1,000 characters (billed)"
    assert labels[("plain", "cost_per_1k")] == "Cost per 1,000 characters (planned)"
    assert ("plain", "billed_per_1k") not in labels  # nothing billed: no billed series
    assert not analyse(history).fails


def test_the_billed_series_doubles_with_the_bill(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    _two_runs(db, later_billed=2.0)
    history = read_history(db)
    (billed,) = [s for s in history.series if (s.model, s.key) == ("metered", "billed_per_1k")]
    before, after = billed.values
    assert after == pytest.approx(2 * before)
    (found,) = history.dearer
    assert (found.provider, found.model, found.base_run, found.new_run) == ("acme", "metered", "r1", "r2")
