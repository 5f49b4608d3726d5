"""The verdict by forced choice: which of the item's readings is the clip likelier under, and by how much.

Each candidate reading of the span (`harness.scoring.hard_text.candidates`), written for the model
(`harness.scoring.hard_text.surfaces`) and put in the item's carrier, has a log-likelihood under the clip
(`harness.scoring.hard_text.listener`). The free transcript's own reading of the span, put in the same carrier
and written the same way, is the open-world reference: what the model would have said unasked.

Readings are compared by their log-likelihood less a share (``Thresholds.prior_weight``) of their prior, the
likelihood of the same sentence under silence: a small model's taste in writing ("photo id", "the nineteenth
century") otherwise outweighs what it heard. The free transcript's reading is compared by raw likelihoods.

- **fail**, with the misreading's error type: the likeliest misreading beats every accepted reading by at
  least ``Thresholds.fail_margin`` nats;
- **other**: otherwise, where the free transcript's reading is none of the listed ones and beats all of them by
  more than ``Thresholds.other_margin``: something else was said, a candidate new misreading (kept with its
  transcript, counted neither way);
- **pass**: the likeliest accepted reading beats every listed misreading by at least ``Thresholds.pass_margin`` and
  every generated one by ``Thresholds.generated_margin`` (and the
  free transcript did not say otherwise: where it wrote a listed misreading word for word and no accepted reading,
  or a reading none of the listed ones that beats them all by more than ``Thresholds.pass_margin``, within the other
  margin, the clip is unsure);
- **unsure**: the margin is smaller, or the two best readings sound alike (a homophone of the grammar's
  `SAME_SOUND`: "to" and "two" cannot be told apart by ear).

The margins are calibrated by the self-test (benchmarks/perf/hard_text_selftest.py) and stated in
docs/hard-text.md; every verdict row stores the margins it was judged with.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from harness.core.hard_text import HardTextVerdict
from harness.core.hard_text.generated import GENERATED, SPOKEN_WORDS
from harness.core.hard_text.grammar import SAME_SOUND, Reading


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The margins, in nats of log-likelihood, calibrated by the self-test (benchmarks/perf/hard_text_selftest.py
    --calibrate half: the fewest wrong readings passed with at most 5% unsure, then the most categories at 0.9 on
    both rates, on the items at even places of en_hard and, apart, on those at odd places, read by Piper and Kokoro
    with tiny.en; the wider of the two folds' margins each way: docs/hard-text.md, which also says why the fail
    margin stayed 2 when the share of the prior moved to 0.4). Passing wants the wider margin: a wrong reading
    passed is the costlier mistake, and 2.5 nats passed two of them."""

    pass_margin: float = 3.0
    fail_margin: float = 2.0
    other_margin: float = 5.0
    # The share of a listed reading's prior (its likelihood under silence) taken off its likelihood before readings
    # are compared: Whisper's taste in writing ("photo id", "nineteenth century") weighs less than what it heard.
    # Calibrated before the margins (--calibrate half: the even half of en_hard's items chose 0.35, the odd 0.45;
    # their mean is kept: docs/hard-text.md).
    prior_weight: float = 0.4
    # What a pass wants over a generated misreading (`harness.core.hard_text.generated`), where a listed one wants
    # ``pass_margin``: tiny.en hears "the twenty eighth" and "the twenty eight" within 3 nats, and a generated ordinal
    # read as a cardinal made 6 of 32 right readings of dates unsure at 3 nats, 3 at 1.5, with the same 2 of 186
    # held-out wrong readings passed (Piper, en_hard's year, date and address items: docs/hard-text.md).
    generated_margin: float = 1.5

    def key(self) -> str:
        return (
            f"pass>={self.pass_margin:g};fail>={self.fail_margin:g};other>{self.other_margin:g};"
            f"prior={self.prior_weight:g}"
        ) + (f";generated>={self.generated_margin:g}" if self.generated_margin != self.pass_margin else "")


@dataclass(frozen=True, slots=True)
class Scored:
    """A reading, its error type (None: accepted) and two log-likelihoods of its best writing: ``score`` compared
    between listed readings (its prior partly taken off, `Thresholds.prior_weight`), ``raw`` as heard, compared with
    the free transcript's (whose prior is not asked: a transcript that loops would gain by it)."""

    reading: Reading
    error: str | None
    score: float
    raw: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice:
    """The forced choice's verdict: the reading it chose, the error type on a fail, the margin between the best
    accepted reading and the best misreading (positive: the accepted one likelier), the free transcript's margin
    over the best listed reading (None where its reading is a listed one or there is none), and why it is unsure."""

    verdict: HardTextVerdict
    reading: str
    error: str | None
    margin: float
    free_margin: float | None
    reason: str | None = None


@dataclass(frozen=True)
class Cleared:
    """What decides a clip whose accepted reading cleared every misreading by its margin."""

    accepted: Scored
    top: Scored | None  # the free transcript's likeliest unlisted reading, if any
    free_margin: float | None
    written_wrong: Scored | None  # a misreading the free transcript wrote word for word
    readable: bool  # the free reading is made of words written text is read as (`_of_written_text`)


def _when_clear(clear: Cleared, thresholds: Thresholds, decide: Callable[..., Choice]) -> Choice:
    """A pass, unless the free transcript vetoes it: it wrote a misreading word for word, or an unlisted reading
    likelier than the accepted one by a pass's margin."""
    accepted, top, free_margin, written_wrong = clear.accepted, clear.top, clear.free_margin, clear.written_wrong
    if written_wrong is not None:
        return decide(
            verdict=HardTextVerdict.UNSURE,
            reading=" ".join(accepted.reading),
            error=None,
            reason=f"the free transcript wrote the misreading {' '.join(written_wrong.reading)!r} "
            f"({written_wrong.error}) word for word: it vetoes the pass",
        )
    if top is not None and free_margin is not None and free_margin > thresholds.pass_margin and clear.readable:
        # Unasked, the model wrote a reading nobody listed that is likelier than the accepted one by as much as a pass
        # wants of the accepted one over a misreading: not far enough to be another reading, too far to pass (6 of 6
        # wrong readings that passed held out in a quarter of en_hard, 5 of them by more than this margin).
        return decide(
            verdict=HardTextVerdict.UNSURE,
            reading=" ".join(top.reading),
            error=None,
            reason=f"the free transcript's {' '.join(top.reading)!r} is {free_margin:.1f} nats likelier "
            f"than any listed reading: within the other margin, it vetoes the pass",
        )
    return decide(verdict=HardTextVerdict.PASS, reading=" ".join(accepted.reading), error=None)


def choose(candidates: list[Scored], free: list[Scored], thresholds: Thresholds) -> Choice:
    """The verdict over scored candidates (at least one accepted reading) and the free transcript's readings of the
    span (several where its writing reads several ways: "WWW" as a word and as letters; none where the carrier
    cannot anchor it: then the whole transcript, as one reading). Where any of them sounds like a listed reading,
    the free transcript agrees with the list and is no other reading. A misreading that beats every accepted one
    by the margin is a fail whatever the free transcript says (the accepted readings lost); the free transcript
    vetoes a pass and names what an undecided clip heard."""
    accepted = max((c for c in candidates if c.error is None), key=lambda c: c.score)
    wrong = [c for c in candidates if c.error is not None]
    misread = max(wrong, key=lambda c: c.score) if wrong else None
    best = accepted if misread is None or accepted.score >= misread.score else misread
    margin = accepted.score - misread.score if misread is not None else math.inf
    top, free_margin = _unlisted(candidates, free)
    corroborated = _wrote_only_accepted(candidates, free)
    if (
        misread is not None
        and -margin >= thresholds.fail_margin
        and not _sound_alike(accepted.reading, misread.reading)
    ):
        if not (corroborated and (misread.error or "").startswith(GENERATED)):
            return Choice(
                verdict=HardTextVerdict.FAIL,
                reading=" ".join(misread.reading),
                error=misread.error,
                margin=margin,
                free_margin=free_margin,
            )
        # A misreading the judge made up wins the forced choice, but the free transcript wrote an accepted reading
        # and not it: two opinions disagree, and the guess is not the one to fail a clip on (Kokoro's "a quarter
        # past nine A M" transcribed "a quarter past nine a.m." failed as "am" by 3.7 nats).
        return Choice(
            verdict=HardTextVerdict.UNSURE,
            reading=" ".join(misread.reading),
            error=None,
            margin=margin,
            free_margin=free_margin,
            reason=f"the generated {' '.join(misread.reading)!r} is {-margin:.1f} nats likelier, but the "
            f"free transcript wrote {' '.join(accepted.reading)!r}",
        )
    if top is not None and free_margin is not None and free_margin > thresholds.other_margin:
        return Choice(
            verdict=HardTextVerdict.OTHER,
            reading=" ".join(top.reading),
            error=None,
            margin=margin,
            free_margin=free_margin,
            reason=f"the free transcript's {' '.join(top.reading)!r} is {free_margin:.1f} nats likelier "
            f"than any listed reading",
        )
    if misread is not None and _sound_alike(accepted.reading, misread.reading):
        return Choice(
            verdict=HardTextVerdict.UNSURE,
            reading=" ".join(best.reading),
            error=None,
            margin=margin,
            free_margin=free_margin,
            reason=f"{' '.join(accepted.reading)!r} and {' '.join(misread.reading)!r} sound alike",
        )
    clears = all(
        accepted.score - c.score
        >= (thresholds.generated_margin if (c.error or "").startswith(GENERATED) else thresholds.pass_margin)
        for c in wrong
    )
    if clears:
        readable = top is not None and _of_written_text(top.reading, candidates)
        clear = Cleared(accepted, top, free_margin, _wrote_a_misreading(candidates, free), readable)
        return _when_clear(clear, thresholds, partial(Choice, margin=margin, free_margin=free_margin))
    return Choice(
        verdict=HardTextVerdict.UNSURE,
        reading=" ".join(best.reading),
        error=None,
        margin=margin,
        free_margin=free_margin,
        reason=f"{' '.join(accepted.reading)!r} and {' '.join(misread.reading if misread else ())!r} "
        f"are {abs(margin):.1f} nats apart, within the margin",
    )


def _unlisted(candidates: list[Scored], free: list[Scored]) -> tuple[Scored | None, float | None]:
    """The free transcript's likeliest reading and its margin over every listed one, where none of its readings is a
    listed one (by sound) or an accepted one looped (`_looped`); else (None, None): it agrees with the list."""
    listed = [c.reading for c in candidates]
    right = [c.reading for c in candidates if c.error is None]
    if (
        not free
        or any(_sound_alike(reading.reading, other) for reading in free for other in listed)
        or any(_looped(reading.reading, other) for reading in free for other in right)
    ):
        return None, None
    top = max(free, key=lambda scored: scored.raw)
    return top, top.raw - max(c.raw for c in candidates)


def _wrote_only_accepted(candidates: list[Scored], free: list[Scored]) -> bool:
    """Whether the free transcript wrote an accepted reading word for word (by sound) and, in no reading of its
    writing, a candidate misreading: the model, unasked, heard the right reading."""
    heard_right = any(_sound_alike(heard.reading, c.reading) for heard in free for c in candidates if c.error is None)
    return heard_right and not any(
        _sound_alike(heard.reading, c.reading) for heard in free for c in candidates if c.error is not None
    )


def _wrote_a_misreading(candidates: list[Scored], free: list[Scored]) -> Scored | None:
    """The listed misreading the free transcript wrote word for word (by sound), where it wrote no accepted reading:
    the model, unasked, heard the misreading, and a forced choice the other way is no pass (base passed "one
    thousand four hundred Elm Street" by 7.6 nats though its transcript said exactly that)."""
    if any(_sound_alike(heard.reading, c.reading) for heard in free for c in candidates if c.error is None):
        return None
    # A misreading that is an accepted reading joined another way was not written word for word: "www.example.com"
    # reads "w w w dot example dot c o m" (the words the item says as letters, as letters) as well as "www dot example
    # dot com", never the right "W W W ... com" (it vetoed 8 of Piper's right URLs and emails in the full self-test).
    accepted = {"".join(c.reading) for c in candidates if c.error is None}
    return next(
        (
            c
            for c in candidates
            if c.error is not None
            and "".join(c.reading) not in accepted
            and any(_sound_alike(heard.reading, c.reading) for heard in free)
        ),
        None,
    )


def _of_written_text(heard: Reading, candidates: list[Scored]) -> bool:
    """Whether every word of `heard` is one a written span is read as: a word of the item's readings, or one numbers,
    letters and symbols are said in (`SPOKEN_WORDS`). A reading with another word is the recogniser mishearing what
    was said — a name, a rare word: "opa" for "OPEC", "them if" for "FEMA", "hectic passables" — not another reading
    of the text."""
    known = {_SOUND.get(word.lower(), word.lower()) for c in candidates for word in c.reading} | _SPOKEN
    return all(_SOUND.get(word.lower(), word.lower()) in known for word in heard)


def _looped(heard: Reading, said: Reading) -> bool:
    """Whether `heard` is `said` with one word it says two or more times in a row written more times: the
    recogniser's loop on a repeated word, not another reading (tiny.en wrote Piper's "five five five oh one" with a
    fourth "five" and more in 9 of 32 right phone readings, 3 to 5 nats likelier than what was said). A word said once
    and written twice is not taken for one: "one one hundred" is a reading of its own."""
    ours, theirs = _runs(heard), _runs(said)
    if len(ours) != len(theirs) or not _sound_alike(tuple(w for w, _ in ours), tuple(w for w, _ in theirs)):
        return False
    longer = [(mine, yours) for (_, mine), (_, yours) in zip(ours, theirs, strict=True) if mine != yours]
    return len(longer) == 1 and longer[0][1] >= 2 and longer[0][0] > longer[0][1]


def _runs(reading: Reading) -> list[tuple[str, int]]:
    """The reading as runs of one word: (the word, how many times in a row)."""
    runs: list[tuple[str, int]] = []
    for word in reading:
        if runs and runs[-1][0].lower() == word.lower():
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((word, 1))
    return runs


def _sound_alike(first: Reading, second: Reading) -> bool:
    """Word for word the same sound (`SAME_SOUND`: "to" and "two", "for" and "four")."""
    return len(first) == len(second) and all(
        _SOUND.get(one.lower(), one.lower()) == _SOUND.get(other.lower(), other.lower())
        for one, other in zip(first, second, strict=True)
    )


_SOUND = {word: min(group) for group in SAME_SOUND for word in group}
_SPOKEN = frozenset(_SOUND.get(word, word) for word in SPOKEN_WORDS)
