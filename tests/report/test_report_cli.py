"""The command faces: `report`, `compare`, `export` (and `contract diff`, tested with its fixtures)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
import typer
from typer.testing import CliRunner

from harness.cli.report import compare_command, export_command, report_command

app = typer.Typer()
app.command("report")(report_command)
app.command("compare")(compare_command)
app.command("export")(export_command)
runner = CliRunner()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value or "" for name, value in attrs if name in ("src", "href")]


def test_compare_exit_codes(runs_db: Path, tmp_path: Path) -> None:
    db = ["--db", str(runs_db)]
    same = runner.invoke(app, ["compare", "base", "same", *db])
    assert same.exit_code == 0, same.output
    assert "0 regressions" in same.output
    slow = runner.invoke(app, ["compare", "base", "slow", *db, "--junit", str(tmp_path / "junit.xml")])
    assert slow.exit_code == 1
    assert "REGRESSION" in slow.output and "latency p50" in slow.output
    assert int(ElementTree.parse(tmp_path / "junit.xml").getroot().get("failures", "0")) >= 3
    ungated = runner.invoke(app, ["compare", "base", "slow", *db, "--fail-on", "wer,cost"])
    assert ungated.exit_code == 0


def test_compare_json_documents_the_method(runs_db: Path) -> None:
    result = runner.invoke(app, ["compare", "base", "worse_wer", "--db", str(runs_db), "--json"])
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert "bootstrap" in document["method"]["wer"]
    assert {c["metric"] for c in document["checks"] if c["verdict"] == "regression"} == {"wer"}


def test_compare_usage_errors(runs_db: Path) -> None:
    assert runner.invoke(app, ["compare", "base", "nope", "--db", str(runs_db)]).exit_code == 2
    assert runner.invoke(app, ["compare", "base", "same", "--db", str(runs_db), "--fail-on", "vibes"]).exit_code == 2
    bad = runner.invoke(app, ["compare", "base", "same", "--db", str(runs_db), "--threshold", "latency"])
    assert bad.exit_code == 2


def test_export_then_compare_against_the_exported_baseline(runs_db: Path, tmp_path: Path) -> None:
    exported = runner.invoke(
        app, ["export", "base", "--db", str(runs_db), "--format", "json", "--out", str(tmp_path / "baseline")]
    )
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "baseline" / "requests.json").exists()
    result = runner.invoke(app, ["compare", str(tmp_path / "baseline"), "slow", "--db", str(runs_db)])
    assert result.exit_code == 1


def test_export_rejects_an_unknown_format(runs_db: Path) -> None:
    result = runner.invoke(app, ["export", "base", "--db", str(runs_db), "--format", "xlsx"])
    assert result.exit_code == 2


@pytest.mark.parametrize("with_baseline", [False, True])
def test_report_writes_index_html_beside_its_audio(runs_db: Path, tmp_path: Path, with_baseline: bool) -> None:
    out = tmp_path / "r" / "index.html"
    args = ["report", "violating", "--db", str(runs_db), "--out", str(out)]
    result = runner.invoke(app, args + (["--baseline", "base"] if with_baseline else []))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert ('id="baseline"' in html) is with_baseline
    sources = {line.split('src="', 1)[1].split('"', 1)[0] for line in html.splitlines() if "<audio" in line}
    assert sources and all((out.parent / src).is_file() for src in sources)
    # Nothing in the page's markup points outside: every src and href is relative, data: or a fragment.
    links = _Links()
    links.feed(html)
    assert links.urls and all(url.split(":", 1)[0] not in ("http", "https", "file") for url in links.urls)


def test_report_default_location(runs_db: Path) -> None:
    result = runner.invoke(app, ["report", "same", "--db", str(runs_db)])
    assert result.exit_code == 0, result.output
    assert (runs_db.parent / "same" / "index.html").is_file()


def test_report_prints_a_stored_runs_summary_in_the_format_asked(runs_db: Path, tmp_path: Path) -> None:
    """`report RUN --format json|markdown`: the summary `bench run` printed at the run's end, alone on standard
    output (the report's path on standard error); an export folder has no spending to sum: one line, exit 2."""
    done = runner.invoke(
        app, ["report", "base", "--db", str(runs_db), "--out", str(tmp_path / "r" / "index.html"), "--format", "json"]
    )
    assert done.exit_code == 0, done.output
    sections = {section["key"]: section for section in json.loads(done.stdout)["sections"]}
    assert {row["model"] for row in sections["models"]["rows"]} == {
        "pixazo/xtts-v2",
        "pixelapi/voice-design",
        "ttsai/kokoro",
    }
    assert "report written to" in done.stderr and (tmp_path / "r" / "index.html").is_file()
    markdown = runner.invoke(
        app, ["report", "base", "--db", str(runs_db), "--out", str(tmp_path / "m.html"), "--format", "markdown"]
    )
    assert markdown.exit_code == 0 and "| pixazo/xtts-v2 |" in markdown.stdout
    export = runner.invoke(
        app, ["export", "base", "--db", str(runs_db), "--format", "json", "--out", str(tmp_path / "rows")]
    )
    assert export.exit_code == 0
    refused = runner.invoke(app, ["report", str(tmp_path / "rows"), "--format", "text"])
    assert refused.exit_code == 2 and "export folder" in refused.output


def test_compare_of_two_two_item_runs_says_insufficient_data(tmp_path: Path) -> None:
    """Two runs of two items a model: every check short of data. The verdict said "0 regressions", as if the runs
    had been compared and found alike; it says they were not compared."""
    from tests.helpers.report_runs import make_run

    db = tmp_path / "runs.db"
    make_run(db, "a", items=2, audio=False)
    make_run(db, "b", seed=8, items=2, audio=False)
    done = runner.invoke(app, ["compare", "a", "b", "--db", str(db)])
    assert done.exit_code == 0, done.output
    verdict = done.output.strip().splitlines()[-1]
    assert verdict.startswith("not compared: insufficient data") and "regressions" not in verdict
    assert "contract: 0 new violation kinds" in verdict
    document = json.loads(runner.invoke(app, ["compare", "a", "b", "--db", str(db), "--json"]).output)
    assert document["compared"] is False and document["verdict"] == verdict


def test_a_comparison_with_data_still_counts_its_regressions(runs_db: Path) -> None:
    done = runner.invoke(app, ["compare", "base", "same", "--db", str(runs_db)])
    assert done.output.strip().splitlines()[-1].startswith("0 regressions in ")
    slow = runner.invoke(app, ["compare", "base", "slow", "--db", str(runs_db)])
    assert re.match(r"\d+ regressions? in ", slow.output.strip().splitlines()[-1])
