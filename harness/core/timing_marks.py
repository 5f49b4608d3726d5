"""The invariants of a clip's timing marks, the one owner of them (issue 65): what any provider's word or
character times must hold against the audio they came with and the text that was sent, whatever the wire form.

The marks come in one convention (`TimingMark`: the text a mark names, start and end in seconds from the utterance's
start, its offsets in the sent text where the provider gives them, the part — chunk, message, context — it came
in); `read_marks` turns a provider's raw lists into it and says, in one line each, what in them is no mark at all
(not a number, negative, NaN, lists of other lengths, millions long), never raising and never keeping an absurd
figure. `check_marks` returns the findings: times going back; ends beyond the audio's duration (from its bytes
and declared rate); marks that do not spell the sent text (or the provider's declared normalised text); one part
overlapping the one before, or restarting its times where they should continue. A span of marks that is the
audio's duration times 1.5 or 2, or its inverse, is named a **sample-rate mismatch** (the audio's rate or the
marks' clock is another than declared), not bad marks.

Pure: no I/O, no provider named. The contract checks (`harness.contracts`) and the benchmark's figures read it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from harness.core.checks import FindingKind
from harness.core.quantiles import quantile

#: More marks than this in one clip is no clip's (a day of speech at ten characters a second is under a million).
MAX_MARKS = 200_000
#: How far a time may stray (rounding to a millisecond, a frame of audio) before it is a finding.
TOLERANCE_S = 0.02
#: The span-to-duration ratios a wrong sample rate gives (16↔24 kHz, 8↔16, 24↔48, 22.05↔44.1 kHz).
RATE_RATIOS = (1.5, 2.0)
_RATIO_SLACK = 0.06  # a ratio within 6% of one of those: speech rarely fills its audio to the last frame
#: Words in a row sharing one start and one end that are duplicate timestamps: two words never share both (each is
#: said for some time of its own), and three in a row is past any rounding of a short word's times.
DUPLICATE_RUN = 3
_SAME_S = 0.001  # the same time, to a millisecond's rounding
#: An answer's marks beyond this many for each character sent are refused, not judged: a provider marking its
#: normalised reading ("$42.50" spoken "forty-two dollars and fifty cents") writes at most about six characters a
#: character sent, so ten, plus a sentence's worth (`_MARKS_SLACK`) for a very short text, is more than any reading,
#: and a list of millions for a sentence (an endless loop's, a hostile server's) is one line, never read further.
MARKS_PER_CHARACTER = 10
_MARKS_SLACK = 100
#: A word: letters and digits, an apostrophe inside it kept ("don't"); case, punctuation and white space are no part
#: of it. The one reading both the sent text and the marks are read by (issue 79: three readings disagreed).
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


class MarksKind(StrEnum):
    """What is wrong with a clip's marks."""

    BAD_INPUT = "bad-input"
    NON_MONOTONIC = "non-monotonic"
    BEYOND_AUDIO = "beyond-audio"
    SAMPLE_RATE = "sample-rate-mismatch"
    SPELLING = "spelling"
    OVERLAP = "overlap"
    RESTART = "restart"
    DUPLICATE = "duplicate-timestamps"  # words in a row sharing one start and end (elevenlabs-python #707)
    MISSING = "missing"  # marks advertised (declared, and asked for) and none sent (LiveKit agents #6493)
    ONSET = "onset"  # words marked where they are not said: the onset error's median past its threshold


#: The rule's one name — in the contract suite's violations, `compare --fail-on` and history's JUnit case — and what
#: each kind of finding breaks (docs/marks.md's table: the tolerance and why beside each). The rule owns its words:
#: the timing-marks check declares them (`harness.checks.timing_marks`) and every judge that applies the rule says
#: them, the contract suite on HTTP, SSE and sockets included (a base install: no numpy to import a check).
RULE = "marks"
FINDINGS = {
    kind: FindingKind(kind.value, promise)
    for kind, promise in {
        MarksKind.BAD_INPUT: "every time a finite, non-negative number, the lists of one length, and no more marks "
        "than ten a character sent (plus 100)",
        MarksKind.NON_MONOTONIC: "each mark starts no earlier than the one before it and ends after it starts (20 ms)",
        MarksKind.BEYOND_AUDIO: "no mark ends after the audio does (20 ms)",
        MarksKind.SAMPLE_RATE: "the marks span the audio's duration, not 1.5 or 2 times it or its inverse (6%)",
        MarksKind.SPELLING: "the marks' words are the sent text's words, in the provider's documented word form",
        MarksKind.OVERLAP: "a part (chunk, message, context) starts no earlier than inside the one before it (20 ms)",
        MarksKind.RESTART: "a part's times continue from the one before, never start again (below half of where it "
        "began)",
        MarksKind.DUPLICATE: "no three words in a row share one start and one end (1 ms)",
        MarksKind.MISSING: "marks come where the declaration says the answer carries them and the request asked",
        MarksKind.ONSET: "the answer's median onset error within the limit of the aligner that heard its words "
        "(stored with them; the default aligner's is the check's `onset_limit_ms`)",
    }.items()
}


@dataclass(frozen=True, slots=True, kw_only=True)
class TimingMark:
    """One mark in the one convention: seconds from the utterance's start; `first`/`last` its offsets in the sent
    text (None where the provider gives none); `part` the chunk, message or context it came in."""

    text: str
    start_s: float
    end_s: float
    first: int | None = None
    last: int | None = None
    part: int = 0


@dataclass(frozen=True, slots=True)
class MarksFinding:
    """One thing wrong with a clip's marks, said in one line."""

    kind: MarksKind
    message: str
    index: int | None = None  # the first mark it concerns, where it concerns one

    def line(self) -> str:
        where = f"mark {self.index}: " if self.index is not None else ""
        return f"{self.kind.value}: {where}{self.message}"


def read_marks(
    texts: Any,
    starts: Any,
    ends: Any,
    *,
    unit_s: float = 1.0,
    durations: bool = False,
    offset_s: float = 0.0,
    part: int = 0,
) -> tuple[tuple[TimingMark, ...], tuple[MarksFinding, ...]]:
    """A provider's lists (the texts, the starts, the ends or durations, in `unit_s` seconds, `offset_s` added for
    chunk-relative times) as marks; what is no mark is a finding, in one line, and no mark is kept from it."""
    lists = {"texts": texts, "starts": starts, "ends": ends}
    for name, value in lists.items():
        if not isinstance(value, list | tuple):
            return (), (MarksFinding(MarksKind.BAD_INPUT, f"the {name} are not a list ({type(value).__name__})"),)
        if len(value) > MAX_MARKS:
            return (), (
                MarksFinding(
                    MarksKind.BAD_INPUT, f"{len(value):,} {name}: more than any clip has ({MAX_MARKS:,}); not read"
                ),
            )
    lengths = {name: len(value) for name, value in lists.items()}
    findings = []
    if len(set(lengths.values())) > 1:
        findings.append(
            MarksFinding(
                MarksKind.BAD_INPUT,
                "lists of different lengths: "
                + ", ".join(f"{count} {name}" for name, count in lengths.items())
                + "; the shortest read",
            )
        )
    marks, refused = [], 0
    for index, (text, start, end) in enumerate(zip(texts, starts, ends, strict=False)):
        problem = _number_problem(start) or _number_problem(end)
        if problem:
            refused += 1
            if refused == 1:
                findings.append(MarksFinding(MarksKind.BAD_INPUT, f"a time {problem}", index))
            continue
        begins = offset_s + float(start) * unit_s
        stops = begins + float(end) * unit_s if durations else offset_s + float(end) * unit_s
        marks.append(TimingMark(text=str(text), start_s=begins, end_s=stops, part=part))
    if refused > 1:
        findings.append(
            MarksFinding(MarksKind.BAD_INPUT, f"{refused} marks in all with a time that is no time; none of them read")
        )
    return tuple(marks), tuple(findings)


def _number_problem(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"that is not a number ({str(value)[:40]!r})"
    if not math.isfinite(value):
        return f"that is not finite ({value})"
    if value < 0:
        return f"below zero ({value})"
    return ""


def check_marks(
    marks: Sequence[TimingMark], duration_s: float | None, sent: Sequence[str] = (), *, chars: bool = False
) -> tuple[MarksFinding, ...]:
    """Every invariant the marks of one clip break (`sent`: the texts they may spell, the sent text first, then
    any normalised text the provider declares it marks; empty: not checked)."""
    if not marks:
        return ()
    findings = [*_order(marks), *_parts(marks)]
    repeated = _duplicates(as_words(marks)) if chars else _duplicates(marks)
    if chars and repeated and repeated[0].index is not None:  # the word's first character: a mark of the answer's
        firsts = [i for i, m in enumerate(marks) if _in_word(m) and (i == 0 or not _in_word(marks[i - 1]))]
        repeated = [MarksFinding(MarksKind.DUPLICATE, repeated[0].message, firsts[repeated[0].index])]
    findings += repeated
    findings += _bounds(marks, duration_s, rate=not repeated)
    if sent and not any(_spells(marks, text, chars) for text in sent):
        findings.append(_misspelling(marks, sent[0], chars))
    return tuple(findings)


@dataclass(frozen=True, slots=True, kw_only=True)
class MarksAnswer:
    """One answer's marks as read (`problems`: what in them was no mark, one line each), the audio's seconds they
    came with (None: not known), the text sent, whether they name characters, and whether they were advertised
    (declared and asked for), so none coming is a finding."""

    marks: tuple[TimingMark, ...]
    duration_s: float | None = None
    sent: str = ""
    chars: bool = False
    problems: tuple[str, ...] = ()
    advertised: bool = False


def marks_cap(sent: str) -> int:
    """The most marks an answer for `sent` may carry before they are refused (`MARKS_PER_CHARACTER`)."""
    return MARKS_PER_CHARACTER * len(sent) + _MARKS_SLACK


def judge_marks(answer: MarksAnswer) -> tuple[MarksFinding, ...]:
    """The one verdict on an answer's marks, whoever asks (the contract suite, `bench run`): what was no mark, none
    where they were advertised, more than the text could have (`marks_cap`), then every invariant (`check_marks`)
    against the audio's seconds where known and the sent text where given. What needs an ear (the onset error) is
    the caller's, where an aligner heard the words (`harness.measurement.marks`)."""
    problems = answer.problems
    findings = (
        [
            MarksFinding(
                MarksKind.BAD_INPUT,
                problems[0] + (f" (and {len(problems) - 1} more such lines)" if len(problems) > 1 else ""),
            )
        ]
        if problems
        else []
    )
    marks = answer.marks
    if not marks and answer.advertised:
        findings.append(
            MarksFinding(MarksKind.MISSING, "the answer's marks were advertised (declared and asked for) and none came")
        )
    if answer.sent and len(marks) > marks_cap(answer.sent):
        findings.append(
            MarksFinding(
                MarksKind.BAD_INPUT,
                f"{len(marks):,} marks for a text of {len(answer.sent)} "
                f"characters (at most {marks_cap(answer.sent):,}); not "
                "judged further",
            )
        )
        return tuple(findings)
    findings += check_marks(marks, answer.duration_s, [answer.sent] if answer.sent else [], chars=answer.chars)
    return tuple(findings)


def spoken_words(text: str) -> list[str]:
    """The words of a text as the marks are judged against it: lower case, punctuation and white space dropped, an
    apostrophe inside a word kept (a typographic one read as "'")."""
    return [word.replace("\u2019", "'").lower() for word in _WORD.findall(text)]


def marked_words(marks: Sequence[TimingMark], chars: bool = False) -> list[str]:
    """The words the marks spell (`spoken_words`): character marks joined as they come, word marks apart."""
    return spoken_words(("".join if chars else " ".join)(m.text for m in marks))


def _order(marks: Sequence[TimingMark]) -> list[MarksFinding]:
    findings = []
    back = [i for i in range(1, len(marks)) if marks[i].start_s < marks[i - 1].start_s - TOLERANCE_S]
    if back:
        i = back[0]
        findings.append(
            MarksFinding(
                MarksKind.NON_MONOTONIC,
                f"starts at {marks[i].start_s:.3f} s, before the mark "
                f"before it ({marks[i - 1].start_s:.3f} s); {len(back)} such in all",
                i,
            )
        )
    inverted = [i for i, m in enumerate(marks) if m.end_s < m.start_s - TOLERANCE_S]
    if inverted:
        i = inverted[0]
        findings.append(
            MarksFinding(
                MarksKind.NON_MONOTONIC,
                f"ends at {marks[i].end_s:.3f} s, before it starts "
                f"({marks[i].start_s:.3f} s); {len(inverted)} such in all",
                i,
            )
        )
    return findings


def _duplicates(words: Sequence[TimingMark]) -> list[MarksFinding]:
    """Runs of `DUPLICATE_RUN` or more words sharing one start and one end: the times stopped saying where each word
    is (elevenlabs-python #707: after some seconds every word at one time). One finding, at the first such run."""
    runs: list[tuple[int, int]] = []  # (first word, words) of each run long enough
    first = 0
    for i in range(1, len(words) + 1):
        same = (
            i < len(words)
            and abs(words[i].start_s - words[first].start_s) <= _SAME_S
            and abs(words[i].end_s - words[first].end_s) <= _SAME_S
        )
        if same:
            continue
        if i - first >= DUPLICATE_RUN:
            runs.append((first, i - first))
        first = i
    if not runs:
        return []
    at, count = runs[0]
    return [
        MarksFinding(
            MarksKind.DUPLICATE,
            f"{count} words in a row ({words[at].text!r} on) all start at "
            f"{words[at].start_s:.3f} s and end at {words[at].end_s:.3f} s; "
            f"{sum(n for _, n in runs)} such words in all",
            at,
        )
    ]


def _parts(marks: Sequence[TimingMark]) -> list[MarksFinding]:
    """Each part (chunk, message, context) against the one before it: no overlap, and times that go on."""
    findings = []
    for i in range(1, len(marks)):
        before, now = marks[i - 1], marks[i]
        if now.part == before.part:
            continue
        if now.start_s < 0.5 * before.start_s - TOLERANCE_S and before.start_s > 0.2:
            findings.append(
                MarksFinding(
                    MarksKind.RESTART,
                    f"part {now.part} starts its times again at "
                    f"{now.start_s:.3f} s after part {before.part} reached {before.start_s:.3f} s "
                    "(times that should continue restart)",
                    i,
                )
            )
        elif now.start_s < before.end_s - TOLERANCE_S:
            findings.append(
                MarksFinding(
                    MarksKind.OVERLAP,
                    f"part {now.part} starts at {now.start_s:.3f} s, inside "
                    f"part {before.part}'s last mark (ends {before.end_s:.3f} s)",
                    i,
                )
            )
    return findings


def _bounds(marks: Sequence[TimingMark], duration_s: float | None, *, rate: bool = True) -> list[MarksFinding]:
    """Ends past the audio; or, where `rate` (no duplicate timestamps explain the span), a span the audio's duration
    times a rate's ratio."""
    if duration_s is None or duration_s <= 0:
        return []
    last = max(m.end_s for m in marks)
    ratio = last / duration_s
    for factor in RATE_RATIOS if rate else ():
        for wrong in (factor, 1 / factor):
            if abs(ratio - wrong) <= _RATIO_SLACK * wrong and (wrong > 1 or _fills(marks, duration_s, wrong)):
                return [
                    MarksFinding(
                        MarksKind.SAMPLE_RATE,
                        f"the marks span {last:.3f} s of audio lasting "
                        f"{duration_s:.3f} s: {ratio:.2f} times it, as a sample rate other than the "
                        "declared one gives (the audio's or the marks' clock)",
                    )
                ]
    beyond = [i for i, m in enumerate(marks) if m.end_s > duration_s + TOLERANCE_S]
    if beyond:
        i = beyond[0]
        return [
            MarksFinding(
                MarksKind.BEYOND_AUDIO,
                f"ends at {marks[i].end_s:.3f} s, after the audio's {duration_s:.3f} s; {len(beyond)} such in all",
                i,
            )
        ]
    return []


def _fills(marks: Sequence[TimingMark], duration_s: float, ratio: float) -> bool:
    """Marks spanning a fraction of the audio are a rate's doing only where they are many and start near its start
    (a short text in a long silence spans a fraction of its audio too): the first within 10% of the span."""
    return len(marks) >= 4 and marks[0].start_s <= 0.1 * duration_s * ratio


def _spells(marks: Sequence[TimingMark], text: str, chars: bool) -> bool:
    return marked_words(marks, chars) == spoken_words(text)


def _misspelling(marks: Sequence[TimingMark], text: str, chars: bool) -> MarksFinding:
    said = marked_words(marks, chars)
    sent = spoken_words(text)
    at = next((i for i, (a, b) in enumerate(zip(said, sent, strict=False)) if a != b), min(len(said), len(sent)))
    got = " ".join(said[at : at + 3])[:60] or "nothing"
    expected = " ".join(sent[at : at + 3])[:60] or "nothing"
    return MarksFinding(
        MarksKind.SPELLING,
        f"the marks spell {len(said)} words, the sent text {len(sent)}; from word "
        f"{at}: {got!r} where the text has {expected!r}",
    )


def coverage(marks: Sequence[TimingMark], sent: str, *, chars: bool = False) -> float | None:
    """Words marked / words sent (None: nothing sent); the words the marks spell, counted on the sent text's (both
    read by `spoken_words`)."""
    words = spoken_words(sent)
    if not words:
        return None
    remaining = list(words)
    found = 0
    for word in marked_words(marks, chars):
        if word in remaining:
            remaining.remove(word)
            found += 1
    return found / len(words)


def _in_word(mark: TimingMark) -> bool:
    return bool(mark.text) and not mark.text.isspace()


def as_words(marks: Sequence[TimingMark]) -> tuple[TimingMark, ...]:
    """Character marks joined into word marks (a word: a run of characters between white space), each from its first
    character's start to its last's end, in the part its first character came in."""
    words: list[TimingMark] = []
    current: list[TimingMark] = []
    for mark in (*marks, TimingMark(text=" ", start_s=0.0, end_s=0.0)):
        if _in_word(mark):
            current.append(mark)
        elif current:
            words.append(
                TimingMark(
                    text="".join(m.text for m in current),
                    start_s=current[0].start_s,
                    end_s=current[-1].end_s,
                    first=current[0].first,
                    last=current[-1].last,
                    part=current[0].part,
                )
            )
            current = []
    return tuple(words)


def paired_onsets(
    words: Sequence[TimingMark], heard: Sequence[tuple[str, float | None]], reach: int = 3
) -> list[tuple[float, float]]:
    """(the mark's start, where it is heard) for each word mark matched, in order, to a word of the sent text
    (`heard`: each sent word and where an aligner heard it starting, None where it could not place it); a mark
    matches the next sent word of the same text (read by `spoken_words`) within `reach` words, else none."""
    pairs, at = [], 0
    keys = [spoken_words(text) for text, _ in heard]
    for word in words:
        said = spoken_words(word.text)
        for index in range(at, min(len(heard), at + reach)):
            if keys[index] == said:
                start = heard[index][1]
                if start is not None:
                    pairs.append((word.start_s, start))
                at = index + 1
                break
    return pairs


def onset_finding(pairs: Sequence[tuple[float, float]], limit_ms: float) -> MarksFinding | None:
    """The `onset` rule, one for `bench run` and the contract suite: the marks put words where they are not said when
    the median, over the words paired (`paired_onsets`: each mark's start, where an aligner heard the word start),
    of the distance between the two passes `limit_ms` — the limit the aligner declared from its own error on known
    truth, so a figure is never judged by a yardstick finer than the ear that made it."""
    median = quantile((abs(mark - heard) * 1000.0 for mark, heard in pairs), 0.5)
    if median is None or median <= limit_ms:
        return None
    return MarksFinding(
        MarksKind.ONSET,
        f"the marks' median onset error is {median:.0f} ms over {len(pairs)} words (limit {limit_ms:.0f} ms)",
    )
