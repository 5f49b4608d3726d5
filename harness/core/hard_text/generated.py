"""Misreadings generated from an item, beside the ones its author listed: what hosted voices say wrong.

An item lists the misreadings its author foresaw; a voice says others (with each render's own misreading left out
of its item, 19 of 170 wrong readings passed: docs/hard-text.md). So the judge also asks about the misreadings a
voice is known to make, generated from the span as written and from the item's accepted readings:

- numbers: digits one by one, a year or a house number read as a cardinal, a number read as a year (in pairs),
  a decimal point dropped, a magnitude wrong ("thousand" for "hundred", "million" for "thousand"), an ordinal read
  as a cardinal ("March nine");
- symbols: a currency, percent or URL symbol's word dropped (all of them, and each one alone: "help at example
  com"); a symbol's word said as another's ("slash" as "backslash", "dot" as "period", "dash" as "minus"); a
  separator read literally ("slash", "dash");
- dates: day and month swapped ("3/4" read as April third where March fourth is right, and the other way);
- letters: letters the span writes in capitals, said one by one, read as a word ("f b i" as "fbi"; two only where
  they are the whole span, "OR" as "or", or dotted in lowercase, "a.m." as "am": tiny.en tells "A M" from "am"
  by under 3 nats either way, so a right time may be unsure by it, never a wrong one passed); a word written in
  capitals spelled ("nasa" as "n a s a"), and a web address's top-level domain spelled ("dot com" as "dot c o m");
- digits: a number inside a code read digit by digit ("F-35" as "f three five");
- units: a unit expanded as another ("kilometers" as "kilograms");
- suffixes and abbreviations said as letters: "30th" as "thirty T H", "Rd." as "R D"; an abbreviation read as a
  word ("Gov. Walker" as "gov walker").

Each is a reading (words), never one the item accepts (its automata tell, `HardText.accepts`), nor one a listed
misreading already says; its error type is the kind prefixed ``generated:`` (`GENERATED`), so the row where the
verdict is kept says the misreading was generated. At most `MAX_GENERATED` an item: each costs a sentence scored.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TypeVar

from harness.core.hard_text.grammar import MONTHS, Reading, fullest, leanest, readings
from harness.core.hard_text.item import HardText, Misreading

_T = TypeVar("_T")

GENERATED = "generated:"
MAX_GENERATED = 8
_BASES = 4  # readings of each accepted form (besides its fullest) a misreading is generated from

_ONES = (
    "zero",
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
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))
_ORDINAL_ENDS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
# A magnitude said as its neighbour.
_MAGNITUDES = {"hundred": "thousand", "thousand": "million", "million": "billion", "billion": "million"}
# A unit's word said as another unit's (the abbreviation expanded wrong).
_UNITS = {
    "kilometers": "kilograms",
    "kilograms": "kilometers",
    "kilometer": "kilogram",
    "kilogram": "kilometer",
    "meters": "miles",
    "miles": "meters",
    "minutes": "meters",
    "milliliters": "millimeters",
    "millimeters": "milliliters",
    "megabytes": "megabits",
    "megabits": "megabytes",
    "gigabytes": "gigabits",
    "gigabits": "gigabytes",
    "pounds": "pence",
    "ounces": "ounce",
    "inches": "inch",
    "feet": "foot",
}
# The words a symbol of the span is said as: dropped, the symbol is not said.
_SYMBOL_WORDS = {
    "$": {"dollar", "dollars", "cent", "cents"},
    "€": {"euro", "euros", "cent", "cents"},
    "£": {"pound", "pounds", "pence"},
    "%": {"percent"},
    "#": {"number"},
    "@": {"at"},
    "&": {"and"},
    "+": {"plus"},
    "°": {"degree", "degrees"},
    "/": {"slash", "per"},
    ".": {"dot"},
    "-": {"dash", "hyphen", "minus", "negative"},
}
# A symbol's word said as another symbol's.
_SAID_AS = {
    "slash": "backslash",
    "dot": "period",
    "dash": "minus",
    "hyphen": "minus",
    "minus": "dash",
    "negative": "dash",
}
# Separators between digits read as their names.
_LITERAL = {"/": "slash", "-": "dash", ":": "colon"}


def _ordinal(word: str) -> str:
    return _ORDINAL_ENDS.get(word) or (f"{word[:-1]}ieth" if word.endswith("y") else f"{word}th")


_NUMBER_WORDS = (*_ONES, *(tens for tens in _TENS if tens), "hundred", *(scale for _, scale in _SCALES))
#: The words a written span is said in besides its item's own: numbers and their ordinals, letters, symbols' names,
#: the units the generator swaps. A reading made of other words is no reading of written text (the forced choice's
#: veto asks it: `harness.scoring.hard_text.forced_choice`).
SPOKEN_WORDS = frozenset(
    (
        *_NUMBER_WORDS,
        *(_ordinal(word) for word in _NUMBER_WORDS),
        *"abcdefghijklmnopqrstuvwxyz",
        *(word for words in _SYMBOL_WORDS.values() for word in words),
        *_SAID_AS.values(),
        *_LITERAL.values(),
        *_UNITS,
        "oh",
        "point",
    )
)
_NUMBER = re.compile(r"^[$€£#]?\d[\d,./:\- ]*\d?%?$")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_CAPITALS = re.compile(r"\b[A-Z]{2,}\b")
_SUFFIX = re.compile(r"\d(st|nd|rd|th)\b", re.IGNORECASE)
# A word the span abbreviates: a capital and up to three letters with a dot ("Rd.", "Sq."), or two to four capitals
# of a street word ("HWY").
_ABBREVIATED = re.compile(
    r"\b[A-Z][a-z]{1,3}\.|\b(?:HWY|RD|ST|AVE|BLVD|SQ)\b|\b[a-z]{2,4}\.(?=\s|$)"
    r"|(?<=\d)\s?[a-z]{2,3}\b(?!\.)"
)
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/\d{2,4})?$")
# A unit written after a number ("5 km", "14ft"); not the letters of "a.m."
_UNIT_AFTER_NUMBER = re.compile(r"\d\s?[a-zA-Z]{1,3}\b(?!\.)")
# A web address's top-level domain (".com", ".org", ".uk"), two capitals, two letters dotted in lowercase ("a.m.").
_DOMAIN_END = re.compile(r"\.([a-z]{2,4})\b")
_TWO_CAPITALS = re.compile(r"[A-Z]{2}")
_DOTTED_PAIR = re.compile(r"\b([a-z])\.([a-z])\.")
# Digits after a letter, or a letter and a dash or space: a code's number ("F-35", "BA 2490"; not "7:45").
_CODE_NUMBER = re.compile(r"(?:(?<=[A-Za-z])|(?<=[A-Za-z][- ]))\d+")


def cardinal(number: int) -> Reading:
    """The number as a cardinal, in words ("one thousand four hundred"; no "and")."""
    if number < 20:
        return (_ONES[number],)
    if number < 100:
        tens, ones = divmod(number, 10)
        return (_TENS[tens],) + ((_ONES[ones],) if ones else ())
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return (_ONES[hundreds], "hundred") + (cardinal(rest) if rest else ())
    for scale, name in _SCALES:
        if number >= scale:
            high, rest = divmod(number, scale)
            return (*cardinal(high), name) + (cardinal(rest) if rest else ())
    raise AssertionError(number)


def ordinal(number: int) -> Reading:
    """The number as an ordinal ("twenty first")."""
    *head, last = cardinal(number)
    if last in _ORDINAL_ENDS:
        return (*head, _ORDINAL_ENDS[last])
    return (*head, last[:-1] + "ieth" if last.endswith("y") else last + "th")


def _as_year(number: int) -> Reading:
    high, low = divmod(number, 100)
    if low == 0:
        return (*cardinal(high), "hundred")
    return (*cardinal(high), *(("oh", _ONES[low]) if low < 10 else cardinal(low)))


_CARDINAL_OF = {ordinal(n)[-1]: cardinal(n)[-1] for n in (*range(1, 100), 100, 1000, 10**6)}


def _digits(run: str) -> Reading:
    return tuple(_ONES[int(digit)] for digit in run)


def _number_readings(span: str) -> Iterator[tuple[str, Reading]]:
    """Whole readings of a span that is a number (with separators, a currency or percent sign)."""
    text = _THOUSANDS.sub("", span.strip())
    if not _NUMBER.match(text):
        return
    runs = re.findall(r"\d+", text)
    after = {"$": ("dollars",), "€": ("euros",), "£": ("pounds",)}.get(text[0], ()) + (
        ("percent",) if text.endswith("%") else ()
    )
    digits = tuple(word for run in runs for word in _digits(run))
    yield "digits-one-by-one", digits + after
    if "zero" in digits:  # zero said "oh", as a voice reading digits says it
        yield "digits-one-by-one", tuple("oh" if word == "zero" else word for word in digits) + after
    groups = span.strip().lstrip("$€£#").rstrip("%").split(",")
    if len(groups) > 1 and all(len(group) == 3 and group.isdigit() for group in groups[1:]) and groups[0].isdigit():
        grouped = ("oh" if digit == "0" else _ONES[int(digit)] for group in groups[1:] for digit in group)
        yield "comma-split-groups", (*cardinal(int(groups[0])), *grouped, *after)
    if ":" in text and len(runs) == 2:  # "22:00" as "two thousand two hundred"
        yield "time-read-as-cardinal", cardinal(int("".join(runs)))
    if "." not in text:  # "12.50" as "twelve fifty" is the cents said short, no misreading
        yield "read-as-cardinal", tuple(word for run in runs for word in cardinal(int(run))) + after
    if len(runs) == 1 and len(runs[0]) == 4:
        yield "read-as-year", _as_year(int(runs[0])) + after
    if "." in text and len(runs) == 2:
        yield "decimal-point-dropped", cardinal(int("".join(runs))) + after
    for symbol, name in _LITERAL.items():
        if symbol in text and len(runs) > 1:
            spoken = [cardinal(int(run)) for run in runs]
            yield (
                "symbol-read-literally",
                tuple(
                    itertools.chain(
                        *((*words, name) if index < len(spoken) - 1 else words for index, words in enumerate(spoken))
                    )
                ),
            )
            break


def _swapped_date(span: str, base: Reading) -> Reading | None:
    """``base`` (an accepted reading of a numeric date) with day and month swapped."""
    date = _DATE.match(span.strip())
    if not date:
        return None
    first, second = int(date.group(1)), int(date.group(2))
    if first == second or not (1 <= first <= 12 and 1 <= second <= 12):
        return None
    text = " ".join(base)
    for month, day in ((first, second), (second, first)):
        said = f"{MONTHS[month - 1]} {' '.join(ordinal(day))}"
        if said in text:
            swapped = f"{MONTHS[day - 1]} {' '.join(ordinal(month))}"
            return tuple(text.replace(said, swapped).split())
        said = f"{' '.join(ordinal(day))} of {MONTHS[month - 1]}"
        if said in text:
            return tuple(text.replace(said, f"{' '.join(ordinal(month))} of {MONTHS[day - 1]}").split())
    return None


def _word_readings(hard: HardText, base: Reading) -> Iterator[tuple[str, Reading]]:
    """Misreadings of an accepted reading, word by word."""
    if any(word in _CARDINAL_OF for word in base):
        yield "ordinal-read-as-cardinal", tuple(_CARDINAL_OF.get(word, word) for word in base)
    for index, word in enumerate(base):
        if word in _MAGNITUDES:
            yield "magnitude-error", (*base[:index], _MAGNITUDES[word], *base[index + 1 :])
            break
    if "/" in hard.span:  # "2/3" as "two third"
        for index, word in enumerate(base):
            if word.endswith("s") and word[:-1] in _CARDINAL_OF and index:
                yield "fraction-plural-dropped", (*base[:index], word[:-1], *base[index + 1 :])
                break
    if "point" in base:
        yield "decimal-point-dropped", tuple(word for word in base if word != "point")
    yield from _symbol_readings(hard, base)
    if any(word in _UNITS for word in base) and _UNIT_AFTER_NUMBER.search(hard.span):
        yield "unit-expanded-wrong", tuple(_UNITS.get(word, word) for word in base)
    suffix = _SUFFIX.search(hard.span)
    ordinals = [index for index, word in enumerate(base) if word in _CARDINAL_OF]
    if suffix and ordinals:  # "30th" as "thirty T H"
        at = ordinals[-1]
        yield (
            "ordinal-suffix-as-letters",
            (*base[:at], _CARDINAL_OF[base[at]], *suffix.group(1).lower(), *base[at + 1 :]),
        )
    for short in (found.group(0).strip().rstrip(".") for found in _ABBREVIATED.finditer(hard.span)):
        # the last word it abbreviates: "14 ft" is "fourteen feet", though "fourteen" holds f and t in order too
        where = next((index for index in reversed(range(len(base))) if _abbreviates(short.lower(), base[index])), None)
        if where is not None:  # "Rd." as "R D", "Gov." as "gov"
            yield "abbreviation-read-as-letters", (*base[:where], *short.lower(), *base[where + 1 :])
            if set(short.lower()) & set("aeiouy"):
                yield "abbreviation-read-as-word", (*base[:where], short.lower(), *base[where + 1 :])
    yield from _digit_readings(hard, base)
    yield from _letter_readings(hard, base)
    swapped = _swapped_date(hard.span, base)
    if swapped is not None:
        yield "day-month-swapped", swapped


def _symbol_readings(hard: HardText, base: Reading) -> Iterator[tuple[str, Reading]]:
    """A symbol's words dropped, each alone and all at once ("help at example com": a voice drops one, and a
    reading with every one dropped is far from it), and a symbol's word said as another's ("backslash")."""
    symbols = {word for symbol, words in _SYMBOL_WORDS.items() if symbol in hard.span for word in words}
    places = [index for index, word in enumerate(base) if word in symbols]
    if len(places) > 1:  # one dropped first: a voice drops one more often than all
        for index in places:
            yield "symbol-dropped", (*base[:index], *base[index + 1 :])
    if places:
        yield "symbol-dropped", tuple(word for word in base if word not in symbols)
    for index, word in reversed(list(enumerate(base))):  # the last first: a path's slash, not the scheme's "//"
        if word in _SAID_AS and word in symbols:
            # a kind of its own for each symbol ("slash-read-as-backslash"), so each is asked under the cap
            yield f"{word}-read-as-{_SAID_AS[word]}", (*base[:index], _SAID_AS[word], *base[index + 1 :])


def _digit_readings(hard: HardText, base: Reading) -> Iterator[tuple[str, Reading]]:
    """A number inside a code ("F-35", "Catch-22") read digit by digit, where the reading says it as a cardinal
    (a span that is a number alone is `_number_readings`')."""
    if _NUMBER.match(_THOUSANDS.sub("", hard.span.strip())):
        return
    for found in _CODE_NUMBER.finditer(hard.span):
        run = found.group(0)
        said = cardinal(int(run))
        for start in range(len(base) - len(said) + 1):
            if base[start : start + len(said)] == said:
                if len(run) > 1:
                    yield "digits-one-by-one", (*base[:start], *_digits(run), *base[start + len(said) :])
                if hard.span[found.start() - 1] == "-" and start and base[start - 1] not in _SYMBOL_WORDS["-"]:
                    yield "dash-read-as-minus", (*base[:start], "minus", *base[start:])
                break


def _abbreviates(short: str, word: str) -> bool:
    """Whether ``short`` is an abbreviation of ``word``: its first letter, and the rest in order ("rd", "road")."""
    letters = iter(word[1:])
    return len(word) > len(short) and word[0] == short[0] and all(letter in letters for letter in short[1:])


def _letter_readings(hard: HardText, base: Reading) -> Iterator[tuple[str, Reading]]:
    """Letters said one by one read as a word, and a word the span writes in capitals spelled."""
    written = {letter.lower() for letter in re.findall(r"[A-Z]", hard.span)}
    joined: list[str] = []
    run: list[str] = []
    for word in (*base, ""):
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        # a run of three or more the span writes in capitals, with a vowel to say it by ("f b i" as "fbi"; not "w w
        # w"; not "a d": tiny.en cannot tell "ad" from "A D", and right readings of "AD 1215" were unsure)
        if len(run) >= 3 and set(run) <= written and set(run) & set("aeiouy"):
            joined.append("".join(run))
        else:
            joined.extend(run)
        run = []
        if word:
            joined.append(word)
    if tuple(joined) != base:
        yield "letters-read-as-word", tuple(joined)
    if _TWO_CAPITALS.fullmatch(hard.span.strip()) and set(base) & set("aeiouy") and len(base) == 2:
        # an initialism of two letters standing alone read as the word they spell ("OR" as "or", "US" as "us"); not
        # two inside a longer span ("AD 1215": tiny.en cannot tell "ad" from "A D" there)
        yield "letters-read-as-word", ("".join(base),)
    for pair in _DOTTED_PAIR.finditer(hard.span):  # "a.m." as "am" (no vowel, "pm", is no word a voice says)
        letters = pair.group(1), pair.group(2)
        word = "".join(letters)
        if set(word) & set("aeiouy"):
            for start in range(len(base) - 1):
                if base[start : start + 2] == letters:
                    yield "letters-read-as-word", (*base[:start], word, *base[start + 2 :])
                    break
    capitals = {word.lower() for word in _CAPITALS.findall(hard.span)}
    if capitals & set(base):
        yield (
            "word-spelled",
            tuple(letter for word in base for letter in (tuple(word) if word in capitals else (word,))),
        )
    domains = {found.group(1) for found in _DOMAIN_END.finditer(hard.span)}
    for index, word in enumerate(base):  # "dot com" as "dot c o m"
        if word in domains and index and base[index - 1] == "dot":
            yield "word-spelled", (*base[:index], *word, *base[index + 1 :])


def _in_turn(lists: list[list[_T]]) -> list[_T]:
    """The lists' first items, then their second items, and so on."""
    return [item for round_ in itertools.zip_longest(*lists, fillvalue=None) for item in round_ if item is not None]


@lru_cache(maxsize=4096)
def generated_misreadings(hard: HardText) -> tuple[Misreading, ...]:
    """The item's generated misreadings (the module's kinds), each a reading no accepted form allows and no listed
    misreading says, at most `MAX_GENERATED`, taken in turn by kind and, within a kind, by what it was generated
    from (the number's whole readings, each accepted form's fullest and leanest readings, its first readings)."""
    bases = list(
        dict.fromkeys(
            base
            for form in hard.accepted
            for base in (fullest(form), leanest(form), *itertools.islice(readings(form), _BASES))
        )
    )
    # by kind, and within a kind by base: the whole number's readings are one base, each accepted reading another
    by_kind: dict[str, dict[int, list[Reading]]] = {}
    seen: set[Reading] = set()
    sources = [_number_readings(hard.span), *(_word_readings(hard, base) for base in bases)]
    for source, generated in enumerate(sources):
        for kind, reading in generated:
            if not reading or reading in seen or hard.accepts(reading) or hard.misread_as(reading):
                continue
            seen.add(reading)
            by_kind.setdefault(kind, {}).setdefault(source, []).append(reading)
    # each kind's first, then each kind's second, ...: under the cap every kind is asked about (a kind's variants,
    # one for each symbol of a web address, would crowd out the others); within a kind, each base's first, then
    # each base's second (a web address said without its "h t t p s colon slash slash" is misread too)
    ordered = {kind: _in_turn(list(by_base.values())) for kind, by_base in by_kind.items()}
    found = _in_turn([[(reading, kind) for reading in readings_] for kind, readings_ in ordered.items()])
    return tuple(Misreading(" ".join(reading), GENERATED + kind) for reading, kind in found[:MAX_GENERATED])
