"""The summary captured to a file or a CI log reads whole (issue 61): as text, a table wider than the console is
split into tables of the columns that fit, each with the model's name, and no figure is cut (it was `12,5…`,
`ok/jo…`, `8.…`); as Markdown, pipe tables; as JSON, the figures as numbers. Any section a part of the harness adds
prints in every format (harness.runner.summary.format)."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from harness.core.quantiles import quantile
from harness.results import read_run, timed
from harness.runner.summary.checks_view import beside_headings
from harness.runner.summary.figures import Summary, summary_of
from harness.runner.summary.format import (
    FigureCell,
    Heading,
    Lines,
    SummaryFormat,
    SummaryTable,
    column_groups,
    render,
    to_markdown,
)
from harness.runner.summary.view import models_table, sections
from harness.runner.summary.view import render as render_summary
from tests.helpers.report_runs import DEFAULT_MODELS, Model, make_run

MODELS = (
    *DEFAULT_MODELS,
    Model("acme", "a-model-with-a-rather-long-name-stream", 12_500.0, 0.01, delivery="stream"),
    Model("acme", "priced-unusually", 900.0, None, failure_rate=0.5),
)


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> Summary:
    db = tmp_path_factory.mktemp("summary") / "runs.db"
    make_run(db, "wide", items=6, models=MODELS, audio=False)
    return summary_of(read_run(db, "wide"), 0.25)


def _printed(summary: Summary, width: int, form: SummaryFormat = SummaryFormat.TEXT) -> str:
    out = io.StringIO()
    render_summary(summary, Console(file=out, width=width), "runs.db", form)  # a file: no terminal, as in CI
    return out.getvalue()


@pytest.mark.parametrize("width", [80, 120, 200])
def test_captured_text_fits_its_width_and_cuts_no_figure(summary: Summary, width: int) -> None:
    text = _printed(summary, width)
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= width
    table = sections(summary, "runs.db")[0]
    assert isinstance(table, SummaryTable)
    words = text.split()
    for row in table.rows:  # every cell of the models table is printed whole, wherever its group went
        for cell in row:
            shown = cell.text if isinstance(cell, FigureCell) else cell
            assert all(word in words for word in shown.split()), (shown, width)
    groups = column_groups(table, Console(file=io.StringIO(), width=width))
    assert sorted({i for group in groups for i in group}) == list(range(len(table.headings)))
    assert all(group[0] == 0 for group in groups)  # each part names the model
    if width == 80:
        assert len(groups) > 1 and "(continued, 2 of" in text


def test_markdown_is_a_pipe_table_per_section(summary: Summary) -> None:
    text = _printed(summary, 80, SummaryFormat.MARKDOWN)
    table = sections(summary, "runs.db")[0]
    assert isinstance(table, SummaryTable)
    header = next(line for line in text.splitlines() if line.startswith("| model |"))
    assert header.count("|") == len(table.headings) + 1
    labels = {f"{m.provider}/{m.model}" for m in MODELS}
    rows = [line for line in text.splitlines() if line.split(" | ")[0].removeprefix("| ") in labels]
    assert len(rows) == len(MODELS) and all(line.count("|") == len(table.headings) + 1 for line in rows)
    assert "### Jobs by outcome" in text and "Spent $0.2500" in text and "…" not in text
    # a | inside a cell does not open a column
    escaped = to_markdown([SummaryTable("t", "t", (Heading("a", left=True), Heading("b")), (("x | y", "1"),))])
    assert "| x \\| y | 1 |" in escaped


def test_json_gives_the_figures_as_numbers(summary: Summary) -> None:
    loaded = json.loads(_printed(summary, 80, SummaryFormat.JSON))
    by_key = {section["key"]: section for section in loaded["sections"]}
    models = {row["model"]: row for row in by_key["models"]["rows"]}
    line = next(line for line in summary.lines if line.model == "xtts-v2")
    row = models["pixazo/xtts-v2"]
    assert row["latency_p50_ms"] == pytest.approx(line.e2e_p50)
    assert row["ok_jobs"] == {"ok": line.ok, "jobs": line.jobs}
    assert row["cost_usd"] == pytest.approx(line.cost_usd)
    assert by_key["money"]["spent_usd"] == 0.25 and by_key["rows"]["run_id"] == "wide"
    assert {row["class"] for row in by_key["outcomes"]["rows"]} >= {"ok"}


def test_a_section_added_by_another_part_prints_in_every_format() -> None:
    """A table the format layer has never heard of (another part's: languages, hard text by category) prints
    whole in each format."""
    added = [
        SummaryTable(
            "languages",
            "WER per language",
            (Heading("model", left=True), Heading("language", left=True), Heading("WER", "wer")),
            (("acme/x", "de", FigureCell("12.5%", 0.125)), ("acme/x", "fr", FigureCell("8.0%", 0.08))),
        ),
        Lines("saturation", ("client saturated for 62% of the run",), {"saturated_share": 0.62}),
    ]
    out = io.StringIO()
    render(added, SummaryFormat.TEXT, Console(file=out, width=60))
    assert "12.5%" in out.getvalue() and "client saturated for 62% of the run" in out.getvalue()
    assert "| acme/x | fr | 8.0% |" in to_markdown(added)
    out = io.StringIO()
    render(added, SummaryFormat.JSON, Console(file=out, width=60))
    loaded = json.loads(out.getvalue())["sections"]
    assert loaded[0]["rows"][0] == {"model": "acme/x", "language": "de", "wer": 0.125}
    assert loaded[1]["saturated_share"] == 0.62


def test_bench_run_prints_its_summary_as_json_alone_on_standard_output(tmp_path: Path) -> None:
    """`bench run --format json > summary.json`: the plan and the progress on standard error, the summary alone on
    standard output, in a process of its own (its standard output a pipe, as a CI step's is)."""
    from tests.helpers.cli_runs import in_subprocess

    done = in_subprocess(
        "bench",
        "run",
        "--providers",
        "openai",
        "--models",
        "tts-1",
        "--corpus",
        "en_read:1",
        "--no-score",
        "--no-report",
        "--out",
        "out",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = json.loads(done.stdout)
    models = next(section for section in loaded["sections"] if section["key"] == "models")
    assert [row["model"] for row in models["rows"]] == ["openai/tts-1"]
    assert "Plan of run" in done.stderr


def test_the_latency_and_stream_columns_stand_after_the_job_counts(summary: Summary) -> None:
    """The response-time check's columns (its view `placed`, after "ok_jobs") stand after every job count, skipped
    and saturated too, in their order before the check was declared; a figure declared beside "ttfa" after TTFA."""
    first = replace(summary.lines[0], skipped=1)
    # a run note's disowned jobs (the client's health: `Summary.disowned`), two of the first offering's
    disowned = (("saturated", "saturated_jobs", {f"{first.provider}/{first.model}": 2}),)
    table = models_table(replace(summary, lines=(first, *summary.lines[1:]), disowned=disowned))
    names = [heading.name for heading in table.headings]
    assert names[:7] == [
        "model",
        "ok_jobs",
        "skipped",
        "saturated_jobs",
        "latency_p50_ms",
        "latency_p95_ms",
        "latency_half_width_ms",
    ]
    beside = [heading.name for heading in beside_headings(summary.checks, "ttfa")]
    streamed = ["ttfa_p50_ms", *beside, "heard_p50_ms", "ttfa_half_width_ms", "last_audio_p50_ms", "jitter_p95_ms"]
    assert names[7 : 7 + len(streamed)] == streamed
    assert names[7 + len(streamed) : 7 + len(streamed) + 3] == ["underruns", "rtf_p50", "polls_per_job"]


def test_the_summarys_latency_is_the_checks_to_the_bit(tmp_path: Path) -> None:
    """The library's `ModelLine` and the table's JSON give the response-time check's figures, whose quantiles are
    the core's (`harness.core.quantiles`), bit for bit: one computation, not one within numpy's last bit."""
    db = tmp_path / "runs.db"
    make_run(db, "bits", items=12, models=MODELS, audio=False)
    rows = read_run(db, "bits")
    summary = summary_of(rows, 0.0)
    loaded = json.loads(_printed(summary, 200, SummaryFormat.JSON))
    models = {row["model"]: row for row in loaded["sections"][0]["rows"]}
    for line in summary.lines:
        mine = timed([r for r in rows.requests if (r.provider, r.model) == (line.provider, line.model)])
        e2e = [float(r.e2e_ms) for r in mine if r.e2e_ms is not None]
        assert (line.e2e_p50, line.e2e_p95) == (quantile(e2e, 0.5), quantile(e2e, 0.95))
        row = models[f"{line.provider}/{line.model}"]
        assert (row["latency_p50_ms"], row["latency_p95_ms"]) == (line.e2e_p50, line.e2e_p95)
        ttfa = [float(r.ttfa_ms) for r in mine if r.ttfa_ms is not None]
        assert line.ttfa_p50 == quantile(ttfa, 0.5)


def test_the_errors_that_ended_jobs_are_said_in_their_own_words(summary: Summary) -> None:
    """The summary named error classes only, and a run whose jobs all failed ended "see the errors above" with no
    error above: the commonest messages that ended jobs are now said after the outcomes, in every format, from the
    rows (each offering's jobs ended so counted)."""
    failed = {f"{line.provider}/{line.model}": line.failed for line in summary.lines if line.failed}
    assert failed and {seen.label: seen.jobs for seen in summary.ended_by} == failed  # one message an offering here
    assert all(seen.message == "job ended in ERROR" for seen in summary.ended_by)
    text = " ".join(_printed(summary, 120).split())
    assert "What ended the failed jobs (the commonest; every one in the errors table):" in text
    for label, jobs in failed.items():
        assert f"{label}, {jobs} job{'s' if jobs != 1 else ''}, " in text and ": job ended in ERROR" in text
    document = json.loads(_printed(summary, 120, SummaryFormat.JSON))
    (ended,) = [section for section in document["sections"] if section["key"] == "ended_by"]
    assert {entry["model"]: entry["jobs"] for entry in ended["ended_by"]} == failed
    quiet = replace(summary, ended_by=())
    assert "What ended" not in _printed(quiet, 120) and "What ended" not in _printed(quiet, 120, SummaryFormat.MARKDOWN)
