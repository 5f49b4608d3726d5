"""Judge one hard span in a spoken-form transcript: pass, fail with its error type, or unsure.

Word error rate over a normalised sentence cannot tell a provider's misreading from the ASR's or the
normaliser's (a year read digit by digit comes back as the year and scores 0). So a hard-text clip is judged
on its span alone, as heard:

1. The transcript (from spoken-form decoding, `harness.scoring.asr.spoken`) is split into words the way the
   carrier is: lowercase, punctuation and hyphens dropped, and a dot Whisper writes between two words
   ("example.com") read back as "dot". Nothing else is normalised: the span is compared as heard.
2. The carrier words before and after the span are aligned to the transcript: every split (a, b) of the
   transcript costs the edit distance of the words before the span to ``words[:a]`` plus that of the words
   after it to ``words[b:]`` (a similar word, "cost" for "costs", counts half). The splits of least cost are
   the candidates for the span, ``words[a:b]``: a misheard or dropped carrier word next to the span leaves
   several, and each is judged.
3. A candidate that is an accepted reading passes; one that is a known misreading fails with its error
   type. Failing that, the readings are compared without word breaks ("o clock" and "oclock") where that is
   not ambiguous. Anything else is unsure: neither right nor a known wrong, kept apart with its transcript
   and never counted as a failure. So is a transcript whose carrier is too far from the sentence to anchor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

from harness.core.hard_text import HardText, carrier_words

# A carrier this far from the transcript (edits per carrier word, past one edit) anchors nothing.
MAX_CARRIER_EDITS = 0.4
_SIMILAR = 0.6  # SequenceMatcher ratio above which a substitution is a mishearing of the same word
_WRITTEN_DOT = re.compile(r"(?<=[^\W\d_]{2})\.(?=[^\W\d_]{2})")


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNSURE = "unsure"


@dataclass(frozen=True, slots=True)
class SpanJudgement:
    """What was heard for the span, and what it means. ``error`` names the misreading on a fail; ``reason``
    says why a judgement is unsure."""

    verdict: Verdict
    heard: str
    error: str | None = None
    reason: str | None = None


def transcript_words(transcript: str) -> list[str]:
    """The transcript's words as the carrier's are split (`harness.core.hard_text.carrier_words`)."""
    text = transcript.replace("\u2019", "'")
    return carrier_words(_WRITTEN_DOT.sub(" dot ", text))


def judge_span(hard: HardText, transcript: str) -> SpanJudgement:
    """Judge the span of ``hard`` in a transcript of its sentence (as written or as its control)."""
    before, after = (carrier_words(side) for side in hard.carrier())
    words = transcript_words(transcript)
    cost, splits = _anchor(before, after, words)
    if cost > 1 + MAX_CARRIER_EDITS * (len(before) + len(after)):
        return SpanJudgement(Verdict.UNSURE, "", reason="the carrier words were not found in the transcript")
    candidates = [tuple(words[a:b]) for a, b in splits]
    for heard in candidates:
        if hard.accepts(heard):
            return SpanJudgement(Verdict.PASS, " ".join(heard))
    for heard in candidates:
        if errors := hard.misread_as(heard):
            return SpanJudgement(Verdict.FAIL, " ".join(heard), error=errors[0])
    # Without word breaks ("o clock", "oclock"), where that cannot confuse a right reading with a wrong one.
    for heard in candidates:
        right, errors = hard.accepts(heard, joined=True), hard.misread_as(heard, joined=True)
        if right and not errors:
            return SpanJudgement(Verdict.PASS, " ".join(heard))
        if len(errors) == 1 and not right:
            return SpanJudgement(Verdict.FAIL, " ".join(heard), error=errors[0])
    return SpanJudgement(Verdict.UNSURE, " ".join(candidates[0]),
                         reason="neither an accepted reading nor a known misreading")


def _anchor(before: list[str], after: list[str], words: list[str]) -> tuple[float, list[tuple[int, int]]]:
    """The least alignment cost of the carrier and every split (a, b) of ``words`` that reaches it, the
    splits whose carrier takes the most words first (a misheard neighbour is more often a substitution)."""
    left = _prefix_costs(before, words)
    right = _prefix_costs(after[::-1], words[::-1])[::-1]  # right[b]: `after` against words[b:]
    best = min(left[a] + right[b] for a in range(len(words) + 1) for b in range(a, len(words) + 1))
    splits = [
        (a, b)
        for a in range(len(words) + 1)
        for b in range(a, len(words) + 1)
        if left[a] + right[b] <= best + 1e-9
    ]
    splits.sort(key=lambda split: split[1] - split[0])
    return best, splits


def _prefix_costs(carrier: list[str], words: list[str]) -> list[float]:
    """costs[a]: the edit distance between ``carrier`` and ``words[:a]``, for every a."""
    previous = [float(a) for a in range(len(words) + 1)]  # no carrier word: every word inserted
    for word in carrier:
        current = [previous[0] + 1.0]
        for a, heard in enumerate(words, start=1):
            current.append(min(previous[a] + 1.0, current[a - 1] + 1.0, previous[a - 1] + _substitution(word, heard)))
        previous = current
    return previous


def _substitution(said: str, heard: str) -> float:
    if said == heard:
        return 0.0
    return 0.5 if SequenceMatcher(None, said, heard).ratio() >= _SIMILAR else 1.0
