"""A generated report, opened in headless Chromium as a reader would: no errors, no network, charts, audio.

Needs Debian's `chromium` (installed by .ci/run). Skipped where it is absent, except under CI (CI=true),
where a missing browser is a failure: the acceptance test must never be skipped silently there.
Set TTS_HARNESS_SCREENSHOT=/some/file.png to keep the screenshot.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

from harness.report.charts import PLOT_PX
from harness.report.compare import compare_runs
from harness.report.render import write_report
from harness.results.reading import read_run
from tests.helpers import browser
from tests.helpers.default_run import DefaultRun


def _need_chromium() -> None:
    """Skip without Debian's chromium, except under CI, where its absence must fail, not hide the test."""
    if browser.chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run must apt-get install chromium")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")


@pytest.fixture(scope="module")
def opened(runs_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, Path]:
    _need_chromium()
    folder = tmp_path_factory.mktemp("report")
    rows = read_run(runs_db, "violating")
    page = write_report(rows, folder / "index.html", compare_runs(read_run(runs_db, "base"), rows))
    screenshot = folder.parent / "report.png"
    report = browser.inspect_report(page, screenshot)
    if target := os.environ.get("TTS_HARNESS_SCREENSHOT"):
        shutil.copyfile(screenshot, target)
    return page, report, screenshot


def test_no_console_errors(opened: tuple[Path, Any, Path]) -> None:
    _page, report, _shot = opened
    assert report.console_errors == []


def test_no_request_leaves_the_folder(opened: tuple[Path, Any, Path]) -> None:
    page, report, _shot = opened
    folder = page.parent.resolve()
    assert report.requests, "the browser recorded no request at all: the recorder is broken"
    for url in report.requests:
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about"):
            continue
        assert parsed.scheme == "file", url
        assert Path(unquote(parsed.path)).resolve().is_relative_to(folder), url
    assert any(url.endswith(".wav") for url in report.requests)  # the audio was fetched from beside the page


def test_every_chart_drew(opened: tuple[Path, Any, Path]) -> None:
    _page, report, _shot = opened
    assert [c["id"] for c in report.charts] == ["chart-cost-wer", "chart-latency", "chart-errors", "chart-polls"]
    assert all(c["drawn"] and c["traces"] > 0 for c in report.charts), report.charts


def test_every_audio_element_loads_with_a_duration(opened: tuple[Path, Any, Path]) -> None:
    _page, report, _shot = opened
    assert len(report.audio) == len(list((opened[0].parent / "audio").iterdir())) > 0
    broken = [a for a in report.audio if a["error"] is not None or not a["duration"] or a["duration"] <= 0]
    assert broken == []


def test_leaderboard_cells_are_rendered(opened: tuple[Path, Any, Path]) -> None:
    _page, report, _shot = opened
    cells = {c["key"]: c for c in report.leaderboard_cells}
    assert cells["pixazo/xtts-v2:success"]["text"].startswith("100.0%")
    value, interval = cells["pixelapi/voice-design:latency_ms.p50"]["text"].split("\n")
    assert value.endswith(" s") and "–" in interval and interval.endswith(" s")  # the interval is shown


def test_screenshot_was_saved(opened: tuple[Path, Any, Path]) -> None:
    _page, _report, shot = opened
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000


# --- the README's run, as a newcomer first sees it: a laptop window 1,400 px wide -------------------------

LAPTOP_WIDTH = 1400


@pytest.fixture(scope="module")
def default_page(default_run: DefaultRun, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, Path]:
    _need_chromium()
    page = default_run.report
    screenshot = tmp_path_factory.mktemp("default-report") / "report-1400.png"
    report = browser.inspect_report(page, screenshot, width=LAPTOP_WIDTH, height=900)
    if target := os.environ.get("TTS_HARNESS_SCREENSHOT_DEFAULT"):
        shutil.copyfile(screenshot, target)
    return page, report, screenshot


def test_the_default_report_raises_no_false_conformance_flag(
    default_page: tuple[Path, Any, Path], default_run: DefaultRun
) -> None:
    """The sandbox speaks what it declares: a stream's transport type (text/event-stream) is not compared with
    its audio, so no clip of the default run is flagged media_type_mismatch, kokoro-stream's included."""
    page, report, _shot = default_page
    assert report.console_errors == []
    html = page.read_text(encoding="utf-8")
    assert "media_type_mismatch" not in html
    with sqlite3.connect(default_run.db) as db:
        streamed = db.execute("SELECT declared_media_type FROM jobs WHERE model = 'kokoro-stream'").fetchall()
        flagged = db.execute("SELECT findings_json FROM scores WHERE findings_json LIKE '%mismatch%'").fetchall()
    assert streamed and all(declared is None for (declared,) in streamed)
    assert flagged == []


def test_every_default_column_fits_a_laptop_window_and_the_rest_are_reachable(
    default_page: tuple[Path, Any, Path],
) -> None:
    _page, report, _shot = default_page
    layout = report.layout
    assert layout["viewport"] == LAPTOP_WIDTH and layout["toggle"] and layout["sticky_first"]
    before, after = layout["before"], layout["after"]
    shown = [c for c in before["columns"] if c["shown"]]
    assert len(shown) >= 10 and all(c["right"] <= LAPTOP_WIDTH for c in shown), shown  # no scrolling needed
    assert before["scroll_width"] <= before["client_width"]
    hidden = {c["text"] for c in before["columns"] if not c["shown"]}
    assert hidden and all(c["shown"] for c in after["columns"])  # the toggle shows every column
    assert after["overflow_x"] == "auto"  # beyond the window, the table scrolls; the model's name stays put
    assert {c["text"] for c in after["columns"]} == {c["text"] for c in before["columns"]}


def test_every_column_is_explained_in_place(default_page: tuple[Path, Any, Path]) -> None:
    _page, report, _shot = default_page
    columns = report.layout["before"]["columns"]
    assert [c["text"] for c in columns if len(c["title"]) < 20] == []  # a tooltip that says something
    assert [c["text"] for c in columns] == report.layout["legend"]  # and a legend line under the table
    for heading in ("± job", "heard p50", "TTFA p50", "WER pooled"):
        assert heading in report.layout["legend"]


# --- the README's run as a reader uses it: 130 models sorted, filtered, shortlisted; every chart label apart -----

ORDER_JS = """[...document.querySelectorAll('#leaderboard table.board tbody tr')].filter(r => !r.hidden).map(r => ({
  entry: r.dataset.entry, sort: r.cells[%d].dataset.sort}))"""
COLUMN_JS = "[...document.querySelectorAll('#leaderboard table.board thead th')].map(th => th.dataset.column)"
SORTED_JS = (
    "[...document.querySelectorAll('#leaderboard table.board thead th[aria-sort]')].map(th => "
    "[th.dataset.column, th.getAttribute('aria-sort')])"
)
SHORTLIST_JS = """({rule: document.querySelector('#shortlist p.rule').innerText,
  first: document.querySelector('#shortlist').previousElementSibling === null
         || document.querySelector('#shortlist').compareDocumentPosition(document.querySelector('#leaderboard')) === 4,
  rows: [...document.querySelectorAll('#shortlist tbody tr')].map(r => ({entry: r.dataset.shortlist,
         success: r.dataset.success, text: r.cells[0].innerText}))})"""


def _choose(select: str, value: str) -> str:
    """Pick an option of a filter as a reader's choice does: the value, then the change event."""
    return (
        f"(() => {{ const s = document.querySelector({select!r}); s.value = {value!r}; "
        "s.dispatchEvent(new Event('change')); return document.getElementById('board-count').innerText; })()"
    )


@pytest.fixture(scope="module")
def driven(default_run: DefaultRun, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The README run's report, driven once: headings clicked, filters chosen, the shortlist and every chart's
    labels read, the charts screenshotted (TTS_HARNESS_SCREENSHOT_CHARTS=/some/file.png keeps the picture)."""
    _need_chromium()
    folder = tmp_path_factory.mktemp("driven")
    seen: dict[str, Any] = {
        "board": json.loads(
            default_run.report.read_text(encoding="utf-8")
            .split('<script type="application/json" id="leaderboard-data">', 1)[1]
            .split("</script>", 1)[0]
        )
    }
    with browser.opened_report(default_run.report, width=LAPTOP_WIDTH, height=900) as page:
        columns = page.evaluate(COLUMN_JS)
        p50, success = columns.index("p50"), columns.index("success")
        seen["before"] = page.evaluate(ORDER_JS % p50)
        page.click('#leaderboard th[data-column="p50"]')
        seen["p50 once"], seen["sorted once"] = page.evaluate(ORDER_JS % p50), page.evaluate(SORTED_JS)
        page.click('#leaderboard th[data-column="p50"]')
        seen["p50 twice"], seen["sorted twice"] = page.evaluate(ORDER_JS % p50), page.evaluate(SORTED_JS)
        page.click('#leaderboard th[data-column="success"]')
        seen["success once"] = page.evaluate(ORDER_JS % success)
        provider = sorted({e["provider"] for e in seen["board"]["entries"]})[0]
        seen["provider"] = provider
        seen["provider count"] = page.evaluate(_choose("#filter-provider", provider))
        seen["provider rows"] = page.evaluate(ORDER_JS % 0)
        page.evaluate(_choose("#filter-provider", ""))
        seen["socket rows"] = (page.evaluate(_choose("#filter-family", "socket")), page.evaluate(ORDER_JS % 0))
        page.evaluate(_choose("#filter-family", ""))
        seen["text rows"] = page.evaluate("""(() => { const t = document.getElementById('filter-text');
          t.value = 'KOKORO'; t.dispatchEvent(new Event('input'));
          const rows = [...document.querySelectorAll('#leaderboard tbody tr')].filter(r => !r.hidden)
            .map(r => r.dataset.entry);
          t.value = ''; t.dispatchEvent(new Event('input')); return rows; })()""")
        page.click("#filter-front")
        seen["front rows"] = page.evaluate(ORDER_JS % 0)
        page.click("#filter-front")
        seen["all rows"] = page.evaluate(ORDER_JS % 0)
        seen["shortlist"] = page.evaluate(SHORTLIST_JS)
        seen["charts"] = page.evaluate(browser.CHART_TEXT_JS)
        seen["errors"] = browser._console_errors(page.events)
        shot = page.screenshot(folder / "charts.png", "#charts")
    if target := os.environ.get("TTS_HARNESS_SCREENSHOT_CHARTS"):
        shutil.copyfile(shot, target)
    seen["screenshot"] = shot
    return seen


def _numbers(rows: list[dict[str, str]]) -> tuple[list[float], list[str]]:
    """The sort values of rows in page order: the figures, then the entries of the rows without one."""
    return [float(r["sort"]) for r in rows if r["sort"]], [r["entry"] for r in rows if not r["sort"]]


def test_clicking_a_heading_sorts_the_leaderboard_and_again_the_other_way(driven: dict[str, Any]) -> None:
    assert driven["errors"] == []
    before, once, twice = driven["before"], driven["p50 once"], driven["p50 twice"]
    assert [r["entry"] for r in before] == sorted(r["entry"] for r in before)  # alphabetical as written
    values, missing = _numbers(once)
    assert len(values) >= 10 and values == sorted(values)  # the fastest first: lower latency is better
    assert once[len(values) :] == [r for r in once if not r["sort"]]  # a model with no latency last
    assert [r["entry"] for r in once] != [r["entry"] for r in before]  # the click did reorder
    assert driven["sorted once"] == [["p50", "ascending"]] and driven["sorted twice"] == [["p50", "descending"]]
    again, missing_again = _numbers(twice)
    assert again == sorted(values, reverse=True) and set(missing_again) == set(missing)  # still last
    success = [float(r["sort"]) for r in driven["success once"] if r["sort"]]
    assert success == sorted(success, reverse=True)  # success: higher is better, so highest first


def test_the_filters_keep_the_rows_asked_for(driven: dict[str, Any]) -> None:
    entries = driven["board"]["entries"]
    mine = sorted(f"{e['provider']}/{e['model']}" for e in entries if e["provider"] == driven["provider"])
    assert sorted(r["entry"] for r in driven["provider rows"]) == mine
    assert driven["provider count"] == f"{len(mine)} of {len(entries)} models"
    front = sorted(f"{e['provider']}/{e['model']}" for e in entries if e["pareto"])
    assert front and sorted(r["entry"] for r in driven["front rows"]) == front
    count, sockets = driven["socket rows"]
    expected = sorted(f"{e['provider']}/{e['model']}" for e in entries if "socket" in e["deliveries"])
    assert len(expected) > 10 and sorted(r["entry"] for r in sockets) == expected
    assert count == f"{len(expected)} of {len(entries)} models"
    kokoro = sorted(f"{e['provider']}/{e['model']}" for e in entries if "kokoro" in e["model"].lower())
    assert kokoro and sorted(driven["text rows"]) == kokoro  # any part of the name, whatever its case
    assert len(driven["all rows"]) == len(entries)  # unticked: every row back


def test_the_shortlist_shows_the_front_its_rule_first(driven: dict[str, Any]) -> None:
    shortlist, entries = driven["shortlist"], driven["board"]["entries"]
    assert shortlist["first"] and shortlist["rule"].startswith("The shortlist is the cost/WER Pareto front")
    front = {f"{e['provider']}/{e['model']}": e for e in entries if e["pareto"]}
    assert sorted(r["entry"] for r in shortlist["rows"]) == sorted(front)
    costs = [front[r["entry"]]["cost_per_million_chars_usd"] for r in shortlist["rows"]]
    assert costs == sorted(costs)  # cheapest first
    for row in shortlist["rows"]:
        entry = front[row["entry"]]
        assert row["success"] == f"{entry['ok']}/{entry['sent']}"
        # never starred silently: a model on the front from part of its jobs says how many succeeded
        assert (f"★ {entry['ok']}/{entry['sent']} ok" in row["text"]) is (entry["ok"] < entry["sent"])


def test_no_chart_label_overlaps_another(driven: dict[str, Any]) -> None:
    charts = {chart["id"]: chart for chart in driven["charts"]}
    assert browser.overlapping_labels(list(charts.values())) == []
    # the label rule places labels on a nominal plot; a real one smaller than it (a lower plotting area: the
    # legend below takes its share) would squeeze the gaps it kept, and labels placed apart could touch
    plot = charts["chart-cost-wer"]["plot"]
    assert plot["width"] >= PLOT_PX[0] and plot["height"] >= PLOT_PX[1], (plot, PLOT_PX)
    # every model with a timed job is named on the latency chart, and the front on the cost chart
    timed = [f"{e['provider']}/{e['model']}" for e in driven["board"]["entries"] if e["latency_ms"]]
    named = {t["text"] for t in charts["chart-latency"]["texts"]}
    assert len(timed) > 50 and set(timed) <= named
    front = [f"{e['provider']}/{e['model']}" for e in driven["board"]["entries"] if e["pareto"]]
    cost_texts = " ".join(t["text"] for t in charts["chart-cost-wer"]["texts"])
    assert any(label in cost_texts for label in front)
    failed = [f"{e['provider']}/{e['model']}" for e in driven["board"]["entries"] if sum(e["errors"].values())]
    assert set(failed) <= {t["text"] for t in charts["chart-errors"]["texts"]}
    assert driven["screenshot"].read_bytes().startswith(b"\x89PNG")
