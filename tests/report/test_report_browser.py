"""A generated report, opened in headless Chromium as a reader would: no errors, no network, charts, audio.

Needs Debian's `chromium` (installed by .ci/run). Skipped where it is absent, except under CI (CI=true),
where a missing browser is a failure: the acceptance test must never be skipped silently there.
Set TTS_HARNESS_SCREENSHOT=/some/file.png to keep the screenshot.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

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
    assert [c["id"] for c in report.charts] == ["chart-latency", "chart-cost-wer", "chart-errors", "chart-polls"]
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


def test_the_default_report_raises_no_false_conformance_flag(default_page: tuple[Path, Any, Path],
                                                             default_run: DefaultRun) -> None:
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
        default_page: tuple[Path, Any, Path]) -> None:
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
