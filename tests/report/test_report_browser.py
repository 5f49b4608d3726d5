"""A generated report, opened in headless Chromium as a reader would: no errors, no network, charts, audio.

Needs Debian's `chromium` (installed by .ci/run). Skipped where it is absent, except under CI (CI=true),
where a missing browser is a failure: the acceptance test must never be skipped silently there.
Set TTS_HARNESS_SCREENSHOT=/some/file.png to keep the screenshot.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

from harness.report.compare import compare_runs
from harness.report.render import write_report
from harness.results.reading import read_run
from tests.helpers import browser


@pytest.fixture(scope="module")
def opened(runs_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, Path]:
    if browser.chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run must apt-get install chromium")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
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
