"""Seams: where one chunk of a streamed answer meets the next, whether they join as one sound — clicks, inserted
silences, a container header inside the stream, a first sample's jump from zero — counted per minute of streamed
audio per offering (a long answer has more seams), and a rise between runs (docs/checks.md#seams, docs/seams.md).

The findings are measured once, after the run, by `harness.measurement.audio_findings` (the rule:
`harness.core.seams`, which the contract suite's `seams-<endpoint>` check shares) and stored on the job's row
(`jobs.seam_findings`: NULL for an answer that did not stream; `jobs.seams_json`: the audio judged and each finding).
This check reads them and never measures again: a stream is one clip, its findings counted by kind, the minutes of
its audio summed, and the offering's rate is the total of findings over the total of minutes (not a mean of clips'
rates: a short stream's one finding would weigh as much as a long one's).

Findings are deterministic (the same audio, the same findings), so one run against the one before is enough: a rise
is more than one finding a minute and more than half again the run before's. The sandbox's clean streams find none
and a seam fault finds one at every seam (tens a minute), while an answer a few seconds longer or shorter moves a
handful of loose findings' rate by less.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from harness.checks.registry import ClipCheck, DeclaredCheck
from harness.core.checks import Better, ChangeRule, ChangeTest, CheckDeclaration, CheckField, Pooling
from harness.core.seams import FINDINGS
from harness.core.seams import RULE as SEAMS_RULE
from harness.results import RequestRow

ROSE_PER_MIN = 1.0  # a rise of no more findings a minute than this is none
ROSE_SHARE = 0.5  # nor one of no more than this share of the run before's

DECLARATION = CheckDeclaration(
    name="seams",
    title="Seams",
    version="1",
    doc="docs/checks.md#seams",
    fields=(
        CheckField(
            name="streams",
            label="streams",
            heading="streams",
            unit="streams",
            better=Better.NEITHER,
            pooling=Pooling.SUM,
            meaning="The streamed answers judged at their seams.",
        ),
        CheckField(
            name="audio_min",
            label="streamed audio",
            heading="audio min",
            unit="min",
            better=Better.NEITHER,
            pooling=Pooling.SUM,
            decimals=2,
            meaning="Minutes of streamed audio judged at their seams.",
        ),
        CheckField(
            name="seam_findings",
            label="seam findings",
            heading="findings",
            unit="findings",
            better=Better.LOWER,
            pooling=Pooling.SUM,
            meaning="Findings at chunk boundaries: clicks, inserted silences, headers inside the stream and "
            "a first sample's jump from zero.",
        ),
        CheckField(
            name="per_minute",
            label="seam findings per minute",
            heading="per min",
            unit="a minute",
            better=Better.LOWER,
            pooling=Pooling.RATIO,
            of=("seam_findings", "audio_min"),
            decimals=1,
            streamed=True,
            beside="markup",
            key="seams_per_min",
            meaning="Seam findings per minute of streamed audio: clicks, inserted silences, a container "
            "header inside the stream and a first sample's jump from zero, where one chunk meets "
            "the next. — where nothing streamed.",
        ),
    ),
    reads=("jobs.seam_findings", "jobs.seams_json", "jobs.heard_rate"),
    findings=tuple(FINDINGS.values()),  # the rule's own words (harness.core.seams)
    thresholds={"rose_per_min": ROSE_PER_MIN, "rose_share": ROSE_SHARE},
    change=ChangeRule(
        field="per_minute",
        test=ChangeTest.ROSE,
        absolute=ROSE_PER_MIN,
        relative=ROSE_SHARE,
        name=SEAMS_RULE,
        heading="The newest run's seams are worse",
    ),
    answers_only=False,
    said="{seam_findings:.0f} finding{seam_findings_s} in {streams:.0f} streams ({audio_min:.1f} min of audio)",
)


def _judged(raw: Any) -> tuple[float, list[Mapping[str, Any]]]:
    """The seconds of audio judged and the findings, from `seams_json`; none of either where it does not parse."""
    try:
        found = json.loads(str(raw)) if raw else {}
    except ValueError:
        return 0.0, []
    return float(found.get("audio_s") or 0.0), list(found.get("findings") or [])


def measure(request: RequestRow) -> ClipCheck:
    """A streamed answer's minutes and findings by kind; nothing for an answer that did not stream (but one heard at
    another rate: an offering so heard has always been listed with its streams, none of them, beside its rate)."""
    if request.seam_findings is None:
        return ClipCheck({"streams": 0.0, "audio_min": 0.0, "seam_findings": 0.0} if request.heard_rate else {})
    seconds, findings = _judged(request.seams_json)
    return ClipCheck(
        {"streams": 1.0, "audio_min": seconds / 60.0, "seam_findings": float(len(findings))},
        tuple((str(finding.get("kind")), str(finding.get("detail") or "")) for finding in findings),
    )


CHECK = DeclaredCheck(DECLARATION, measure)
