"""The report's table of utterances shows each clip's figure of a check as the check's own view gives it (`ClipCell`,
`clip_cells`): the WER/CER check's reading of the clip, a zh clip's CER named as such, and no cell at all once the
view is taken out of the registry (the template names no check)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from harness.checks import registered
from harness.checks import registry as registry_module
from harness.report.formats import fmt
from harness.report.render import render_html
from harness.results import RunRows
from harness.results.reading import read_run
from tests.helpers.mixed_run import make_mixed_run

ROW = re.compile(r'<tr data-job="(\w+)">(.*?)</tr>', re.DOTALL)
FIGURE = re.compile(r'<td class="n">(.*?)</td>')  # in a row of the table of utterances: the check cells alone


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> RunRows:
    db = tmp_path_factory.mktemp("clip_cells") / "runs.db"
    make_mixed_run(db, "mixed")
    return read_run(db, "mixed")


def _utterances(html: str) -> tuple[str, dict[str, list[str]]]:
    """The table's heading row, and each job's check cells by its key."""
    table = html.split('<section id="utterances">', 1)[1].split("</section>", 1)[0]
    heading = table.split("<thead>", 1)[1].split("</thead>", 1)[0]
    return heading, {key: FIGURE.findall(row) for key, row in ROW.findall(table)}


def test_each_clip_shows_the_checks_reading_of_it(mixed: RunRows) -> None:
    heading, cells = _utterances(render_html(mixed, {}))
    assert "<th>reference → transcript</th><th>WER</th><th>timings</th>" in heading
    assert len(cells) == len(mixed.requests)
    for row in mixed.requests:
        rate = row.ref_length and (row.substitutions + row.deletions + row.insertions) / row.ref_length
        if row.unit == "char":  # the scorer stores no WER of a zh clip; the check reads its CER, named
            assert row.wer is None and cells[row.job_key] == [f"CER {fmt(rate, 'rate')}"]
        else:
            assert cells[row.job_key] == [fmt(rate, "rate")] == [fmt(row.wer, "rate")]


def test_without_the_view_the_table_has_no_such_column(mixed: RunRows, monkeypatch: pytest.MonkeyPatch) -> None:
    (check,) = [one for one in registered() if one.name == "word_error"]
    assert check.views is not None and check.views.clip_cell is not None
    silent = replace(check, views=replace(check.views, clip_cell=None))
    monkeypatch.setattr(
        registry_module, "registered", lambda: tuple(silent if one is check else one for one in registered())
    )
    heading, cells = _utterances(render_html(mixed, {}))
    assert "<th>reference → transcript</th><th>timings</th>" in heading and "WER" not in heading
    assert len(cells) == len(mixed.requests) and not any(cells.values())
