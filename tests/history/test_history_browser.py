"""The history page in headless Chromium at 1,400 pixels: every model's chart draws (a panel per figure, a
marker per change), nothing is fetched, no console error; the full-page screenshot is kept on request.

Needs Debian's `chromium` (installed by .ci/run); skipped where it is absent, except under CI (CI=true).
Set TTS_HARNESS_SCREENSHOT=/some/file.png to keep the screenshot.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from harness.history import analyse, read_history, write_history
from harness.results.store import Store
from tests.helpers import browser
from tests.helpers.history_runs import write_nights

WIDTH = 1400


def test_the_history_page_reads_at_1400_pixels(tmp_path: Path) -> None:
    if browser.chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run must apt-get install chromium")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    db = tmp_path / "runs.db"
    write_nights(db, seed=1, latency_step_at=20)
    write_nights(tmp_path / "swap.db", seed=2, swap_at=20, model="swapped")
    from harness.results import merge_stores

    merge_stores([tmp_path / "swap.db"], db)
    Store(db).close()
    analysis = analyse(read_history(db))
    page = write_history(analysis, "runs.db", tmp_path / "history.html")
    screenshot = tmp_path / "history.png"
    report = browser.inspect_report(page, screenshot, width=WIDTH, height=1000, full_page=True)
    assert report.console_errors == [] and [r for r in report.requests if not r.startswith("file:")] == []
    assert len(report.charts) == 2 and all(chart["drawn"] for chart in report.charts)
    # each chart's traces: one per figure, plus a marker per change found in it
    assert all(chart["traces"] >= 5 for chart in report.charts)
    assert screenshot.stat().st_size > 50_000
    keep = os.environ.get("TTS_HARNESS_SCREENSHOT")
    if keep:
        shutil.copy(screenshot, keep)
