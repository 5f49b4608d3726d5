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
of the share is worse (`ChangeTest.FELL`; none before: not judged).

Not yet registered (no `CHECK`): the summary's, the report's and the leaderboard's views of it still say it in
words of their own (`harness.runner.summary.markup_view`, the report's "markup honoured" column), which the counted
checks' generic views cannot yet say; `MARKUP` is the check they and `compare` and `history`'s gate read through.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from harness.checks.pooled import OfferingCheck, counted_value, offering_checks
from harness.checks.registry import ClipCheck, DeclaredCheck
from harness.core.checks import Better, ChangeRule, ChangeTest, CheckDeclaration, CheckField, FindingKind, Pooling
from harness.core.pauses_heard import TOLERANCE_MS, TOLERANCE_SHARE
from harness.results import RequestRow

BREAK_MISSED = FindingKind("break", "a break is heard as silence within max(100 ms, 25%) of the asked length, where "
                                    "it was asked (the provider's documented break or pause tag)")
READING_MISSED = FindingKind("reading", "a say-as or sub is read as the tag asks, not as its text is written")
TAG_SPOKEN = FindingKind("tag spoken", "a tag the offering is sent is never spoken aloud")

DECLARATION = CheckDeclaration(
    name="markup",
    title="Markup",
    version="1",
    doc="docs/checks.md#markup",
    fields=(
        CheckField(name="honoured", label="clips honoured", heading="honoured", unit="clips", better=Better.HIGHER,
                   pooling=Pooling.SUM,
                   meaning="The markup clips whose every break, say-as and sub was honoured and no tag spoken."),
        CheckField(name="judged", label="clips judged", unit="clips", better=Better.NEITHER, pooling=Pooling.SUM,
                   meaning="The markup clips judged (their audio could be read)."),
        CheckField(name="honoured_share", label="markup honoured", heading="share", unit="share",
                   better=Better.HIGHER, pooling=Pooling.RATIO, of=("honoured", "judged"), decimals=2,
                   key="markup_honoured_share",
                   meaning="Share of the model's `markup` corpus clips honoured: every break heard as silence "
                           "within max(100 ms, 25%) of the asked length, each say-as and sub read as asked and no "
                           "tag spoken. — where no markup clip was judged."),
        CheckField(name="break_error_p50_ms", label="break error p50", heading="break error p50 ms", unit="ms",
                   better=Better.LOWER, pooling=Pooling.EVERY_VALUE_MEDIAN, decimals=1,
                   meaning="The median |heard - asked| over every break asked of the offering's clips. — where none "
                           "was asked."),
    ),
    reads=("jobs.markup_honoured", "jobs.markup_json"),
    findings=(BREAK_MISSED, READING_MISSED, TAG_SPOKEN),
    thresholds={"tolerance_ms": TOLERANCE_MS, "tolerance_share": TOLERANCE_SHARE},
    change=ChangeRule(field="honoured_share", test=ChangeTest.FELL, relative=0.0, name="markup",
                      heading="The newest run honoured less of its markup"),
    answers_only=False,
)

# The gate's rule in `history`'s words (its JUnit case's failure), as it has said it since the rule was written.
RULE = ("An offering's markup is worse when the newest run honours a smaller share of its markup clips (every break "
        "within max(100 ms, 25%) of the asked, no tag spoken; docs/markup.md) than the run before it did "
        "(harness.checks.markup).")


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
        missed = [(BREAK_MISSED.kind, f"break {float(heard):.0f} ms of {asked} asked at {float(at):.2f} s")
                  for asked, heard, at, honoured, *_ in verdict.get("pauses", []) if not honoured]
        misread = [(READING_MISSED.kind, f"{kind} {text!r} not honoured: {said}")
                   for kind, text, said, *_ in verdict.get("readings", []) if said != "pass"]
    except (ValueError, TypeError):
        return ()
    return (*missed, *misread, *((TAG_SPOKEN.kind, f"tag spoken: {word}") for word in verdict.get("tags_spoken", [])))


def measure(request: RequestRow) -> ClipCheck:
    """A judged clip: honoured or not, each break's error and each thing not honoured; nothing for a clip not judged
    (no markup item, or its audio could not be read)."""
    if request.markup_honoured is None:
        return ClipCheck({})
    verdict = _verdict(request.markup_json)
    return ClipCheck({"honoured": 1.0 if request.markup_honoured else 0.0, "judged": 1.0}, _findings(verdict),
                     {"break_error_p50_ms": _break_errors(verdict)})


MARKUP = DeclaredCheck(DECLARATION, measure)


@dataclass(frozen=True, slots=True)
class MarkupFigures:
    """One offering's markup clips: how many were honoured (every pause within tolerance, no tag spoken) of those
    judged, and the median |heard - asked| over the pauses asked (None: none asked)."""

    provider: str
    model: str
    honoured: int
    judged: int
    break_error_p50_ms: float | None

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model}"

    @property
    def share(self) -> float:
        return self.honoured / self.judged

    def to_json(self) -> dict[str, Any]:
        return {"provider": self.provider, "model": self.model, "honoured": self.honoured, "judged": self.judged,
                "honoured_share": round(self.share, 4), "break_error_p50_ms": self.break_error_p50_ms}


def _figures(offering: OfferingCheck) -> MarkupFigures:
    error = counted_value(offering, "break_error_p50_ms")
    return MarkupFigures(offering.provider, offering.model, round(counted_value(offering, "honoured") or 0.0),
                         round(counted_value(offering, "judged") or 0.0), None if error is None else round(error, 1))


def markup_figures(requests: Sequence[RequestRow]) -> tuple[MarkupFigures, ...]:
    """Per offering with a judged markup clip, in the order the rows first met them; none for a run without a markup
    corpus."""
    found = sorted(offering_checks(requests, [MARKUP]), key=lambda one: one.first)
    return tuple(_figures(one) for one in found)


def markup_fell(before: MarkupFigures | None, after: MarkupFigures) -> bool:
    """The check's rule: NEW's share below the run before's (none before: not judged)."""
    rule = DECLARATION.change
    assert rule is not None
    return rule.worse(None if before is None else before.share, after.share)


@dataclass(frozen=True, slots=True, kw_only=True)
class MarkupFell:
    """An offering whose newest run's markup honoured share is below its run before's."""

    provider: str
    model: str
    run_id: str
    now: tuple[int, int]  # (honoured, judged) in the newest run
    before: tuple[int, int]
    before_run: str

    def describe(self) -> str:
        return (f"{self.provider}/{self.model}: markup honoured {self.now[0]}/{self.now[1]} in run {self.run_id}, "
                f"{self.before[0]}/{self.before[1]} in run {self.before_run}")
