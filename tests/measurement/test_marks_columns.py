"""The marks' figures of stored rows (issue 65, step 4): a job's onset error, coverage and the invariants' findings
from its evidence columns, an offering's pooled figures, the summary's cell ("—" without marks, never 0), the
history's rule, and the sandbox's marks faults on spans. Generated rows, no run: cheap."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from harness.checks import timing_marks
from harness.core.protocols.realtime_grammar import SpokenSpan
from harness.history.checks import newest_own_worse
from harness.measurement import NOT_HEARD, UNRECORDED_ONSET_LIMIT_MS, marks_columns, offering_marks
from harness.results import JobRow, RequestRow
from harness.sandbox.stream_faults import MARKS_KINDS, broken_marks, merged_words
from harness.scoring import ONSET_LIMIT_MS
from tests.helpers.entries import bare_entry
from tests.helpers.request_rows import job_row, request_row


def marks_sections(rows: list[RequestRow]) -> list[Any]:
    """The summary's timing-marks sections of these rows, as the summary renders the check's own section."""
    from harness.runner.summary.checks_view import own_sections

    found = timing_marks.section(timing_marks.figures(rows))
    return own_sections([found] if found is not None else [])


def newest_marks_worse(runs: list[tuple[str, list[RequestRow]]]) -> tuple[Any, ...]:
    """The offerings `history`'s gate flags by the timing-marks check's rule in the newest of `runs`."""
    return newest_own_worse(runs, timing_marks.VIEWS)


def marks_cell(rows: list[RequestRow], label: str) -> Any:
    """The summary's models-table cell of the timing-marks check for the offering `label`."""
    from harness.runner.summary.view import _own_cell

    return _own_cell(
        {f"{f.provider}/{f.model}": timing_marks.models_cell(f) for f in timing_marks.figures(rows)}, label
    )


TEXT = "The old man walked slowly"
WORDS = TEXT.split()


def _row(
    shift_s: float = 0.0, marks: list[list[Any]] | None = None, problems: tuple[str, ...] = (), model: str = "m"
) -> JobRow:
    true = [[w, 0.1 + 0.4 * i, 0.4 + 0.4 * i, 0] for i, w in enumerate(WORDS)]
    given = [[w, s + shift_s, e + shift_s, p] for w, s, e, p in true] if marks is None else marks
    return job_row(
        job_key=model + str(shift_s),
        provider="p",
        model=model,
        text=TEXT,
        timing_marks=json.dumps(
            {"chars": False, "advertised": True, "duration_s": 2.1, "marks": given, "problems": list(problems)}
        ),
        heard_words=json.dumps({"model": "tiny.en", "words": [[w, 0.1 + 0.4 * i] for i, w in enumerate(WORDS)]}),
    )


def _answered(job: JobRow) -> RequestRow:
    """The job as a run's reader hands it out, with the marks columns derived from its evidence."""
    return request_row(provider=job.provider, model=job.model, **marks_columns(job))


def _kinds(columns: dict[str, Any]) -> list[str]:
    return [f["kind"] for f in json.loads(columns["marks_json"])["findings"]]


def test_true_marks_have_no_finding_and_full_coverage() -> None:
    columns = marks_columns(_row())
    assert columns["marks_p50_ms"] == 0.0 and columns["marks_coverage"] == 1.0 and columns["marks_findings"] == 0


def test_marks_off_by_more_than_the_limit_are_an_onset_finding() -> None:
    columns = marks_columns(_row(shift_s=0.2))
    assert columns["marks_p50_ms"] > ONSET_LIMIT_MS and "onset" in _kinds(columns)


def test_the_onset_limit_is_the_one_of_the_aligner_that_heard_the_words() -> None:
    """Heard words stored with their aligner's limit are judged by it; stored without one (placed by tiny.en before
    the limit was recorded), by the old 120 ms, so a stored run keeps its figures (issue 81)."""
    shift_s = (ONSET_LIMIT_MS + UNRECORDED_ONSET_LIMIT_MS) / 2 / 1000.0  # between the two limits: 90 ms
    old = _row(shift_s=shift_s)
    heard = json.loads(old.heard_words or "{}")
    new = replace(old, heard_words=json.dumps({**heard, "model": "piper-dtw", "onset_limit_ms": ONSET_LIMIT_MS}))
    assert ONSET_LIMIT_MS < marks_columns(old)["marks_p50_ms"] < UNRECORDED_ONSET_LIMIT_MS
    assert "onset" not in _kinds(marks_columns(old))
    judged = marks_columns(new)
    assert "onset" in _kinds(judged) and f"(limit {ONSET_LIMIT_MS:.0f} ms)" in judged["marks_json"]
    broken = replace(old, heard_words=json.dumps({**heard, "onset_limit_ms": "soon"}))  # no number: the old limit
    assert "onset" not in _kinds(marks_columns(broken))


def test_the_summary_states_the_own_error_of_the_aligner_that_heard_the_words() -> None:
    from harness.scoring import ReferenceAligner, WordAligner

    old = _row()
    heard = json.loads(old.heard_words or "{}")
    new = replace(old, heard_words=json.dumps({**heard, "own_error": ReferenceAligner.own_error}))
    unheard = replace(old, heard_words=None)
    for job, said in ((old, WordAligner.own_error), (new, ReferenceAligner.own_error), (unheard, NOT_HEARD)):
        lines = marks_sections([_answered(job)])[0]
        assert lines.values["aligner"] == said and said in lines.lines[0]  # type: ignore[union-attr]


def test_none_sent_is_missing_with_coverage_zero_and_no_onset_figure() -> None:
    columns = marks_columns(_row(marks=[]))
    assert _kinds(columns) == ["missing"] and columns["marks_coverage"] == 0.0 and columns["marks_p50_ms"] is None


def test_bad_input_is_one_finding_however_many_frames_said_it() -> None:
    columns = marks_columns(_row(problems=("frame 3: a time below zero (-1)", "frame 4: a time below zero (-2)")))
    lines = [f["line"] for f in json.loads(columns["marks_json"])["findings"]]
    assert lines == ["bad-input: frame 3: a time below zero (-1) (and 1 more such lines)"]


def test_a_job_without_marks_has_no_columns() -> None:
    assert marks_columns(job_row(job_key="j", text=TEXT)) == {}


def test_an_offering_pools_its_words_and_one_without_marks_shows_a_dash() -> None:
    rows = [_answered(_row()), _answered(_row(0.05))]
    (one,) = offering_marks(rows)
    assert one.answers == 2 and one.figures is not None and one.figures.words == 10 and one.coverage == 1.0
    assert marks_cell(rows, "p/m").text == "50 (100%)"
    assert marks_cell(rows, "p/other").text == "—"


def test_history_names_a_new_kind_and_not_one_seen_before() -> None:
    clean = [_answered(_row())]
    broken = [_answered(_row(marks=[]))]
    (worse,) = newest_marks_worse([("run-1", clean), ("run-2", broken)])
    assert worse.kinds == ("missing",) and "p/m" in worse.describe() and "run-1" in worse.describe()
    assert newest_marks_worse([("run-1", broken), ("run-2", broken)]) == ()
    assert newest_marks_worse([("run-1", broken), ("run-2", clean)]) == ()


def test_each_marks_fault_changes_the_spans() -> None:
    spans = (SpokenSpan("old", 1.2, 1.5), SpokenSpan("man", 1.6, 1.9))
    for kind in MARKS_KINDS:
        assert broken_marks(spans, kind, 1, 1.0) != spans or kind == "merge", kind  # words merge across chunks
    assert broken_marks(spans, "", 1, 1.0) == spans
    assert merged_words((), spans[:1], last=False) == ((), spans[:1])
    assert merged_words(spans[:1], spans[1:], last=False)[0] == (SpokenSpan("oldman", 1.2, 1.9),)


def test_the_summary_names_each_finding_with_its_offering_and_kind_and_json_carries_the_figures() -> None:
    from harness.runner.summary.format import Lines, SummaryTable

    rows = [_answered(_row()), _answered(_row(marks=[], model="n"))]
    lines, table = marks_sections(rows)
    assert isinstance(lines, Lines) and isinstance(table, SummaryTable)
    assert any("p/n: missing in 1 answer" in line for line in lines.lines), lines.lines
    assert "the aligner's own onset error" in lines.lines[0]
    by_model = {o["model"]: o for o in lines.values["offerings"]}
    assert by_model["m"]["onset_p95_ms"]["ms"] == 0.0 and by_model["n"]["onset_p95_ms"] is None
    assert by_model["n"]["coverage"] == 0.0 and by_model["n"]["findings"] == {"missing": 1}


def test_the_report_column_and_section_read_the_checks_figures() -> None:
    """The report's "marks p95" column (after "flagged", under every column) and its timing-marks section, as the
    check's figures give them; an offering without marks a dash, never 0, and no section row."""
    import types

    from harness.report.columns import COLUMNS
    from harness.report.render import _environment, fmt

    rows = [_answered(_row(0.05)), _answered(_row(marks=[], model="n"))]
    keys = [column.key for column in COLUMNS]
    assert keys.index("marks") == keys.index("flagged") + 1
    column = COLUMNS[keys.index("marks")]
    assert not column.default and not column.streaming
    figures = {f.model: f.values for f in timing_marks.figures(rows)}
    entries = [
        bare_entry(model=model, own=tuple((key, figures[model][key]) for key in timing_marks.VIEWS.report_keys))
        for model in ("m", "n")
    ]
    marked, missing = (column.cell(entry) for entry in entries)
    assert (marked.text, marked.key, marked.note) == (fmt(marked.sort, "ms"), "marks_p95_ms", "100% of words")
    assert marked.attrs == (("marks-findings", "0"),) and marked.sort == pytest.approx(50.0)
    assert (missing.text, missing.sort, missing.note) == ("—", None, "0% of words, 1 findings")
    assert column.cell(bare_entry(model="o")).text == "—"
    template = (Path(__file__).resolve().parents[2] / "harness/report/templates/report.html.j2").read_text()
    start = template.index("{% set own = namespace(marked=[]) %}")
    end = template.index("{% endif %}", template.index("</section>", template.index('<section id="marks">')))
    section = template[start : end + len("{% endif %}")]
    board = types.SimpleNamespace(entries=[*entries, bare_entry(model="o")])
    html = _environment().from_string(section).render(board=board)
    assert 'data-marks="p/m"' in html and 'data-marks="p/n"' in html and 'data-marks="p/o"' not in html
    assert "50 ms" in html and "missing 1" in html and "none" in html
