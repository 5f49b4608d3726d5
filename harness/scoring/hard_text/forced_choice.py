"""The verdict by forced choice: which of the item's readings is the clip likelier under, and by how much.

Each candidate reading of the span (`harness.scoring.hard_text.candidates`), written for the model
(`harness.scoring.hard_text.surfaces`) and put in the item's carrier, has a log-likelihood under the clip
(`harness.scoring.hard_text.listener`). The free transcript's own reading of the span, put in the same carrier
and written the same way, is the open-world reference: what the model would have said unasked.

- **pass**: the likeliest accepted reading beats every misreading by at least ``Thresholds.pass_margin`` nats;
- **fail**, with the misreading's error type: the likeliest misreading beats every accepted reading by at
  least ``Thresholds.fail_margin``;
- **other**: the free transcript's reading is none of the listed ones and beats all of them by more than
  ``Thresholds.other_margin``: something else was said, a candidate new misreading (kept with its transcript,
  counted neither way);
- **unsure**: the margin is smaller, or the two best readings sound alike (a homophone of the grammar's
  `SAME_SOUND`: "to" and "two" cannot be told apart by ear).

The margins are calibrated by the self-test (benchmarks/perf/hard_text_selftest.py) and stated in
docs/hard-text.md; every verdict row stores the margins it was judged with.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from harness.core.spoken_grammar import Reading, matches
from harness.scoring.span import Verdict


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The margins, in nats of log-likelihood (the self-test calibrates them; docs/hard-text.md states them)."""

    pass_margin: float = 2.0
    fail_margin: float = 2.0
    other_margin: float = 6.0

    def key(self) -> str:
        return f"pass>={self.pass_margin:g};fail>={self.fail_margin:g};other>{self.other_margin:g}"


@dataclass(frozen=True, slots=True)
class Scored:
    """A reading with its log-likelihood (its best writing's) and its error type (None: accepted)."""

    reading: Reading
    error: str | None
    score: float


@dataclass(frozen=True, slots=True)
class Choice:
    """The forced choice's verdict: the reading it chose, the error type on a fail, the margin between the best
    accepted reading and the best misreading (positive: the accepted one likelier), the free transcript's margin
    over the best listed reading (None where its reading is a listed one or there is none), and why it is unsure."""

    verdict: Verdict
    reading: str
    error: str | None
    margin: float
    free_margin: float | None
    reason: str | None = None


def choose(candidates: list[Scored], free: Scored | None, thresholds: Thresholds) -> Choice:
    """The verdict over scored candidates (at least one accepted reading) and the free transcript's reading."""
    accepted = max((c for c in candidates if c.error is None), key=lambda c: c.score)
    wrong = [c for c in candidates if c.error is not None]
    misread = max(wrong, key=lambda c: c.score) if wrong else None
    best = accepted if misread is None or accepted.score >= misread.score else misread
    margin = accepted.score - misread.score if misread is not None else math.inf
    free_margin = None
    if free is not None and not any(c.reading == free.reading for c in candidates):
        free_margin = free.score - best.score
        if free_margin > thresholds.other_margin:
            return Choice(Verdict.OTHER, " ".join(free.reading), None, margin, free_margin,
                          reason=f"the free transcript's {' '.join(free.reading)!r} is {free_margin:.1f} nats likelier "
                                 f"than any listed reading")
    if misread is not None and _sound_alike(accepted.reading, misread.reading):
        return Choice(Verdict.UNSURE, " ".join(best.reading), None, margin, free_margin,
                      reason=f"{' '.join(accepted.reading)!r} and {' '.join(misread.reading)!r} sound alike")
    if margin >= thresholds.pass_margin:
        return Choice(Verdict.PASS, " ".join(accepted.reading), None, margin, free_margin)
    if misread is not None and -margin >= thresholds.fail_margin:
        return Choice(Verdict.FAIL, " ".join(misread.reading), misread.error, margin, free_margin)
    return Choice(Verdict.UNSURE, " ".join(best.reading), None, margin, free_margin,
                  reason=f"{' '.join(accepted.reading)!r} and {' '.join(misread.reading if misread else ())!r} "
                         f"are {abs(margin):.1f} nats apart, within the margin")


def _sound_alike(first: Reading, second: Reading) -> bool:
    return len(first) == len(second) and matches(" ".join(first), second)
