"""Judge one hard span in a spoken-form transcript: pass, fail with its error type, or unsure.

The hard-text judge decides by forced choice (`harness.scoring.hard_text`); this is the older judgement from the
free transcript alone, kept as the second opinion on every verdict row (and the carrier alignment both use: the
free transcript's own reading of the span is found here). Word error rate over a normalised sentence cannot tell
a provider's misreading from the ASR's or the normaliser's (a year read digit by digit comes back as the year and
scores 0). So the span is judged alone, as heard:

1. The transcript (from spoken-form decoding, `harness.scoring.asr.spoken_form`: no digits, symbols or Roman
   numerals) is split into words the way the carrier is: lowercase, punctuation and hyphens dropped. What
   Whisper still writes rather than spells is read back as it was heard, and nothing else is normalised:
   "@" is "at"; letters with dots ("a.m.", "U.S.") are letters; a title it abbreviates ("Dr. Patel",
   "St. Louis", `WRITTEN_TITLES`) is the word, and a street word after a name ("Baker St.", "Oak Dr.",
   `WRITTEN_PLACES`) is the street; "etc" and "vs" are their words, dot or none; a capital "O" ("two O O five",
   "OOO") is "oh"; "o'clock" is "o clock"; a dot standing alone before a number word (". five") is "point". Some
   writing can be read two ways: a dot between two words ("example.com") is written whether or not "dot" was said,
   and so is a hyphen inside an address ("dash"); a word in capitals ("PM", "NASA", "WWW") may be letters or a word,
   so may two letters in lowercase the item says as letters ("am"), and "St." or "Dr." where no capitalised word
   beside it says which; an "a" between two digits' words may be "a" or a zero said "oh" ("five five five a one").
   Every reading is judged, and where they
   disagree (one right, one a known misreading) the judgement is unsure.
2. The carrier words before and after the span are aligned to the transcript: every split (a, b) of the
   transcript costs the edit distance of the words before the span to ``words[:a]`` plus that of the words
   after it to ``words[b:]`` (a similar word, "cost" for "costs", counts half). The splits of least cost are
   the candidates for the span, ``words[a:b]``: a misheard or dropped carrier word next to the span leaves
   several, and each is judged. A span with no carrier (or none on one side) is aligned by the words there
   are: with none at all, the whole transcript is the candidate. A word an ASR adds at the span's edge ("the",
   "uh", `ADDED_WORDS`) that no reading of the item says is not part of the span.
3. A candidate that is an accepted reading passes; one that is a known misreading fails with its error
   type. Failing that, the readings are compared without word breaks ("o clock" and "oclock") where that is
   not ambiguous. Anything else is unsure: neither right nor a known wrong, kept apart with its transcript
   and never counted as a failure. So is a transcript whose carrier is too far from the sentence to anchor.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from harness.core.hard_text import HardText, HardTextVerdict, carrier_words
from harness.core.hard_text.grammar import SAME_SOUND, readings

# A carrier this far from the transcript (edits per carrier word, past one edit) anchors nothing.
MAX_CARRIER_EDITS = 0.4
# A word the ASR adds inside the carrier costs half: it often splits one ("ticket" heard "take it").
_INSERTION = 0.5
_SIMILAR = 0.6  # SequenceMatcher ratio above which a substitution is a mishearing of the same word
# Whisper writes these titles abbreviated where it hears them in full (before a name): the word heard.
WRITTEN_TITLES = {
    "Dr": "doctor",
    "Mr": "mister",
    "Mrs": "missus",
    "Ms": "miz",
    "St": "saint",
    "Jr": "junior",
    "Sr": "senior",
    "Prof": "professor",
    "Gen": "general",
    "Lt": "lieutenant",
    "Sgt": "sergeant",
    "Capt": "captain",
    "Gov": "governor",
    "Sen": "senator",
    "Rev": "reverend",
    "Mt": "mount",
    "Ft": "fort",
    "vs": "versus",
    "etc": "et cetera",
}
# ... and these street words, after a name ("Baker St.", "Oak Dr."). "St." and "Dr." are both: before a
# capitalised word the title, after one the street word; elsewhere either, and both readings are judged.
WRITTEN_PLACES = {"St": "street", "Dr": "drive", "Ave": "avenue", "Rd": "road", "Blvd": "boulevard", "Ln": "lane"}
# ... and these Latin ones, with or without their dot (tiny.en wrote "glue, etc to the first lesson" for a right "et
# cetera": read as the letters "e t c" only, it vetoed the pass as that misreading).
UNDOTTED = ("etc", "vs")
_ABBREVIATION = re.compile(
    r"(?<![\w.])(?:("
    + "|".join(sorted(WRITTEN_TITLES.keys() | WRITTEN_PLACES.keys(), key=len, reverse=True))
    + r")\.|("
    + "|".join(UNDOTTED)
    + r")\b(?!\.\w))"
)
_NEXT_CAPITALISED = re.compile(r"\s+[A-Z]")
_AFTER_CAPITALISED = re.compile(r"[A-Z][\w']*\s+$")
_LETTERS_WITH_DOTS = re.compile(r"\b[A-Za-z](?:\.[A-Za-z])+\.?(?!\w)")  # a.m., U.S., p.m

# A dot standing alone before a number word is a decimal point Whisper wrote (".5" with digits suppressed
# comes out ". five"): the word "point".
_NUMBER_WORDS = (
    "zero",
    "oh",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
)
_LONE_POINT = re.compile(r"(?:(?<=\s)|^)\.\s*(?=(?:" + "|".join(_NUMBER_WORDS) + r")\b)", re.IGNORECASE)
_WRITTEN_DOT = re.compile(r"(?<=\w)\.(?=\w)")
# A dot Whisper writes with a space on one side, between words ("store. example .com", "package. Jason", "two.
# Oh"): also read as "dot" (before a number word as "point"), after the readings that take it as punctuation (a
# sentence's end: "the end. Five more" is read so first).
_SPACED_DOT = re.compile(r"(?<=\w)\.\s+(?=\w)|(?<=\w)\s+\.(?=\w)")
_SPACED_POINT = re.compile(r"(?<=\w)\.\s+(?=(?:" + "|".join(_NUMBER_WORDS) + r")\b)", re.IGNORECASE)
# A web or email address as Whisper writes it: a dot or "@" between word characters inside one token.
_ADDRESS = re.compile(r"[\w.@/:-]*\w[.@]\w[\w.@/:-]*")
_OCLOCK = re.compile(r"\b[oO]'\s*clock\b")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_CAPITALS = re.compile(r"[A-Z]{2,}")
# Words an ASR adds next to what it heard (fillers, articles, "and"): at the span's edge, where the item's
# readings do not use them, they are not part of the span.
ADDED_WORDS = frozenset({"uh", "um", "er", "ah", "hmm", "the", "a", "an", "and", "so", "well", "of"})


@dataclass(frozen=True, slots=True)
class SpanJudgement:
    """What was heard for the span, and what it means. ``error`` names the misreading on a fail; ``reason``
    says why a judgement is unsure."""

    verdict: HardTextVerdict
    heard: str
    error: str | None = None
    reason: str | None = None


def transcript_readings(transcript: str, letter_words: frozenset[str] = frozenset()) -> list[list[str]]:
    """The transcript's words, split as the carrier's are (`harness.core.hard_text.carrier_words`), with
    Whisper's written forms read back (see the module's docstring): one reading, or several where its
    writing can be read several ways (dots as "dot", then as nothing, then a dot with a space on one side as
    "dot" too, before a number word as "point"; a hyphen inside a web or email address as nothing, then as
    "dash"; capitals as a word, then as letters; "St." as saint, then as street where its place does not say; an "a"
    between two digits' words as written, then as "oh"). A
    lowercase word of ``letter_words`` ("am" where the item reads "a m") is read both as a word and as letters, as
    capitals are."""
    text = _LONE_POINT.sub(" point ", transcript.replace("\u2019", "'"))
    variants = [_abbreviations_read(text, place) for place in (False, True)]
    readings: list[list[str]] = []
    for variant in dict.fromkeys(variants):
        variant = _OCLOCK.sub("o clock", variant.replace("@", " at "))
        variant = _LETTERS_WITH_DOTS.sub(lambda match: " ".join(match.group(0).replace(".", "").upper()), variant)
        spaced = _SPACED_DOT.sub(" dot ", _SPACED_POINT.sub(" point ", variant))
        for dot, said in ((" dot ", variant), (" ", variant), (" dot ", spaced)):
            for hyphens in dict.fromkeys((said, _dashes_said(said))):
                _read_tokens(_WORD.findall(_WRITTEN_DOT.sub(dot, hyphens).replace("-", " ")), letter_words, readings)
    for words in list(readings):
        if (zero := _oh_for_a(words)) not in readings:
            readings.append(zero)
    return readings


_DIGIT_WORDS = frozenset(_NUMBER_WORDS[:11])


def _oh_for_a(words: list[str]) -> list[str]:
    """``words`` with each "a" between two digits' words read as "oh": tiny.en writes a zero said "oh" in a phone
    number as "a" ("five five five a one nine nine"), and read only as written, 6 of en_hard's right phone numbers
    had a free reading none of the listed ones, 3.5 to 4.8 nats likelier than them (issue 81: it vetoed their pass)."""
    return [
        "oh"
        if word == "a"
        and 0 < index < len(words) - 1
        and words[index - 1] in _DIGIT_WORDS
        and words[index + 1] in _DIGIT_WORDS
        else word
        for index, word in enumerate(words)
    ]


def _read_tokens(tokens: list[str], letter_words: frozenset[str], readings: list[list[str]]) -> None:
    """Add the readings of the transcript's tokens (`transcript_readings`) not yet in ``readings``."""
    for letters in (False, True):
        words: list[str] = []
        for token in tokens:
            if set(token) == {"O"}:  # "O", "OOO": zero said "oh"
                words += ["oh"] * len(token)
            elif letters and (_CAPITALS.fullmatch(token) or token in letter_words):
                words += list(token.lower())
            else:
                words.append(token.lower())
        if words not in readings:
            readings.append(words)


def _dashes_said(text: str) -> str:
    """``text`` with each hyphen inside a web or email address ("hotel-example.com") read as the word "dash": an
    address is written with its hyphen whether or not the voice said it (read only as nothing, tiny.en's
    "bookings at hotel-example.com" for a right "... hotel dash example dot com" wrote the dash-dropped
    misreading and vetoed the pass)."""
    return _ADDRESS.sub(lambda address: re.sub(r"(?<=\w)-(?=\w)", " dash ", address.group(0)), text)


def _abbreviations_read(text: str, place: bool) -> str:
    """``text`` with each abbreviation Whisper writes read as its word: a title before a capitalised word, a
    street word after one; elsewhere the title, or with ``place`` the street word, where it has both."""

    def word(match: re.Match[str]) -> str:
        short = match.group(1) or match.group(2)
        title, street = WRITTEN_TITLES.get(short), WRITTEN_PLACES.get(short)
        if title and street:
            if _NEXT_CAPITALISED.match(text, match.end()):
                street = None
            elif _AFTER_CAPITALISED.search(text, 0, match.start()):
                title = None
        chosen = (street or title) if place else (title or street)
        return f"{chosen} "

    return _ABBREVIATION.sub(word, text)


def transcript_words(transcript: str) -> list[str]:
    """The transcript's first reading (words in capitals as words)."""
    return transcript_readings(transcript)[0]


def judge_span(hard: HardText, transcript: str) -> SpanJudgement:
    """Judge the span of ``hard`` in a transcript of its sentence (as written or as its control)."""
    judgements = [_judge_words(hard, words) for words in transcript_readings(transcript, letter_words(hard))]
    decided = [judgement for judgement in judgements if judgement.verdict is not HardTextVerdict.UNSURE]
    if not decided:
        return judgements[0]
    verdicts = {(judgement.verdict, judgement.error) for judgement in decided}
    if len(verdicts) > 1:
        ways = " or ".join(
            sorted(f"{judgement.heard!r} ({judgement.error or judgement.verdict.value})" for judgement in decided)
        )
        return SpanJudgement(
            HardTextVerdict.UNSURE, decided[0].heard, reason=f"the transcript can be read {ways}: it cannot tell"
        )
    return decided[0]


# The readings of a form looked at for its letters and words (a form may allow very many; these are enough
# to see every word and letter run of the corpus' forms).
_FORM_READINGS_SEEN = 256


def _forms(hard: HardText) -> tuple[str, ...]:
    return (*hard.accepted, *(wrong.say for wrong in hard.misreadings))


@lru_cache(maxsize=4096)
def letter_words(hard: HardText, longest: int | None = 2) -> frozenset[str]:
    """The runs of lone letters the item's readings say ("a m", "u s"), each written as one word ("am", "us"), of
    two to ``longest`` letters (None: any): Whisper writes "am" and "us" in lowercase whichever was said (a longer
    run in lowercase is usually the word, but may be the letters: "www")."""
    runs: set[str] = set()
    for form in _forms(hard):
        for reading in itertools.islice(readings(form), _FORM_READINGS_SEEN):
            run: list[str] = []
            for word in (*reading, ""):
                if len(word) == 1:
                    run.append(word)
                    continue
                if len(run) >= 2 and (longest is None or len(run) <= longest):
                    runs.add("".join(run))
                run = []
    return frozenset(runs)


@lru_cache(maxsize=4096)
def vocabulary(hard: HardText) -> frozenset[str]:
    """Every word the item's readings say, with the spellings of its sound (`SAME_SOUND`)."""
    words = {
        word
        for form in _forms(hard)
        for reading in itertools.islice(readings(form), _FORM_READINGS_SEEN)
        for word in reading
    }
    return frozenset(words | {spelling for group in SAME_SOUND if group & words for spelling in group})


def _trimmed(hard: HardText, heard: tuple[str, ...]) -> tuple[str, ...]:
    """``heard`` without the words at its edges an ASR adds (`ADDED_WORDS`) that no reading of the item says. A
    lone "a" beside another lone letter is a letter spelled ("F.I.F.A." is "f i f a"), never the article."""
    added = ADDED_WORDS - vocabulary(hard)

    def added_at(index: int, inner: int) -> bool:
        spelled_letter = heard[index] == "a" and len(heard[inner]) == 1
        return heard[index] in added and not spelled_letter

    start, end = 0, len(heard)
    while start < end - 1 and added_at(start, start + 1):
        start += 1
    while end > start + 1 and added_at(end - 1, end - 2):
        end -= 1
    return heard[start:end]


_SENTENCE_END = re.compile(r"[.!?]\s+")
# Where no sentence end says the sentence ended, the words heard again at least, and the words of a sentence that
# loops at least (of two or more words: a run of one word, "five five five", is its own beginning at every word)
_RESTART_WORDS = 2
_LOOPED_WORDS = 3


def ends_where_speech_ends(transcript: str) -> str:
    """The transcript up to where the decoder starts the sentence over, ended there with a full stop (the speech
    ended where the loop begins). A decoder that hears no end of text in a fitted window loops to its cap; the loop
    is no speech, and read as part of a span it made an unlisted misreading pass.

    After a sentence's end, its first words again ("... thirty one. The Bridge was finished in one"). Without one
    ("... eighty five The rate fell to zero point": 34 of 314 free transcripts measured), where the
    rest of the transcript, two words or more, is its own beginning again, word for word, after a sentence of three
    words or more, not all one word ("five five five five" is its own beginning at every word, but no loop)."""
    found = list(_WORD.finditer(transcript))
    words = [match.group(0).lower() for match in found]
    opening = words[:2]
    if len(opening) < 2:
        return transcript
    for end in _SENTENCE_END.finditer(transcript):
        rest = [word.lower() for word in _WORD.findall(transcript[end.end() :])[:2]]
        if rest and rest == opening[: len(rest)]:
            return transcript[: end.start() + 1]
    for start in range(_LOOPED_WORDS, len(words) - _RESTART_WORDS + 1):
        if words[start:] == words[: len(words) - start] and len(set(words[:start])) > 1:
            return transcript[: found[start].start()].rstrip(" ,;:-") + "."
    return transcript


def stops_inside_span(hard: HardText, transcript: str) -> bool:
    """Whether a free transcript stops before the carrier after the span, inside the span or before it: it holds
    none of the words only that carrier says (no reading of the item says them, nor the carrier before the span),
    nor a word like one ("guest" for "guests"). Where the carrier after the span says no such word, it cannot tell
    (False). "The menu is at www.cafe" for "... at www.cafe-example.com/menu for guests." stops in the span, its last
    word taken for the carrier's next: as a reading of the span it was "www", 3.8 nats likelier than the right
    reading for being shorter."""
    before, after = (carrier_words(side) for side in hard.carrier())
    telling = set(after) - set(before) - vocabulary(hard)
    if not telling or not transcript.strip():
        return False
    heard = {word for reading in transcript_readings(transcript) for word in reading}
    return not any(_substitution(word, other) < 1 for word in telling for other in heard)


def loose_split(hard: HardText, words: list[str]) -> tuple[list[str], tuple[str, ...], list[str]]:
    """The transcript reading's words before the span, the span and the words after it, where the carrier is misheard
    past anchoring: the split of least cost, counting the carrier's edits and the span's from the nearest of the
    item's readings (a garbled carrier alone misplaces the span: "four is a | pen that seven o clock | fir"). The
    listed readings are then compared in the transcript's own carrier, so that they gain or lose by the span alone."""
    before_span, span, after_span = _loose(hard, tuple(words))
    return list(before_span), span, list(after_span)


@lru_cache(maxsize=4096)
def _loose(hard: HardText, words: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    before, after = (carrier_words(side) for side in hard.carrier())
    left = _prefix_costs(before, list(words))
    right = _prefix_costs(after[::-1], list(words[::-1]))[::-1]
    said = [list(reading) for form in _forms(hard) for reading in itertools.islice(readings(form), _LOOSE_READINGS)]
    best = min(
        (left[a] + right[b] + min(_prefix_costs(reading, list(words[a:b]))[-1] for reading in said), b - a, a, b)
        for a in range(len(words) + 1)
        for b in range(a, len(words) + 1)
    )
    a, b = best[2], best[3]
    return words[:a], _trimmed(hard, words[a:b]), words[b:]


_LOOSE_READINGS = 4  # readings of each form a loose split measures a span against


def span_candidates(hard: HardText, words: list[str]) -> list[tuple[str, ...]] | None:
    """The candidates for the span in a transcript reading's words, between the carrier words (step 2 of the
    module's docstring), the splits whose carrier takes the most words first; None where the carrier is too far
    from the transcript to anchor."""
    before, after = (carrier_words(side) for side in hard.carrier())
    cost, splits = _anchor(before, after, words)
    if cost > 1 + MAX_CARRIER_EDITS * (len(before) + len(after)):
        return None
    return list(dict.fromkeys(_trimmed(hard, tuple(words[a:b])) for a, b in splits))


def anchored_span(hard: HardText, words: list[str]) -> tuple[str, ...] | None:
    """The span as a transcript reading has it: its first candidate (None where the carrier cannot anchor)."""
    candidates = span_candidates(hard, words)
    return candidates[0] if candidates else None


def _judge_words(hard: HardText, words: list[str]) -> SpanJudgement:
    candidates = span_candidates(hard, words)
    if candidates is None:
        return SpanJudgement(HardTextVerdict.UNSURE, "", reason="the carrier words were not found in the transcript")
    for joined in (False, True):  # as heard, then without word breaks ("o clock", "oclock")
        ambiguous = None
        for heard in candidates:
            right, errors = hard.accepts(heard, joined=joined), hard.misread_as(heard, joined=joined)
            if right and not errors:
                return SpanJudgement(HardTextVerdict.PASS, " ".join(heard))
            if right or len(errors) > 1:
                ambiguous = ambiguous or heard
        for heard in candidates:
            right, errors = hard.accepts(heard, joined=joined), hard.misread_as(heard, joined=joined)
            if len(errors) == 1 and not right:
                return SpanJudgement(HardTextVerdict.FAIL, " ".join(heard), error=errors[0])
        if ambiguous is not None:
            return SpanJudgement(
                HardTextVerdict.UNSURE,
                " ".join(ambiguous),
                reason="heard as both an accepted reading and a known misreading",
            )
    return SpanJudgement(
        HardTextVerdict.UNSURE, " ".join(candidates[0]), reason="neither an accepted reading nor a known misreading"
    )


def _anchor(before: list[str], after: list[str], words: list[str]) -> tuple[float, list[tuple[int, int]]]:
    """The least alignment cost of the carrier and every split (a, b) of ``words`` that reaches it, the
    splits whose carrier takes the most words first (a misheard neighbour is more often a substitution)."""
    left = _prefix_costs(before, words)
    right = _prefix_costs(after[::-1], words[::-1])[::-1]  # right[b]: `after` against words[b:]
    best = min(left[a] + right[b] for a in range(len(words) + 1) for b in range(a, len(words) + 1))
    splits = [
        (a, b) for a in range(len(words) + 1) for b in range(a, len(words) + 1) if left[a] + right[b] <= best + 1e-9
    ]
    splits.sort(key=lambda split: split[1] - split[0])
    return best, splits


def _prefix_costs(carrier: list[str], words: list[str]) -> list[float]:
    """costs[a]: the edit distance between ``carrier`` and ``words[:a]``, for every a."""
    previous = [a * _INSERTION for a in range(len(words) + 1)]  # no carrier word: every word inserted
    for word in carrier:
        current = [previous[0] + 1.0]
        for a, heard in enumerate(words, start=1):
            current.append(
                min(previous[a] + 1.0, current[a - 1] + _INSERTION, previous[a - 1] + _substitution(word, heard))
            )
        previous = current
    return previous


@lru_cache(maxsize=65536)
def _substitution(said: str, heard: str) -> float:
    if said == heard:
        return 0.0
    return 0.5 if SequenceMatcher(None, said, heard).ratio() >= _SIMILAR else 1.0
