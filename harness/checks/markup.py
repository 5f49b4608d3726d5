"""Markup honoured: whether an answer to an SSML or markup item did what its tags asked — every break heard as silence
within max(100 ms, 25%) of the asked length, every say-as and sub read as asked, no tag spoken aloud — per offering,
and a fall between runs (docs/checks.md#markup, docs/markup.md).

The verdicts are judged once, after the run, by `harness.measurement.markup` (the pause rule:
`harness.core.pauses_heard`, which the contract suite's `markup` check shares) and stored on the job's row
(`jobs.markup_honoured`: 1 or 0, NULL for a clip not judged; `jobs.markup_json`: each pause asked and heard, each
reading, the tags heard). This check reads them and never judges again: a judged clip is honoured or not, an
offering's share is the clips honoured over the clips judged (a ratio of totals), and its break error the median
|heard - asked| over every break asked of its clips (a clip asks several).

A clip's verdict is what its audio did, not a sample's noise, so one run against the one before is enough: any fall
of the share is worse (`ChangeTest.FELL`; none before: not judged). Its faces say it as they did before it was
declared (a cell "2/3", the share as a percentage, a table of every offering judged): the fields' `shown`, `note`,
`column` and the declaration's `table`.
"""

from __future__ import annotations

import json
from typing import Any

from harness.checks.registry import ClipCheck, DeclaredCheck
from harness.core.checks import Better, ChangeRule, ChangeTest, CheckDeclaration, CheckField, Pooling
from harness.core.pauses_heard import TOLERANCE_MS, TOLERANCE_SHARE
from harness.core.protocols.markup import BREAK_MISSED, READING_MISSED, TAG_SPOKEN
from harness.core.protocols.markup import RULE as MARKUP_RULE
from harness.results import RequestRow

DECLARATION = CheckDeclaration(
    name="markup",
    title="Markup",
    version="1",
    doc="docs/checks.md#markup",
    fields=(
        CheckField(
            name="honoured",
            label="clips honoured",
            heading="honoured",
            unit="clips",
            better=Better.HIGHER,
            pooling=Pooling.SUM,
            shown="{honoured:.0f}/{judged:.0f}",
            meaning="The markup clips whose every break, say-as and sub was honoured and no tag spoken.",
        ),
        CheckField(
            name="judged",
            label="clips judged",
            unit="clips",
            better=Better.NEITHER,
            pooling=Pooling.SUM,
            in_json=True,
            meaning="The markup clips judged (their audio could be read).",
        ),
        CheckField(
            name="honoured_share",
            label="markup honoured",
            heading="share",
            unit="share",
            better=Better.HIGHER,
            pooling=Pooling.RATIO,
            of=("honoured", "judged"),
            decimals=2,
            key="markup_honoured_share",
            shown="{honoured_share:.0%}",
            json_digits=4,
            column="markup honoured",
            beside="cancel",
            note=("{honoured:.0f}/{judged:.0f} clips", "break ±{break_error_p50_ms:.0f} ms"),
            meaning="Share of the model's `markup` corpus clips honoured: every break heard as "
            "silence within max(100 ms, 25%) of the asked length and no tag spoken; under it, the clips "
            "and the median break error (docs/markup.md). — where no markup clip was judged.",
        ),
        CheckField(
            name="break_error_p50_ms",
            label="break error p50",
            heading="break error p50 ms",
            unit="ms",
            better=Better.LOWER,
            pooling=Pooling.EVERY_VALUE_MEDIAN,
            decimals=1,
            json_digits=1,
            shown="{break_error_p50_ms:,.0f}",
            meaning="The median |heard - asked| over every break asked of the offering's clips. — where none "
            "was asked.",
        ),
    ),
    reads=("jobs.markup_honoured", "jobs.markup_json"),
    findings=(BREAK_MISSED, READING_MISSED, TAG_SPOKEN),
    thresholds={"tolerance_ms": TOLERANCE_MS, "tolerance_share": TOLERANCE_SHARE},
    change=ChangeRule(
        field="honoured_share",
        test=ChangeTest.FELL,
        relative=0.0,
        name=MARKUP_RULE,
        case="markup honoured",
        statistic="markup honoured share",
        heading="The newest run honoured less of its markup",
    ),
    answers_only=False,
    said="{honoured:.0f} of {judged:.0f} clips honoured on {offerings} offering{offerings_s} (every break within "
    "max(100 ms, 25%) of the asked, each say-as and sub read as asked, no tag spoken; docs/markup.md)",
    table="Markup honoured: clips whose breaks were heard within tolerance, whose say-as and sub were read as asked "
    "and whose tags were never spoken, and the median |heard - asked| over the breaks",
)


def _verdict(raw: Any) -> dict[str, Any]:
    """The stored verdict; empty where it does not parse (a row written by another version: its share still
    counts)."""
    try:
        found = json.loads(str(raw or "{}"))
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _break_errors(verdict: dict[str, Any]) -> tuple[float, ...]:
    try:
        return tuple(abs(float(heard) - float(asked)) for asked, heard, *_ in verdict.get("pauses", []))
    except (ValueError, TypeError):
        return ()


def _findings(verdict: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Each thing not honoured, by kind, with the line the judge wrote for it."""
    try:
        missed = [
            (BREAK_MISSED.kind, f"break {float(heard):.0f} ms of {asked} asked at {float(at):.2f} s")
            for asked, heard, at, honoured, *_ in verdict.get("pauses", [])
            if not honoured
        ]
        misread = [
            (READING_MISSED.kind, f"{kind} {text!r} not honoured: {said}")
            for kind, text, said, *_ in verdict.get("readings", [])
            if said != "pass"
        ]
    except (ValueError, TypeError):
        return ()
    return (*missed, *misread, *((TAG_SPOKEN.kind, f"tag spoken: {word}") for word in verdict.get("tags_spoken", [])))


def measure(request: RequestRow) -> ClipCheck:
    """A judged clip: honoured or not, each break's error and each thing not honoured; nothing for a clip not judged
    (no markup item, or its audio could not be read)."""
    if request.markup_honoured is None:
        return ClipCheck({})
    verdict = _verdict(request.markup_json)
    return ClipCheck(
        {"honoured": 1.0 if request.markup_honoured else 0.0, "judged": 1.0},
        _findings(verdict),
        {"break_error_p50_ms": _break_errors(verdict)},
    )


CHECK = DeclaredCheck(DECLARATION, measure)
