"""Client health as a registered check (issue 79): its declaration names the saturation rule's own constants, and a
run measured on a saturated client is named on every face through the registry (its run note), which says nothing
of it once the check's view is taken away: no face names the check of its own."""

from __future__ import annotations

import io
import json
import re
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from rich.console import Console

from harness.checks import DeclaredCheck, registered, run_notes
from harness.checks import registry as registry_module
from harness.core.client_health import RULE
from harness.history import analyse, read_history, render_history
from harness.report.compare import compare_runs, render_text
from harness.report.render import render_html
from harness.results import RunRows
from harness.results.reading import read_run
from harness.runner.summary.figures import summary_of
from harness.runner.summary.format import SummaryFormat, render
from harness.runner.summary.view import sections
from tests.helpers.history_runs import write_nights
from tests.helpers.report_runs import make_run
from tests.helpers.saturated import mark_saturated


def _check() -> DeclaredCheck:
    (check,) = [check for check in registered() if check.name == "client_health"]
    return check


def test_its_declaration_is_the_saturation_rules() -> None:
    declared = _check().declaration
    assert dict(declared.thresholds) == asdict(RULE)  # each of the rule's constants, by its own name
    assert declared.change is None  # the client is the harness's to fix: nothing of an offering to compare
    (marked,) = declared.findings
    assert marked.kind == "client-saturated" and "kept up" in marked.promise
    assert declared.key(declared.field_named("marked")) == "saturated_jobs"
    assert "jobs.client_saturated" in declared.reads and "runs.client_health_json" in declared.reads
    views = _check().views
    assert views is not None and views.run_note is not None


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunRows, RunRows, Path]:
    folder = tmp_path_factory.mktemp("client_health")
    db = folder / "runs.db"
    make_run(db, "quiet", seed=7, audio=False, items=6)
    make_run(db, "busy", seed=7, audio=False, items=6)
    mark_saturated(db, "busy", share=0.62)
    history = folder / "history.db"
    nights = write_nights(history, nights=6, seed=4)
    mark_saturated(history, nights[-1])
    return read_run(db, "quiet"), read_run(db, "busy"), history


def _faces(quiet: RunRows, busy: RunRows, history: Path) -> dict[str, str]:
    """What each face says of the busy run (the history page of nights whose newest is saturated)."""
    buffer = io.StringIO()
    render(sections(summary_of(busy, 0.0), "runs.db"), SummaryFormat.JSON, Console(file=buffer, width=400))
    summary = json.loads(buffer.getvalue())
    comparison = compare_runs(quiet, busy)
    return {
        "summary": json.dumps([s for s in summary["sections"] if s["key"] in ("client_health", "models")]),
        "report": render_html(busy, {}),
        "compare": render_text(comparison),
        "history": render_history(analyse(read_history(history)), str(history)),
    }


def test_a_saturated_run_is_named_on_every_face_through_the_registry(
    runs: tuple[RunRows, RunRows, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet, busy, history = runs
    ((_, note),) = run_notes(busy)
    assert note.named is not None and note.named.startswith("client saturated for 60% of the run")
    assert all(note.disowns(row) for row in busy.requests)
    assert run_notes(quiet)[0][1].named is None

    said = _faces(quiet, busy, history)
    assert "Client saturated for 60% of the run" in said["summary"] and '"saturated_jobs": 6' in said["summary"]
    assert 'id="client-health"' in said["report"] and said["report"].count('class="job-mark"') == 18
    assert "note: NEW: client saturated for 60% of the run" in said["compare"]
    assert "left out, the client saturated while they ran: 0 BASE and 6 NEW jobs" in said["compare"]
    assert 'id="saturated-runs"' in said["history"]

    # The same runs with the check's view taken out of the registry: every face is silent of it.
    check = _check()
    assert check.views is not None
    silent = replace(check, views=replace(check.views, run_note=None))
    monkeypatch.setattr(
        registry_module, "registered", lambda: tuple(silent if one is check else one for one in registered())
    )
    unsaid = _faces(quiet, busy, history)
    assert "saturated" not in unsaid["summary"].lower()
    assert 'id="client-health"' not in unsaid["report"] and 'class="job-mark"' not in unsaid["report"]
    assert "saturated" not in unsaid["compare"]
    assert 'id="saturated-runs"' not in unsaid["history"]


def test_the_faces_say_every_note_of_a_run_and_leave_out_what_any_disowns() -> None:
    """Two checks of a run's own measuring: each one's line said in turn, a job either disowns left out."""
    from harness.checks import RunNote, disowning, named
    from tests.helpers.request_rows import request_row

    first = RunNote(named="one line.", aside=None, section=None, disowns=lambda row: row.item_id == "a")
    second = RunNote(named=None, aside="held.", section=None, disowns=lambda row: row.item_id == "b")
    rows = [request_row(item_id=item) for item in ("a", "b", "c")]
    assert [disowning((first, second))(row) for row in rows] == [True, True, False]
    assert named((first, second)) == "one line." and named(()) is None


# The report's mark of a saturated job, in the check's words (its title escaped by the page), and the report's own
# styles of every check's warning and mark.
_MARK = (
    '<br><small class="job-mark" title="the client was saturated for 100% of this job&#39;s time: its latency (and a '
    'failure) are not the provider&#39;s">client saturated</small></td>'
)
_STYLES = (
    "p.run-note { margin: 12px 0 0; padding: 8px 12px; border-left: 4px solid var(--warn); background: #fdf3e2; }\n"
    "small.job-mark { color: var(--warn); font-weight: 600; }\n"
)


def _page(html: str) -> str:
    """The report's own words and markup, without its scripts (plotly.js and the leaderboard's JSON)."""
    return re.sub(r"<script\b.*?</script>", "", html, flags=re.DOTALL)


def test_the_report_marks_each_saturated_job_in_the_checks_words(runs: tuple[RunRows, RunRows, Path]) -> None:
    quiet, busy, _ = runs
    views = _check().views
    assert views is not None and views.run_note is not None and (report := views.run_note.report) is not None
    assert report.mark == "client saturated"
    said = render_html(busy, {})
    assert said.count(_MARK) == len(busy.requests) == 18 and _STYLES in said
    assert '<p class="run-note" id="client-health">client saturated for 60% of the run' in said
    unsaid = render_html(quiet, {})
    assert (
        _MARK not in unsaid and 'id="client-health"' not in unsaid and _STYLES in unsaid
    )  # the report's styles, nothing said


@pytest.mark.parametrize("taken", ["report", "run_note"])
def test_the_report_is_silent_of_saturation_without_the_checks_view(
    runs: tuple[RunRows, RunRows, Path], monkeypatch: pytest.MonkeyPatch, taken: str
) -> None:
    """Its report view (or its whole run note) taken out of the registry: the report names no saturation at all — no
    warning, no mark — since its template and stylesheet name none of the check's own."""
    _, busy, _ = runs
    check = _check()
    assert check.views is not None and check.views.run_note is not None
    note = None if taken == "run_note" else replace(check.views.run_note, report=None)
    silent = replace(check, views=replace(check.views, run_note=note))
    monkeypatch.setattr(
        registry_module, "registered", lambda: tuple(silent if one is check else one for one in registered())
    )
    page = _page(render_html(busy, {}))
    assert "saturat" not in page.lower() and "client-health" not in page and "client-held" not in page
