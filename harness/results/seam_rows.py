"""A run's seams and rates heard per offering, from the jobs' stored columns (`seam_findings`, `seams_json`,
`heard_rate`, derived by `harness.measurement.audio_findings`): what the summary, `--format json` and the report read.

Seam findings are counted per minute of the streamed audio judged (a long answer has more seams), and by kind; the
rate heard is named where any answer's samples are at another rate than declared. `seams_rose` is the one rule for
"an offering's seams got worse" that `compare` and `history` both apply; `newly_misrated` the one for "its samples
are now heard at another rate than declared".
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from harness.results.run_records import RequestRow

SEAM_KINDS = ("click", "gap", "header", "first-sample")
# Seam findings are deterministic (the same audio, the same findings), so one run against the one before is enough;
# a rise is more than one finding per minute and more than half again: the sandbox's clean streams find none, and a
# seam fault finds one at every seam (tens a minute), while an answer a few seconds longer or shorter moves a handful
# of loose findings' rate by less.
ROSE_PER_MIN = 1.0
ROSE_SHARE = 0.5
SEAMS_RULE = (f"An offering's seams are worse when its seam findings per minute of streamed audio rose by more than "
              f"{ROSE_PER_MIN:g} and by more than {ROSE_SHARE:.0%} of the run before's (docs/seams.md; "
              "harness.results.seams_rose).")


@dataclass(frozen=True, slots=True, kw_only=True)
class SeamFigures:
    """One offering's streams: how many were judged, the audio minutes, the findings by kind, and the rates heard."""

    provider: str
    model: str
    streams: int = 0
    audio_min: float = 0.0
    findings: dict[str, int] = field(default_factory=dict)  # kind -> count
    rates: dict[str, int] = field(default_factory=dict)  # the rate heard ("24000") -> answers heard at it
    example: str = ""  # one such answer's finding in words (`harness.core.heard_rate.HeardRate`)

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model}"

    @property
    def total(self) -> int:
        return sum(self.findings.values())

    @property
    def per_minute(self) -> float | None:
        return self.total / self.audio_min if self.audio_min > 0 else None


def _seams(raw: Any) -> tuple[float, list[Mapping[str, Any]]]:
    try:
        found = json.loads(str(raw)) if raw else {}
    except ValueError:
        return 0.0, []
    return float(found.get("audio_s") or 0.0), list(found.get("findings") or [])


def seam_figures(requests: Sequence[RequestRow]) -> tuple[SeamFigures, ...]:
    """Per offering that streamed or had a rate judged, in the order of the rows; none for a run with neither."""
    by_model: dict[tuple[str, str], dict[str, Any]] = {}
    for row in requests:
        streamed = row.seam_findings is not None
        if not streamed and not row.heard_rate:
            continue
        key = (row.provider, row.model)
        one = by_model.setdefault(key, {"streams": 0, "audio_s": 0.0, "findings": {}, "rates": {}, "example": ""})
        if streamed:
            seconds, findings = _seams(row.seams_json)
            one["streams"] += 1
            one["audio_s"] += seconds
            for finding in findings:
                kind = str(finding.get("kind"))
                one["findings"][kind] = one["findings"].get(kind, 0) + 1
        if row.heard_rate:
            name = f"{row.heard_rate:.0f}"
            one["rates"][name] = one["rates"].get(name, 0) + 1
            one["example"] = one["example"] or str(row.heard_rate_how or "")
    return tuple(
        SeamFigures(
            provider=provider,
            model=model,
            streams=v["streams"],
            audio_min=v["audio_s"] / 60.0,
            findings=v["findings"],
            rates=v["rates"],
            example=v["example"],
        )
        for (provider, model), v in by_model.items()
    )


def seams_rose(before: SeamFigures | None, after: SeamFigures) -> bool:
    """Whether `after`'s seam findings per minute rose beyond `before`'s (None, or no streamed audio: none before)
    by more than `ROSE_PER_MIN` and `ROSE_SHARE` of it; an offering with no streamed audio now never rose."""
    now = after.per_minute
    if now is None:
        return False
    was = (before.per_minute if before is not None else None) or 0.0
    return now - was > max(ROSE_PER_MIN, ROSE_SHARE * was)


def newly_misrated(before: SeamFigures | None, after: SeamFigures) -> bool:
    """Whether `after` has answers heard at another rate than declared where `before` (its run before; None: none)
    had none: a mislabel is deterministic, like a seam finding."""
    return bool(after.rates) and not (before is not None and before.rates)
