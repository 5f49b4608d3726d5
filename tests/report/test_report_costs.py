"""The report's cost faces (issue 51): "no public price" is not "no data", every priced model is on the cost/WER
chart (billed where the answers said, planned otherwise), planned beside billed, $ per 1M characters beside $ per
hour of audio, and where each price was read, a stale one and a weak one (a reseller's page, ...) marked."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harness.report.charts import cost_wer_figure
from harness.report.leaderboard import build_leaderboard
from harness.report.render import write_report
from harness.results import read_run
from harness.results.store import Store
from tests.helpers.report_runs import Model, make_run
from tests.helpers.store_rows import insert_rows

PLANNED = Model("acme", "plain", 900.0, 0.01, weak="a reseller's page")
BILLED = Model("acme", "metered", 900.0, 0.01, billed=1.5, stale=True)
NO_PRICE = Model("nopay", "mystery", 900.0, None)


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[str, dict[str, str]] = {}
        self.prices: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "data-key" in found:
            self.cells[found["data-key"]] = found
        if "data-cost-source" in found or "data-read" in found:
            self.prices.setdefault(self._row, {}).update(found)
        if "data-price" in found:
            self._row = found["data-price"]

    _row = ""


def _skipped_job(db: Path, run_id: str) -> None:
    """A model whose only job never left (the budget refused it): no data, not no price."""
    store = Store(db)
    key = hashlib.sha256(b"skipped").hexdigest()[:24]
    insert_rows(
        store,
        "jobs",
        [
            {
                "run_id": run_id,
                "job_key": key,
                "seq": 999,
                "harness_version": "0.1.0",
                "git_revision": "abc",
                "provider": "later",
                "model": "unsent",
                "endpoint": "unsent.generate",
                "params_json": "{}",
                "params_sha256": "x",
                "corpus": "en_read",
                "corpus_version": "1",
                "item_id": "en-000",
                "language": "en",
                "text": "Hello.",
                "chars": 6,
                "repeat": 0,
                "state": "skipped",
                "outcome": "skipped",
                "error_class": "budget",
                "attempts": 0,
                "resumed": 0,
            }
        ],
    )
    store.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, _Cells]:
    folder = tmp_path_factory.mktemp("costs")
    db = folder / "runs.db"
    make_run(db, "r", items=8, models=(PLANNED, BILLED, NO_PRICE), audio=False)
    _skipped_job(db, "r")
    page = write_report(read_run(db, "r"), folder / "index.html")
    html = page.read_text(encoding="utf-8")
    cells = _Cells()
    cells.feed(html)
    return db, html, cells


def test_no_public_price_and_no_data_are_said_apart_never_the_same_dash(report: tuple[Path, str, _Cells]) -> None:
    _db, _html, cells = report
    unpriced = cells.cells["nopay/mystery:cost_per_million_chars_usd"]
    unsent = cells.cells["later/unsent:cost_per_million_chars_usd"]
    assert (unpriced["data-value"], unpriced["data-gap"]) == ("", "no public price")
    assert (unsent["data-value"], unsent["data-gap"]) == ("", "no data")
    assert cells.prices["nopay/mystery"]["data-cost-source"] == "no public price"
    assert cells.prices["later/unsent"]["data-cost-source"] == "no data"


def test_every_priced_model_is_on_the_chart_billed_where_billed(report: tuple[Path, str, _Cells]) -> None:
    db, _html, _cells = report
    board = build_leaderboard(read_run(db, "r"))
    figure = cost_wer_figure(board)
    placed = {
        name: (x, how)
        for trace in figure.data
        if trace.mode != "lines"  # every point, named on hover
        for name, x, how in zip(trace.hovertext, trace.x, trace.customdata, strict=True)
    }
    assert set(placed) == {"acme/plain", "acme/metered"}
    plain, metered = board.entry("acme", "plain"), board.entry("acme", "metered")
    assert placed["acme/plain"] == (
        pytest.approx(plain.cost_per_million_chars_usd),
        "planned, weak source: a reseller's page",
    )
    assert placed["acme/metered"] == (pytest.approx(metered.cost_per_million_chars_usd), "billed, stale price")
    assert "Not on the cost/WER chart (no public price): nopay/mystery" in board.notes
    assert "Not on the cost/WER chart (no data): later/unsent" in board.notes
    assert "Stale prices (read longer ago than the run's --price-max-age; check the source): acme/metered" in (
        board.notes
    )


def test_planned_beside_billed_and_both_rates_side_by_side(report: tuple[Path, str, _Cells]) -> None:
    db, html, cells = report
    rows = [r for r in read_run(db, "r").requests if r.model == "metered" and r.outcome == "ok"]
    planned = sum(float(r.planned_usd or 0.0) for r in rows)
    billed = sum(float(r.billed_usd or 0.0) for r in rows)
    assert billed == pytest.approx(1.5 * planned)
    assert float(cells.cells["acme/metered:price.billed_usd"]["data-value"]) == pytest.approx(billed)
    assert float(cells.cells["acme/metered:planned_billed"]["data-billed"]) == pytest.approx(billed)
    assert cells.cells["acme/plain:price.billed_usd"]["data-value"] == ""  # the answers said nothing
    chars = sum(int(r.chars or 0) for r in rows)
    seconds = sum(float(r.duration_s or 0.0) for r in rows)
    sent = [r for r in read_run(db, "r").requests if r.model == "metered" and r.outcome in ("ok", "error")]
    assert len(sent) == len(rows)  # no failures: the rates are over these jobs
    assert float(cells.cells["acme/metered:cost_per_million_chars_usd"]["data-value"]) == pytest.approx(
        billed * 1e6 / chars
    )
    assert float(cells.cells["acme/metered:cost_per_hour_usd"]["data-value"]) == pytest.approx(billed * 3600 / seconds)
    # which cost the figure is, under it
    assert re.search(r'data-cost-source="billed">billed, stale price<', html)
    assert re.search(r'data-cost-source="planned">planned<', html)


def test_each_price_says_where_and_when_it_was_read(report: tuple[Path, str, _Cells]) -> None:
    _db, html, cells = report
    metered, plain = cells.prices["acme/metered"], cells.prices["acme/plain"]
    assert (metered["data-read"], metered["data-stale"], metered["data-cost-source"]) == ("2026-01-05", "1", "billed")
    assert (plain["data-read"], plain["data-stale"], plain["data-cost-source"]) == ("2026-11-01", "0", "planned")
    section = html.split('<section id="prices">', 1)[1].split("</section>", 1)[0]
    assert "https://acme.example/pricing" in section and "pay-as-you-go" in section
    assert "2026-01-05 <b>stale</b>" in section
    assert '2026-11-01 <b class="weak" data-weak="a reseller&#39;s page">weak: a reseller&#39;s page</b>' in section
    assert (
        "Weak price sources (not the provider's own dated page; check the source): acme/plain (a reseller's page)"
        in html.replace("&#39;", "'")
    )
    board = json.loads(html.split('id="leaderboard-data">', 1)[1].split("</script>", 1)[0])
    entry = next(e for e in board["entries"] if e["model"] == "metered")
    assert entry["price"] == {
        "plan": "pay-as-you-go",
        "source": "https://acme.example/pricing",
        "read": "2026-01-05",
        "stale": True,
        "weak": None,
    }
    assert entry["cost_source"] == "billed"


def test_compare_uses_the_bill_and_says_which_cost_each_side_used(tmp_path: Path) -> None:
    from harness.report.compare import Metric, Ruling, compare_runs, render_text

    db = tmp_path / "runs.db"
    make_run(db, "base", items=12, models=(Model("acme", "metered", 900.0, 0.01),), audio=False)
    make_run(db, "new", items=12, models=(Model("acme", "metered", 900.0, 0.01, billed=2.0),), audio=False)
    comparison = compare_runs(read_run(db, "base"), read_run(db, "new"))
    (cost,) = [c for c in comparison.checks if c.metric is Metric.COST]
    # the plan is the same; what the answers billed doubled: the bill is what is compared
    assert cost.verdict is Ruling.REGRESSION and cost.change == pytest.approx(1.0)
    assert cost.details == ("cost used: BASE planned, NEW billed (a change may be the bill read, not the price)",)
    assert "cost used: BASE planned, NEW billed" in render_text(comparison)
    same = compare_runs(read_run(db, "new"), read_run(db, "new"))
    (steady,) = [c for c in same.checks if c.metric is Metric.COST]
    assert steady.verdict is Ruling.OK and steady.details == ("cost used: BASE billed, NEW billed",)
