"""The summary's seams and rate heard (`harness.runner.summary.counted_view` over the registered checks' figures,
`harness.checks.offering_checks`): a clean run is one
line; findings are counted per minute of streamed audio and by kind, a rate heard is named, and `--format json` carries
every streaming offering's figures as numbers."""

from __future__ import annotations

import json

from harness.checks import offering_checks
from harness.results import RequestRow
from harness.runner.summary.counted_view import counted_sections
from harness.runner.summary.format import Lines, SummaryTable, to_json
from tests.helpers.request_rows import request_row


def _row(model: str, findings: list[str], seconds: float = 30.0, rate: float | None = None) -> RequestRow:
    seams = {"audio_s": seconds, "findings": [{"kind": kind, "at_s": 1.0, "detail": ""} for kind in findings]}
    return request_row(
        provider="p",
        model=model,
        seam_findings=len(findings),
        seams_json=json.dumps(seams),
        heard_rate=rate,
        heard_rate_how=None
        if rate is None
        else "samples at about 24,000 Hz, declared 16,000 Hz (1.50× as long and 1.50× as low as ...)",
    )


def test_a_clean_run_is_one_line() -> None:
    rows = [_row("a", []), _row("b", []), request_row(provider="p", model="sync")]
    sections = counted_sections(offering_checks(rows))
    assert len(sections) == 1 and isinstance(sections[0], Lines)
    assert sections[0].lines == ("Seams: 0 findings in 2 streams (1.0 min of audio); every rate heard as declared.",)


def test_findings_per_minute_by_kind_and_the_rate_heard() -> None:
    rows = [_row("a", ["click", "click", "gap"]), _row("a", ["header"]), _row("b", [], rate=24000.0)]
    figures = offering_checks(rows)
    a = next(f for f in figures if f.model == "a" and f.check.name == "seams")
    assert a.figures["seam_findings"].value == 4 and a.figures["per_minute"].value == 4.0
    assert a.findings == {"click": 2, "gap": 1, "header": 1}
    sections = counted_sections(figures)
    assert isinstance(sections[1], SummaryTable) and [row[0] for row in sections[1].rows] == ["p/a", "p/b"]
    said = to_json(sections)["sections"]
    assert "Rate heard: p/b: samples at about 24,000 Hz, declared 16,000 Hz" in said[0]["lines"][1]
    offering = {o["model"]: o for o in said[0]["offerings"]}
    assert offering["a"]["per_minute"] == 4.0 and offering["b"]["rates_heard"] == {"24000": 1}
    assert said[1]["rows"][0]["click"] == 2 and said[1]["rows"][1]["rate_heard"] == "24,000 Hz in 1"
