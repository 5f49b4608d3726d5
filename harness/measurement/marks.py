"""A clip's (or an offering's) timing-mark figures (issue 65): the onset error of the provider's word marks against
where the harness's aligner hears each word, median and p95 in ms with their order-statistic intervals
(`harness.measurement.sample_intervals`: none where too few words hold one), and coverage.

The pairing of marks with heard words and the invariants are the core's (`harness.core.timing_marks`: `judge_marks`,
the one verdict the contract suite gives too); this module adds the onset error and turns pairs into figures. The
aligner's own error on known truth (docs/measurements.md, benchmarks/perf/aligner_error.py) is the floor these figures
cannot go under: a provider whose marks are true shows about the aligner's error, not zero.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from harness.core.protocols.cancel import cut_by_cancel, spoken_before_cancel
from harness.core.timing_marks import (
    MarksAnswer,
    TimingMark,
    as_words,
    coverage,
    judge_marks,
    onset_finding,
    paired_onsets,
)
from harness.measurement.sample_intervals import quantile_interval_exact
from harness.results import JobRow, RequestRow


@dataclass(frozen=True, slots=True)
class OnsetFigures:
    """Median and p95 onset error (ms), each (value, low, high) of its 95% interval (NaN bounds where too few words
    hold one: a median under six, a p95 under about ninety), over
    `words` paired marks; `coverage` words marked / words sent (None: nothing sent)."""

    median_ms: tuple[float, float, float]
    p95_ms: tuple[float, float, float]
    words: int
    coverage: float | None


def onset_figures(pairs: Sequence[tuple[float, float]], coverage: float | None) -> OnsetFigures | None:
    """The figures of (mark start, heard start) pairs in seconds; None where no word was paired (no figure, never 0)."""
    if not pairs:
        return None
    errors = np.abs(np.array([mark - heard for mark, heard in pairs], dtype=np.float64)) * 1000.0
    median = quantile_interval_exact(errors, 0.5)
    p95 = quantile_interval_exact(errors, 0.95)
    return OnsetFigures(median[:3], p95[:3], len(pairs), coverage)


#: The onset limit of heard words stored with none of their own (`heard_words` without "onset_limit_ms"): those were
#: placed before the aligner recorded its limit (issue 81), all by tiny.en, judged at its 120 ms then; each aligner's
#: own limit is declared beside it (`harness.scoring`: `ReferenceAligner.onset_limit_ms`, 60 ms) and stored with
#: the words it hears, so a stored run keeps its figures and a new one is held to its aligner's yardstick.
UNRECORDED_ONSET_LIMIT_MS = 120.0
WORST = 5  # the worst words of a clip kept for the report
#: What heard words stored with no statement of their own aligner's error stand beside: tiny.en's, for the same
#: reason as `UNRECORDED_ONSET_LIMIT_MS` (each aligner's statement is declared beside it, `harness.scoring`).
UNRECORDED_OWN_ERROR = "the aligner's own onset error (tiny.en, on known truth): median 60–64 ms, p95 273–375 ms"
#: The summary's line where no aligner heard a run's words (not scored): no onset figure, so no error beside one.
NOT_HEARD = "no aligner heard the words (the run not scored): no onset error"


def _loaded(raw: Any) -> dict[str, Any] | None:
    try:
        found = json.loads(str(raw)) if raw else None
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def onset_limit_ms(heard: dict[str, Any] | None) -> float:
    """The onset limit the aligner that placed the heard words declared, as stored with them (a figure that is no
    positive number, or none: `UNRECORDED_ONSET_LIMIT_MS`, the limit of the aligner that wrote such evidence)."""
    found = (heard or {}).get("onset_limit_ms")
    if isinstance(found, bool) or not isinstance(found, int | float) or not 0 < found < float("inf"):
        return UNRECORDED_ONSET_LIMIT_MS
    return float(found)


def marks_columns(job: JobRow) -> dict[str, Any]:
    """One stored job's marks figures and findings, from its evidence (`timing_marks`: the provider's marks as read;
    `heard_words`: where the aligner heard each sent word; `text`: what was sent); none for an answer without marks."""
    evidence = _loaded(job.timing_marks)
    if evidence is None:
        return {}
    chars = bool(evidence.get("chars"))
    marks = tuple(
        TimingMark(text=str(m[0]), start_s=float(m[1]), end_s=float(m[2]), part=int(m[3]))
        for m in evidence.get("marks") or ()
        if isinstance(m, list) and len(m) == 4
    )
    sent, duration = job.text, evidence.get("duration_s")
    cancelled = cut_by_cancel(job.cancel_verdict)
    if cancelled and sent:  # issue 79: a cancelled utterance is judged up to its cancel, with no bound at its end
        sent, duration = spoken_before_cancel(marks, sent, chars=chars), None
    # The one verdict the contract suite gives too (`judge_marks`); the onset error, which needs the aligner, here.
    findings = list(
        judge_marks(
            MarksAnswer(
                marks=marks,
                duration_s=duration,
                sent=sent or "",
                chars=chars,
                problems=tuple(str(line) for line in evidence.get("problems") or ()),
                advertised=bool(evidence.get("advertised")) and not cancelled,
            )
        )
    )
    words = as_words(marks) if chars else marks
    heard = _loaded(job.heard_words)
    placed = [(str(w[0]), None if w[1] is None else float(w[1])) for w in (heard or {}).get("words") or ()]
    pairs = paired_onsets(words, placed) if placed else []
    figures = onset_figures(pairs, coverage(marks, sent, chars=chars) if marks else (0.0 if sent else None))
    if (onset := onset_finding(pairs, onset_limit_ms(heard))) is not None:
        findings.append(onset)
    errors = [abs(mark - at) * 1000.0 for mark, at in pairs]
    named = {w.start_s: w.text for w in words}
    worst = sorted(
        ((named.get(mark, ""), round(mark, 3), round(at, 3), round(abs(mark - at) * 1000.0, 1)) for mark, at in pairs),
        key=lambda w: -w[3],
    )[:WORST]
    # named where the evidence names it; evidence from before aligners named themselves keeps its figures as stored
    named_aligner = {"aligner": str(heard["own_error"])} if heard and heard.get("own_error") else {}
    return {
        "marks_p50_ms": None if figures is None else round(figures.median_ms[0], 3),
        "marks_p95_ms": None if figures is None else round(figures.p95_ms[0], 3),
        "marks_coverage": (None if not sent else round(coverage(marks, sent, chars=chars) or 0.0, 4)),
        "marks_findings": len(findings),
        "marks_json": json.dumps(
            {
                **named_aligner,
                "errors_ms": [round(e, 1) for e in errors],
                "findings": [{"kind": f.kind.value, "line": f.line()} for f in findings],
                "worst": [list(w) for w in worst],
            }
        ),
    }


def run_marks_columns(jobs: Sequence[JobRow]) -> dict[str, dict[str, Any]]:
    """`job_key` → the marks columns, for every job whose answer carried marks evidence."""
    return {job.job_key: columns for job in jobs if (columns := marks_columns(job))}


@dataclass(frozen=True, slots=True, kw_only=True)
class OfferingMarks:
    """One offering's marks over a run: its answers with marks, the onset figures of every paired word pooled (with
    intervals), the mean coverage, and the invariants' findings by kind (each with one example line)."""

    provider: str
    model: str
    answers: int
    figures: OnsetFigures | None  # None: no word paired (no figure, never 0)
    coverage: float | None  # mean words marked / words sent
    findings: dict[str, int]
    examples: dict[str, str]
    aligners: tuple[str, ...] = ()  # the own error of each aligner that heard its words (`aligner_of`)

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model}"

    @property
    def total(self) -> int:
        return sum(self.findings.values())


def worse_kinds(before: OfferingMarks | None, after: OfferingMarks) -> tuple[str, ...]:
    """The kinds of marks finding `after` has and `before` had not (before None: no earlier marks, every kind new):
    the one rule by which an offering's marks got worse (`compare`, `history`). A finding is deterministic, not
    noise: no series of runs needed."""
    return tuple(sorted(set(after.findings) - (set(before.findings) if before is not None else set())))


def aligner_of(found: dict[str, Any]) -> str | None:
    """The own-error statement of the aligner that heard an answer's words, from its stored `marks_json`: as named
    there; where it names none, tiny.en's if it holds onset errors (heard words stored before aligners named
    themselves: `UNRECORDED_OWN_ERROR`), else none (no aligner heard them)."""
    if found.get("aligner"):
        return str(found["aligner"])
    return UNRECORDED_OWN_ERROR if found.get("errors_ms") else None


def offering_marks(requests: Sequence[RequestRow]) -> tuple[OfferingMarks, ...]:
    """Per offering whose answers carried marks (their stored `marks_json`, `marks_coverage`), in the rows' order;
    none for a run without marks."""
    by_model: dict[tuple[str, str], dict[str, Any]] = {}
    for request in requests:
        found = _loaded(request.marks_json)
        if found is None:
            continue
        one = by_model.setdefault(
            (request.provider, request.model),
            {"answers": 0, "errors": [], "coverage": [], "findings": {}, "examples": {}, "aligners": {}},
        )
        one["answers"] += 1
        if (aligner := aligner_of(found)) is not None:
            one["aligners"][aligner] = None  # a dict: the statements in the order first met, each once
        one["errors"] += [float(e) for e in found.get("errors_ms") or ()]
        if request.marks_coverage is not None:
            one["coverage"].append(request.marks_coverage)
        for finding in found.get("findings") or ():
            kind = str(finding.get("kind"))
            one["findings"][kind] = one["findings"].get(kind, 0) + 1
            one["examples"].setdefault(kind, str(finding.get("line")))
    return tuple(
        OfferingMarks(
            provider=provider,
            model=model,
            answers=v["answers"],
            figures=_pooled(v["errors"], v["coverage"]),
            coverage=float(np.mean(v["coverage"])) if v["coverage"] else None,
            findings=v["findings"],
            examples=v["examples"],
            aligners=tuple(v["aligners"]),
        )
        for (provider, model), v in by_model.items()
    )


def _pooled(errors_ms: Sequence[float], coverages: Sequence[float]) -> OnsetFigures | None:
    # The errors are absolute already: pairs (error, 0) give them back as they are.
    return onset_figures([(e / 1000.0, 0.0) for e in errors_ms], float(np.mean(coverages)) if coverages else None)
