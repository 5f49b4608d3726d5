"""Make the README's picture, docs/report.png, from a real run, so it shows the report as it is.

    python docs/make_report_png.py                    # runs `tts-harness bench run` in a temporary folder
    python docs/make_report_png.py --reports DIR      # or uses the newest run of DIR/runs.db

It screenshots that run's report in headless Chromium (Debian's `chromium`) in a 1,400 × 900 window — a
laptop's — and writes the PNG with a `tts-harness-report` text chunk: the fingerprint of what draws the
page (the template, its styles, the leaderboard's columns, the charts). `tests/report/test_report_png.py`
recomputes the fingerprint and fails when the picture was made by another version of the report, so a
change to the report asks for this script to run again.
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # tests.helpers.browser: the one Chromium driver of this repository

from tests.helpers import browser  # noqa: E402

PICTURE = REPO / "docs" / "report.png"
WIDTH, HEIGHT = 1400, 900
KEYWORD = b"tts-harness-report"
DRAWN_BY = (
    "harness/report/templates/report.html.j2",
    "harness/report/templates/style.css.j2",
    "harness/report/templates/leaderboard.js.j2",
    "harness/report/columns.py",
    "harness/report/charts.py",
    "harness/report/labels.py",
)


def fingerprint() -> str:
    """The sha256 of the files that decide what the report looks like."""
    digest = hashlib.sha256()
    for name in DRAWN_BY:
        digest.update((REPO / name).read_bytes())
    return digest.hexdigest()


def with_text_chunk(png: bytes, keyword: bytes, text: str) -> bytes:
    """`png` with a tEXt chunk (keyword NUL text) after its IHDR chunk."""
    data = keyword + b"\x00" + text.encode("latin-1")
    chunk = struct.pack(">I", len(data)) + b"tEXt" + data + struct.pack(">I", zlib.crc32(b"tEXt" + data))
    ihdr_end = 8 + 4 + 4 + 13 + 4  # signature, then IHDR: length, type, 13 bytes, crc
    return png[:ihdr_end] + chunk + png[ihdr_end:]


def text_chunk(png: bytes, keyword: bytes) -> str | None:
    """The text of the tEXt chunk named `keyword`, or None."""
    at = 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        if kind == b"tEXt" and data.split(b"\x00", 1)[0] == keyword:
            return data.split(b"\x00", 1)[1].decode("latin-1")
        at += 12 + length
    return None


def newest_report(reports: Path) -> Path:
    with sqlite3.connect(reports / "runs.db") as db:
        row = db.execute("SELECT run_id FROM runs ORDER BY created_at DESC LIMIT 1").fetchone()
    if row is None:
        raise SystemExit(f"no run in {reports / 'runs.db'}")
    return reports / str(row[0]) / "index.html"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=Path, help="a folder holding runs.db (default: a fresh run)")
    parser.add_argument("--out", type=Path, default=PICTURE)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        reports = options.reports
        if reports is None:
            subprocess.run(["tts-harness", "bench", "run"], cwd=scratch, check=True)
            reports = Path(scratch) / "reports"
        shot = Path(scratch) / "shot.png"
        page = browser.inspect_report(newest_report(reports), shot, width=WIDTH, height=HEIGHT)
        if page.console_errors:
            raise SystemExit(f"the report logged errors: {page.console_errors}")
        options.out.write_bytes(with_text_chunk(shot.read_bytes(), KEYWORD, fingerprint()))
    print(f"wrote {options.out}")


if __name__ == "__main__":
    main()
