"""The report says what ended the failed jobs as the terminal's summary does: the same rule
(`harness.results.ended_by`), its rows escaped, and no section where no job failed."""

from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path

from harness.report.render import write_report
from harness.results import ended_by, read_run
from tests.helpers.report_runs import Model, make_run


def test_the_report_lists_what_ended_the_failed_jobs(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    make_run(db, "r", items=6, models=(Model("acme", "a", 900.0, 0.01, failure_rate=1.0),), audio=False)
    rows = read_run(db, "r")
    hostile = "<script>alert(1)</script> 404"  # a provider's answer, untrusted: shown as text
    rows = replace(
        rows, requests=tuple(replace(r, error_message=hostile) if r.outcome == "error" else r for r in rows.requests)
    )
    (seen,) = ended_by(rows)
    page = write_report(rows, tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="ended-by">') : page.index("</section>", page.index('id="ended-by"'))]
    assert (
        "What ended the failed jobs" in section and html.escape(hostile) in section and "<script>alert" not in section
    )
    assert f'<td class="n">{seen.jobs}</td>' in section and seen.jobs == 6


def test_a_run_without_failures_has_no_such_section(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    make_run(db, "ok", items=3, models=(Model("acme", "a", 900.0, 0.01),), audio=False)
    page = write_report(read_run(db, "ok"), tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert 'id="ended-by"' not in page
